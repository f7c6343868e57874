import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, erpNetCredentials } from './descriptions/authentication.descriptions';
import { listSearch, loadOptions } from './methods';
import { searchAggregateRoots } from './trigger/aggregateRoots';
import { triggerProperties } from './trigger/description';
import { triggerItem } from './trigger/output';
import { pollChanges } from './trigger/poll';
import { createPageReader } from './trigger/reader';
import { readTriggerConfig } from './trigger/settings';
import { fetchTestEvent } from './trigger/testEvent';

/** Without `getPollBudgetMs` (n8n before 2.38), a poll reads for at most this long. */
const FIXED_POLL_BUDGET_MS = 60_000;
/** Share of n8n's budget spent reading; the rest is for emitting and saving the state. */
const BUDGET_SHARE = 0.5;

export class ErpNetTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ERP.net Trigger',
		name: 'erpNetTrigger',
		icon: { light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] + ": " + $parameter["entitySet"] }}',
		description: 'Starts the workflow when ERP.net records are created or changed (every change exactly once)',
		defaults: { name: 'ERP.net Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: erpNetCredentials,
		properties: [authenticationProperty, ...triggerProperties],
	};

	methods = {
		listSearch: { ...listSearch, searchAggregateRoots },
		loadOptions,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollOnce.call(onePollOf(this));
	}
}

/**
 * n8n creates the poll functions once per activation and calls `poll` on that same object at every tick, while
 * the transport keeps what it reads once per execution (credentials, token fetcher, discovered Domain API
 * root, model) per context object. Each poll runs on an object of its own that inherits the activation's, so
 * that a credential edit (secret, Instance URL) reaches the next poll and discovery answers expire as usual.
 */
function onePollOf(activation: IPollFunctions): IPollFunctions {
	return Object.create(activation) as IPollFunctions;
}

async function pollOnce(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const staticData = this.getWorkflowStaticData('node');
	const config = await readTriggerConfig.call(this, this.getMode() === 'manual' ? {} : staticData);
	if (this.getMode() === 'manual') return await fetchTestEvent.call(this, config);

	const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : FIXED_POLL_BUDGET_MS;
	const deadline = Date.now() + Math.max(1, budget) * BUDGET_SHARE;
	const result = await pollChanges({
		stored: staticData.incrementalPull,
		key: config.key,
		legacyKey: config.legacyKey,
		settings: config.settings,
		creationAttribute: config.creationAttribute,
		reader: createPageReader.call(this, config),
		outOfTime: () => Date.now() >= deadline,
	});
	staticData.incrementalPull = result.state;
	if (result.emissions.length === 0) return null;
	return [
		result.emissions.map(({ record, change, kind }) =>
			triggerItem(record as IDataObject, config.entitySet, change.id, kind),
		),
	];
}
