/**
 * The trigger's parameters read once per poll, and the model facts it needs (aggregate root, creation-time
 * attribute), kept in static data so that a poll with nothing new costs one request.
 */
import type { IDataObject, INode, INodeParameters, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { oneWayDigest } from '../../../core/auth';
import type { CollectionQueryOptions, FilterCondition } from '../../../core/query';
import { buildCollectionQuery } from '../../../core/query';
import type { ModelAttribute, ModelRepositoryDetails } from '../../../core/odata';
import { entitySetOf, joinList } from '../../../core/odata';
import type { ErpNetFunctions } from '../../../core/transport';
import { assertEntitySetName, getEntitySetModel, getInstanceRoots } from '../../../core/transport';
import type { CreationAttribute, StartFrom, TriggerEvent, TriggerSettings } from './state';
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
	creationAttribute?: CreationAttribute;
	/**
	 * Identifies the watched stream: the instance (a digest of its Domain API root), the entity set and the
	 * parameters as written (an expression's changing value does not start over). Another value starts over.
	 */
	key: string;
	/** The key of releases before states were kept per instance and per parameters as written. */
	legacyKey?: string;
}

/** The instance a trigger reads, as a one-way digest of its Domain API root: part of every stored stream's key. */
export async function instanceDigest(this: ErpNetFunctions): Promise<string> {
	return oneWayDigest(['n8n-nodes-erpnet/trigger-instance', (await getInstanceRoots.call(this)).odataRoot]);
}

interface CachedModel {
	modelKey: string;
	filter?: string;
	creationAttribute?: CreationAttribute;
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
	const instance = await instanceDigest.call(this);
	const written = writtenParameters(node.parameters);
	const modelKey = JSON.stringify([instance, entitySet, written.conditions, written.filter]);
	const cached = staticData.model as CachedModel | undefined;
	const model =
		cached?.modelKey === modelKey ? cached : await readModel.call(this, entitySet, conditions, options, modelKey);
	staticData.model = model;
	// an expression in Conditions or Filter: its value of this poll (the model read above is cached per poll)
	const filter = written.dynamic
		? (await buildCollectionQuery.call(this, entitySet, { conditions, filter: options.filter })).query.$filter
		: model.filter;

	const { headers } = await buildCollectionQuery.call(this, entitySet, { ...options, conditions: [] });
	const required = [
		'Id',
		'AggregateLastUpdateTimeUtc',
		...(model.creationAttribute ? [model.creationAttribute.name] : []),
	];
	const chosen = joinList(options.select)?.split(',') ?? ['default'];
	return {
		entitySet,
		settings: { startFrom, startDate, overlapMs: overlapMinutes * 60_000, event },
		filter,
		select: [...new Set([...chosen, ...required])].join(','),
		expand: options.expand?.trim() || undefined,
		headers,
		creationAttribute: model.creationAttribute,
		key: oneWayDigest([
			'n8n-nodes-erpnet/trigger-state',
			instance,
			entitySet,
			startFrom,
			written.startDate,
			written.conditions,
			written.filter,
		]),
		legacyKey: JSON.stringify([entitySet, filter ?? '', startFrom, startDate ?? '']),
	};
}

/**
 * Filter, Conditions and Start Date as the user wrote them (expressions unevaluated): the state belongs to
 * these, so that `{{ $today.minus(7, 'days') }}` does not start over every day.
 */
function writtenParameters(parameters: INodeParameters) {
	const options = (parameters.options ?? {}) as IDataObject;
	const conditions = (options.conditions as IDataObject | undefined)?.condition ?? [];
	const filter = options.filter ?? '';
	return {
		conditions,
		filter,
		startDate: parameters.startFrom === 'date' ? (parameters.startDate ?? '') : '',
		dynamic: JSON.stringify([conditions, filter]).includes('"='),
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
	assertAggregateRoot(this.getNode(), entitySet, model);
	const { query } = await buildCollectionQuery.call(this, entitySet, { conditions, filter: options.filter });
	return { modelKey, filter: query.$filter, creationAttribute: creationAttributeOf(model.Attributes ?? []) };
}

/** Only aggregate roots carry AggregateLastUpdateTimeUtc, so only they can be watched (incremental-pull.html). */
export function assertAggregateRoot(node: INode, entitySet: string, model: ModelRepositoryDetails): void {
	if (model.IsAggregateRoot !== false) return;
	const root = model.AggregateRoot?.trim() || undefined;
	throw new NodeOperationError(node, `${entitySet} is not an aggregate root, so ERP.net tracks no changes on it`, {
		description: root
			? `Its records belong to ${root}: watch ${root} instead (a change to a part of a record counts as a change ` +
				'of the record), and expand the part you need.'
			: 'Choose an aggregate root, e.g. Crm_Sales_SalesOrders instead of Crm_Sales_SalesOrderLines.',
	});
}

/**
 * The creation time the trigger reads: a UTC one where the entity has it, else the local one (`Default(Now)`,
 * e.g. CreationTime of documents), by the model's `BaseInfo` (DateTimeUtc, DefaultValueType, Subtype:
 * https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html); without it, by the name.
 */
export function creationAttributeOf(attributes: ModelAttribute[]): CreationAttribute | undefined {
	const candidates = CREATION_ATTRIBUTES.map((name) => attributes.find((attribute) => attribute.Name === name)).filter(
		(attribute): attribute is ModelAttribute => attribute !== undefined,
	);
	const chosen = candidates.find(isUtcAttribute) ?? candidates[0];
	return chosen && { name: chosen.Name, local: !isUtcAttribute(chosen) };
}

function isUtcAttribute(attribute: ModelAttribute): boolean {
	const info = attribute.BaseInfo;
	if (!info) return attribute.Name.endsWith('Utc');
	return info.DateTimeUtc === true || info.DefaultValueType === 'CurrentDateTimeUtc' || info.Subtype === 'DateTime_Utc';
}
