/**
 * The ERP.net events a user business rule can be registered for on a repository, from the Domain API function
 * GetRepositoryEvents (https://docs.erp.net/dev/domain-api/operations/get-repository-events.html).
 */
import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { entitySetOf, stringLiteral } from '../../../core/odata';
import type { ErpNetFunctions } from '../../../core/transport';
import { assertEntitySetName, erpNetApiRequest, getInstanceRoots } from '../../../core/transport';

export interface RepositoryEvent {
	EventType: string;
	Description?: string | null;
	Layer?: string | null;
	RequiresEventParameter?: boolean;
	EventParameterDescription?: string | null;
}

/** One event row of the business rule: the event type and, for state events, the document state. */
export interface ChosenEvent {
	eventType: string;
	eventParameter?: string;
}

/**
 * The document states of STATECHANGED (https://docs.erp.net/model/entities/Systems.Bpm.UserBusinessRuleEvents.html,
 * EventType): offered as one option each, registered as the event parameter.
 */
const DOCUMENT_STATES = ['PLANNED', 'FIRMPLANNED', 'RELEASED', 'COMPLETED', 'CLOSED'];

/** Events a back-end rule cannot use (front-end only) or whose parameter n8n cannot know (an attribute name). */
function isOffered(event: RepositoryEvent): boolean {
	if (event.Layer === 'FrontEnd') return false;
	return (
		event.RequiresEventParameter !== true || event.EventType === 'STATECHANGED' || event.EventType === 'STATECHANGING'
	);
}

/** `Crm_Sales_SalesOrders` → `Crm.Sales.SalesOrders` (entity set names are repository names with `_` for `.`). */
export function repositoryNameOf(entitySet: string): string {
	return entitySet.replace(/_/g, '.');
}

/** `GET GetRepositoryEvents(repositoryName='Crm.Sales.SalesOrders')`: the events the repository supports. */
export async function readRepositoryEvents(this: ErpNetFunctions, repositoryName: string): Promise<RepositoryEvent[]> {
	if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(repositoryName)) {
		throw new NodeOperationError(this.getNode(), `"${repositoryName.slice(0, 100)}" is not a repository name`);
	}
	const { odataRoot } = await getInstanceRoots.call(this);
	const response = (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: `${odataRoot}GetRepositoryEvents(repositoryName=${encodeURIComponent(stringLiteral(repositoryName))})`,
		action: `read the business rule events of ${repositoryName}`,
	})) as IDataObject | undefined;
	const events = response?.events ?? (response?.value as IDataObject | undefined)?.events;
	return Array.isArray(events)
		? (events as RepositoryEvent[]).filter((event) => typeof event?.EventType === 'string')
		: [];
}

/** The option values: `EVENTTYPE`, or `STATECHANGED:RELEASED` for an event with a document state. */
export function eventOptions(events: RepositoryEvent[]): INodePropertyOptions[] {
	const options: INodePropertyOptions[] = [];
	for (const event of events.filter(isOffered)) {
		const description = event.Description ?? undefined;
		if (event.RequiresEventParameter === true) {
			for (const state of DOCUMENT_STATES) {
				options.push({ name: `${event.EventType} (${state})`, value: `${event.EventType}:${state}`, description });
			}
		} else {
			options.push({ name: event.EventType, value: event.EventType, description });
		}
	}
	return options;
}

/** Load options of Events: the entity set's repository events (the committed ones first). */
export async function getRepositoryEvents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entitySet = entitySetOf(this.getNodeParameter('entitySet', '', { extractValue: true }));
	if (entitySet === '') return [];
	assertEntitySetName(this.getNode(), entitySet);
	const options = eventOptions(await readRepositoryEvents.call(this, repositoryNameOf(entitySet)));
	const committed = (option: INodePropertyOptions) => (String(option.value).includes('COMMITTED') ? 0 : 1);
	return options.sort((a, b) => committed(a) - committed(b));
}

/** The chosen option values as event rows. */
export function parseEvents(values: string[]): ChosenEvent[] {
	return values.map((value) => {
		const [eventType, eventParameter] = value.split(':', 2);
		return eventParameter ? { eventType, eventParameter } : { eventType };
	});
}
