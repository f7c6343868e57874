import type {
	CronExpression,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { authenticationProperty, erpNetCredentials } from './descriptions/authentication.descriptions';
import { listSearch } from './methods';
import { DEFAULT_CATCH_UP_MINUTES, DEFAULT_EVENTS, instantTriggerProperties } from './instantTrigger/description';
import { getRepositoryEvents, parseEvents, repositoryNameOf } from './instantTrigger/events';
import {
	handOverTestItems,
	rememberedRegistration,
	rememberRegistration,
	takeTestItems,
} from './instantTrigger/memory';
import type { InstantContext } from './instantTrigger/pull';
import { pullChanges, pullKey, readInstantConfig, startStream, streamStarted } from './instantTrigger/pull';
import { checkPush } from './instantTrigger/push';
import { readPushedRecord } from './instantTrigger/testPush';
import type { Registration } from './instantTrigger/registration';
import {
	createRegistration,
	newSecret,
	registrationCodes,
	registrationMatches,
	removeRegistration,
	secretDigest,
	withoutSecret,
} from './instantTrigger/registration';
import { searchAggregateRoots } from './trigger/aggregateRoots';

function isTest(context: InstantContext): boolean {
	return context.getMode() === 'manual';
}

/**
 * The registration this node made in this mode: test ones in memory only; production ones in static data, and in
 * memory since this process wrote them (the newest: n8n saves static data only when the whole activation is done,
 * and a push may arrive before).
 */
function storedRegistration(context: IHookFunctions | IWebhookFunctions): Registration | undefined {
	const test = isTest(context);
	const remembered = rememberedRegistration(pullKey(context), test);
	if (test) return remembered;
	return remembered ?? (context.getWorkflowStaticData('node').registration as Registration | undefined);
}

function storeRegistration(context: IHookFunctions, registration: Registration | undefined): void {
	const test = isTest(context);
	rememberRegistration(pullKey(context), test, registration);
	if (test) return;
	const staticData = context.getWorkflowStaticData('node');
	if (registration) staticData.registration = registration;
	else delete staticData.registration;
}

/** n8n's scheduler takes six-field cron expressions (seconds first): every `minutes`, at most that far apart. */
export function catchUpCron(minutes: number): CronExpression {
	const whole = Math.min(Math.max(Math.round(minutes), 1), 1440);
	if (whole < 60) return `0 */${whole} * * * *`;
	return `0 0 */${Math.max(1, Math.floor(whole / 60))} * * *`;
}

export class ErpNetInstantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ERP.net Instant Trigger',
		name: 'erpNetInstantTrigger',
		icon: { light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Instant: " + $parameter["entitySet"] }}',
		description: 'Starts the workflow as soon as ERP.net pushes a change (every change exactly once)',
		defaults: { name: 'ERP.net Instant Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: erpNetCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [authenticationProperty, ...instantTriggerProperties],
	};

	methods = {
		listSearch: { ...listSearch, searchAggregateRoots },
		loadOptions: { getRepositoryEvents },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const registration = storedRegistration(this);
				const url = this.getNodeWebhookUrl('default');
				if (!registration || registration.url !== url) return false;
				const config = await readInstantConfig(this);
				const events = parseEvents(this.getNodeParameter('events', DEFAULT_EVENTS) as string[]);
				if (
					registration.repository !== repositoryNameOf(config.entitySet) ||
					JSON.stringify(registration.events) !== JSON.stringify(events)
				) {
					return false;
				}
				if (!isTest(this) && !(await streamStarted(this))) return false;
				return await registrationMatches.call(this, registration);
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				if (!url) throw new NodeOperationError(this.getNode(), 'n8n has no webhook URL for this trigger');
				const config = await readInstantConfig(this);
				const events = parseEvents(this.getNodeParameter('events', DEFAULT_EVENTS) as string[]);
				if (events.length === 0) {
					throw new NodeOperationError(this.getNode(), 'Choose at least one event', {
						description: 'The events say when ERP.net pushes a change to n8n.',
					});
				}
				const secret = newSecret();
				const workflow = this.getWorkflow();
				const plan = {
					...registrationCodes(String(workflow.id ?? ''), this.getNode().id, isTest(this)),
					repository: repositoryNameOf(config.entitySet),
					url,
					events,
					secret,
					secretDigest: secretDigest(secret),
					workflowLabel: `workflow "${workflow.name ?? ''}" (${String(workflow.id ?? '')}), node "${this.getNode().name}"`,
				};
				// Known before ERP.net holds it: its first push may arrive before create() returns.
				storeRegistration(this, withoutSecret(plan));
				try {
					const registeredUtc = await createRegistration.call(this, plan);
					if (!isTest(this)) await startStream(this, registeredUtc);
				} catch (error) {
					storeRegistration(this, undefined);
					await removeRegistration.call(this, plan).catch(() => undefined);
					throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error);
				}
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const workflow = this.getWorkflow();
				const codes =
					storedRegistration(this) ?? registrationCodes(String(workflow.id ?? ''), this.getNode().id, isTest(this));
				await removeRegistration.call(this, codes);
				storeRegistration(this, undefined);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const check = checkPush(
			this.getHeaderData() as Record<string, unknown>,
			this.getBodyData(),
			storedRegistration(this),
		);
		if (!check.accepted) {
			response.status(check.status).json({ message: check.message });
			return { noWebhookResponse: true };
		}
		// The push is only a doorbell: answer at once (ERP.net waits 10 s at most), then read the changes.
		response.status(200).json({ received: true });
		const items = isTest(this) ? await readPushedRecord(this, check.id) : await pullChanges(this);
		if (isTest(this)) handOverTestItems(pullKey(this), items);
		return items.length > 0 ? { noWebhookResponse: true, workflowData: [items] } : { noWebhookResponse: true };
	}

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (this.getMode() === 'manual') {
			return {
				manualTriggerFunction: async () => {
					const items = takeTestItems(pullKey(this));
					if (!items) {
						throw new NodeOperationError(this.getNode(), 'No push from ERP.net arrived', {
							description: 'Use "Listen for test event" and change a record of the entity set in ERP.net.',
						});
					}
					this.emit([items]);
				},
			};
		}
		const catchUp = async () => {
			try {
				const items: INodeExecutionData[] = await pullChanges(this);
				if (items.length > 0) this.emit([items]);
			} catch (error) {
				if (typeof this.saveFailedExecution === 'function') this.saveFailedExecution(error as never);
				else this.emitError(error as Error);
			}
		};
		const minutes = Number(this.getNodeParameter('catchUpInterval', DEFAULT_CATCH_UP_MINUTES));
		// The job's promise is returned for schedulers that wait for it; n8n's ignores it (catchUp never rejects).
		this.helpers.registerCron({ expression: catchUpCron(minutes) }, async () => await catchUp());
		// Changes made while n8n was stopped (or the workflow unpublished) are read at activation, not at the first tick.
		await catchUp();
		return {};
	}
}
