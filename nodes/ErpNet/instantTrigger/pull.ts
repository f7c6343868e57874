/**
 * A push is a doorbell: every push, and the catch-up, reads the changes since the stored watermark with the
 * polling trigger's incremental pull (../trigger/poll.ts,
 * https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html)
 * and emits each change once. Pulls of one node run one at a time in this process (./serialize.ts).
 */
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { CollectionQueryOptions, FilterCondition } from '../../../core/query';
import { buildCollectionQuery } from '../../../core/query';
import { entitySetOf, joinList } from '../../../core/odata';
import { assertEntitySetName, getEntitySetModel } from '../../../core/transport';
import { triggerItem } from '../trigger/output';
import { pollChanges } from '../trigger/poll';
import { createPageReader } from '../trigger/reader';
import type { TriggerConfig } from '../trigger/settings';
import { assertAggregateRoot, creationAttributeOf, instanceDigest } from '../trigger/settings';
import type { CreationAttribute } from '../trigger/state';
import type { Timestamp } from '../trigger/timestamps';
import { toTimestamp } from '../trigger/timestamps';
import { newest, remember, serialized } from './serialize';

export type InstantContext = IHookFunctions | IWebhookFunctions | ITriggerFunctions;

interface InstantOptions extends Omit<CollectionQueryOptions, 'conditions' | 'orderBy' | 'search'> {
	conditions?: { condition?: FilterCondition[] };
}

/** How far each pull looks back before the watermark: ERP.net's default overlap for late commits. */
const OVERLAP_MS = 5 * 60_000;
/** A pull reads for at most this long; the rest of a long scan continues on the next push or catch-up. */
const PULL_BUDGET_MS = 60_000;

/** The stored pull: what stream it reads, from when, and the incremental-pull state. */
export interface StoredPull {
	revision: number;
	/** Instance, entity set and filter: another stream starts over at the time the registration was made. */
	stream: string;
	startUtc: Timestamp;
	state?: unknown;
}

interface StreamModel {
	filter?: string;
	creationAttribute?: CreationAttribute;
}

const models = new Map<string, Promise<StreamModel>>();

function parameter<T>(context: InstantContext, name: string, fallback: T, extractValue = false): T {
	return (context as IHookFunctions).getNodeParameter(name, fallback, { extractValue }) as T;
}

/** The process-wide key of this node's pull. */
export function pullKey(context: InstantContext): string {
	return JSON.stringify([context.getWorkflow().id ?? '', context.getNode().id]);
}

/** The entity set must be an aggregate root: only those have AggregateLastUpdateTimeUtc (incremental-pull.html). */
async function readStreamModel(
	context: InstantContext,
	entitySet: string,
	options: InstantOptions,
): Promise<StreamModel> {
	const model = await getEntitySetModel.call(context, entitySet);
	assertAggregateRoot(context.getNode(), entitySet, model);
	const { query } = await buildCollectionQuery.call(context, entitySet, {
		conditions: options.conditions?.condition ?? [],
		filter: options.filter,
	});
	return { filter: query.$filter, creationAttribute: creationAttributeOf(model.Attributes ?? []) };
}

export interface InstantConfig extends TriggerConfig {
	output: 'record' | 'event';
	/** The instance (a digest of its Domain API root), entity set and filter. */
	stream: string;
	/** The stream as releases before the instance was part of it wrote it: still the same stream. */
	legacyStream: string;
}

/** The node's parameters and the model facts (read once per process and stream). */
export async function readInstantConfig(context: InstantContext): Promise<InstantConfig> {
	const node = context.getNode();
	const entitySet = entitySetOf(parameter(context, 'entitySet', '', true));
	assertEntitySetName(node, entitySet);
	const options = parameter<InstantOptions>(context, 'options', {});
	const output = parameter<'record' | 'event'>(context, 'output', 'record');
	const instance = await instanceDigest.call(context);
	const modelKey = JSON.stringify([
		pullKey(context),
		instance,
		entitySet,
		options.conditions ?? {},
		options.filter ?? '',
	]);
	let model = models.get(modelKey);
	if (!model) {
		model = readStreamModel(context, entitySet, options);
		model.catch(() => models.delete(modelKey));
		models.set(modelKey, model);
	}
	const { filter, creationAttribute } = await model;
	const { headers } = await buildCollectionQuery.call(context, entitySet, { ...options, conditions: [] });
	const required = ['Id', 'AggregateLastUpdateTimeUtc', ...(creationAttribute ? [creationAttribute.name] : [])];
	const chosen = output === 'event' ? [] : (joinList(options.select)?.split(',') ?? ['default']);
	const stream = JSON.stringify([instance, entitySet, filter ?? '']);
	return {
		entitySet,
		output,
		stream,
		legacyStream: JSON.stringify([entitySet, filter ?? '']),
		settings: { startFrom: 'date', overlapMs: OVERLAP_MS, event: 'createdOrUpdated' },
		filter,
		select: [...new Set([...chosen, ...required])].join(','),
		expand: output === 'event' ? undefined : options.expand?.trim() || undefined,
		headers,
		creationAttribute,
		key: stream,
	};
}

function storedPullOf(staticData: IDataObject): StoredPull | undefined {
	const pull = staticData.pull as StoredPull | undefined;
	return pull && typeof pull.revision === 'number' && typeof pull.startUtc === 'string' ? pull : undefined;
}

/**
 * Starts the stream at the registration's exact server time (the template's AggregateLastUpdateTimeUtc; the
 * `Date` header, in whole seconds, when ERP.net did not return it), unless the stored pull already reads this
 * stream (a restart, or a re-registration): then its watermark is kept and nothing in between is lost.
 */
export async function startStream(context: IHookFunctions, registeredUtc: unknown): Promise<void> {
	const key = pullKey(context);
	const config = await readInstantConfig(context);
	await serialized(key, async () => {
		const staticData = context.getWorkflowStaticData('node');
		const current = newest(key, storedPullOf(staticData));
		if (current && readsStream(current, config)) {
			if (current.stream !== config.stream) {
				rememberPull(context, key, { ...current, revision: current.revision + 1, stream: config.stream });
			}
			return;
		}
		const startUtc = toTimestamp(registeredUtc) ?? (await createPageReader.call(context, config).serverTime());
		rememberPull(context, key, { revision: (current?.revision ?? 0) + 1, stream: config.stream, startUtc });
	});
}

/** Whether the stored pull reads the node's stream (as written now, or by a release before instances were in it). */
function readsStream(pull: StoredPull, config: InstantConfig): boolean {
	return pull.stream === config.stream || pull.stream === config.legacyStream;
}

function rememberPull(context: InstantContext, key: string, pull: StoredPull): void {
	context.getWorkflowStaticData('node').pull = pull;
	remember(key, pull);
}

/** Whether the stored pull reads the node's current stream (else the registration must start it). */
export async function streamStarted(context: IHookFunctions): Promise<boolean> {
	const config = await readInstantConfig(context);
	const current = newest(pullKey(context), storedPullOf(context.getWorkflowStaticData('node')));
	return current !== undefined && readsStream(current, config);
}

/**
 * Reads the changes since the watermark and returns one item per change not emitted before. Before the
 * registration started the stream there is nothing to read: no push can precede it.
 */
export async function pullChanges(context: IWebhookFunctions | ITriggerFunctions): Promise<INodeExecutionData[]> {
	const key = pullKey(context);
	const config = await readInstantConfig(context);
	return await serialized(key, async () => {
		const staticData = context.getWorkflowStaticData('node');
		const current = newest(key, storedPullOf(staticData));
		if (!current || !readsStream(current, config)) return [];
		const deadline = Date.now() + PULL_BUDGET_MS;
		const result = await pollChanges({
			stored: current.state,
			key: JSON.stringify([config.stream, current.startUtc]),
			legacyKey: JSON.stringify([config.legacyStream, current.startUtc]),
			settings: { ...config.settings, startFrom: 'date', startDate: current.startUtc },
			creationAttribute: config.creationAttribute,
			reader: createPageReader.call(context, config),
			outOfTime: () => Date.now() >= deadline,
		});
		rememberPull(context, key, {
			revision: current.revision + 1,
			stream: config.stream,
			startUtc: current.startUtc,
			state: result.state,
		});
		// The incremental pull looks back `overlap` before its watermark; what changed before the registration
		// (recorded in `seen` all the same) belongs to no push of this trigger.
		const emissions = result.emissions.filter(
			({ change }) => change.timestamp !== undefined && change.timestamp >= current.startUtc,
		);
		return emissions.map(({ record, change, kind }) => {
			const item = triggerItem(record as IDataObject, config.entitySet, change.id, kind);
			return config.output === 'event' ? { json: { erpnet: item.json.erpnet } } : item;
		});
	});
}
