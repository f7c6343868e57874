/**
 * The trigger's parameters read once per poll, and the model facts it needs (aggregate root, creation-time
 * attribute), kept in static data so that a poll with nothing new costs one request.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CollectionQueryOptions } from '../../../core/query/collectionQuery';
import { buildCollectionQuery } from '../../../core/query/collectionQuery';
import type { FilterCondition } from '../../../core/query/filter';
import { entitySetOf, joinList } from '../../../core/odata/text';
import { getEntitySetModel } from '../../../core/transport/model';
import { assertEntitySetName } from '../../../core/transport/urls';
import type { StartFrom, TriggerEvent, TriggerSettings } from './state';
import { toTimestamp } from './timestamps';

interface TriggerOptions extends Omit<CollectionQueryOptions, 'conditions' | 'orderBy' | 'search'> {
	conditions?: { condition?: FilterCondition[] };
	overlap?: number;
}

/** Creation-time attributes, most precise first: how "created" is told from "updated" (README, ERP.net Trigger). */
const CREATION_ATTRIBUTES = ['CreationTimeUtc', 'CreationTime', 'PartyCreationTime'];

/** What a poll reads: the entity set, the query parts and the trigger settings. */
export interface TriggerConfig {
	entitySet: string;
	settings: TriggerSettings;
	/** The user's filter (conditions and raw filter), without the trigger's own. */
	filter?: string;
	select: string;
	expand?: string;
	headers: IDataObject;
	creationAttribute?: string;
	/** Identifies the watched stream: another value starts the state over. */
	key: string;
}

interface CachedModel {
	modelKey: string;
	filter?: string;
	creationAttribute?: string;
}

export async function readTriggerConfig(this: IPollFunctions, staticData: IDataObject): Promise<TriggerConfig> {
	const node = this.getNode();
	const entitySet = entitySetOf(this.getNodeParameter('entitySet', '', { extractValue: true }));
	assertEntitySetName(node, entitySet);
	const event = this.getNodeParameter('event', 'createdOrUpdated') as TriggerEvent;
	const startFrom = this.getNodeParameter('startFrom', 'now') as StartFrom;
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const startDate = startFrom === 'date' ? parseStartDate.call(this) : undefined;
	const overlapMinutes = Number(options.overlap ?? 5);
	if (!Number.isFinite(overlapMinutes) || overlapMinutes <= 0) {
		throw new NodeOperationError(node, 'Overlap must be a positive number of minutes');
	}
	const conditions = options.conditions?.condition ?? [];
	const modelKey = JSON.stringify([entitySet, conditions, options.filter ?? '']);
	const cached = staticData.model as CachedModel | undefined;
	const model = cached?.modelKey === modelKey ? cached : await readModel.call(this, entitySet, conditions, options, modelKey);
	staticData.model = model as unknown as IDataObject;

	const { headers } = await buildCollectionQuery.call(this, entitySet, { ...options, conditions: [] });
	const required = ['Id', 'AggregateLastUpdateTimeUtc', ...(model.creationAttribute ? [model.creationAttribute] : [])];
	const chosen = joinList(options.select)?.split(',') ?? ['default'];
	return {
		entitySet,
		settings: { startFrom, startDate, overlapMs: overlapMinutes * 60_000, event },
		filter: model.filter,
		select: [...new Set([...chosen, ...required])].join(','),
		expand: options.expand?.trim() || undefined,
		headers,
		creationAttribute: model.creationAttribute,
		key: JSON.stringify([entitySet, model.filter ?? '', startFrom, startDate ?? '']),
	};
}

function parseStartDate(this: IPollFunctions): string {
	const value = this.getNodeParameter('startDate', '') as unknown;
	const text = value instanceof Date ? value.toISOString() : String(value ?? '').trim();
	const timestamp = toTimestamp(text);
	if (!timestamp) {
		throw new NodeOperationError(this.getNode(), `Start Date "${text}" is not a date and time`, {
			description: 'Give an ISO 8601 date-time such as 2026-01-31T08:00:00Z, or choose another Start From.',
		});
	}
	return timestamp;
}

/**
 * The entity set must be an aggregate root: only those have AggregateLastUpdateTimeUtc
 * (https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html).
 */
async function readModel(
	this: IPollFunctions,
	entitySet: string,
	conditions: FilterCondition[],
	options: TriggerOptions,
	modelKey: string,
): Promise<CachedModel> {
	const model = await getEntitySetModel.call(this, entitySet);
	if (model.IsAggregateRoot === false) {
		const root = model.AggregateRoot?.trim() || undefined;
		throw new NodeOperationError(this.getNode(), `${entitySet} is not an aggregate root, so ERP.net tracks no changes on it`, {
			description: root
				? `Its records belong to ${root}: watch ${root} instead (a change to a part of a record counts as a change of the record), and expand the part you need.`
				: 'Choose an aggregate root, e.g. Crm_Sales_SalesOrders instead of Crm_Sales_SalesOrderLines.',
		});
	}
	const names = new Set((model.Attributes ?? []).map((attribute) => attribute.Name));
	const { query } = await buildCollectionQuery.call(this, entitySet, { conditions, filter: options.filter });
	return { modelKey, filter: query.$filter, creationAttribute: CREATION_ATTRIBUTES.find((name) => names.has(name)) };
}
