/**
 * Entities and collections in ERP.net's JSON (odata.metadata=minimal), as the real capture in
 * https://docs.erp.net/dev/domain-api/data-manipulation/batch.html shows: absolute `@odata.context` `{serviceRoot}$metadata#Set`, a relative
 * `@odata.id` on every entity, multi-language values as `{"EN":..}` objects.
 * Projection follows https://docs.erp.net/dev/domain-api/querying-data/query-options/select.html: without $select (or with `*`) only the default attributes
 * and the references come back (no Id, no custom properties, no child collections); `default,X` adds X;
 * expanded navigation properties are always returned. A non-expanded reference is `{"@odata.id":"Set(guid)"}`
 * (no capture shows one; this is the form the official .NET client reads first).
 */
import { referenceId, type EntityRecord, type MemoryStore } from '../../store/memory-store';
import { displayText, type ValueResolver, attributeValue, type EntitySetInfo } from '../model';
import { NotSupportedError } from '../errors';
import { compileFilter, compileOrderBy, unknownProperty } from './evaluate';
import type { ExpandItem, SelectClause } from './parse-query';

/** The Content-Type of every Domain API JSON response in the real capture (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html). */
export const ODATA_JSON_CONTENT_TYPE =
	'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
export const ODATA_VERSION_HEADERS = { 'OData-Version': '4.0' } as const;

export interface SerializationContext extends ValueResolver {
	store: MemoryStore;
	/** Absolute, ending in `/`, e.g. `https://host/api/domain/odata/`. */
	serviceRoot: string;
	/** `options=skipnulls` (https://docs.erp.net/dev/domain-api/querying-data/query-options/options.html). */
	skipNulls: boolean;
}

export type JsonObject = Record<string, unknown>;

export function entityId(entitySet: string, id: unknown): string {
	return `${entitySet}(${String(id)})`;
}

export function collectionPayload(
	serviceRoot: string,
	entitySet: string,
	values: JsonObject[],
	extras: { count?: number; nextLink?: string } = {},
): JsonObject {
	const payload: JsonObject = { '@odata.context': `${serviceRoot}$metadata#${entitySet}` };
	if (extras.count !== undefined) payload['@odata.count'] = extras.count;
	if (extras.nextLink !== undefined) payload['@odata.nextLink'] = extras.nextLink;
	payload.value = values;
	return payload;
}

export function entityPayload(serviceRoot: string, entitySet: string, entity: JsonObject): JsonObject {
	return { '@odata.context': `${serviceRoot}$metadata#${entitySet}/$entity`, ...entity };
}

interface Projection {
	attributes: Set<string>;
	references: Set<string>;
	expand: Map<string, ExpandItem>;
}

/** Validates $select/$expand against the set once, so that errors surface before any row is read. */
function planProjection(set: EntitySetInfo, select: SelectClause | undefined, expand: ExpandItem[]): Projection {
	const includeDefault = !select || select.includeDefault;
	const attributes = new Set(includeDefault ? set.defaultAttributes.map((attribute) => attribute.name) : []);
	const references = new Set(includeDefault ? set.definition.references.map((reference) => reference.name) : []);
	for (const path of select?.properties ?? []) {
		const [name, ...rest] = path;
		if (rest.length > 0)
			throw new NotSupportedError(
				`The $select path '${path.join('/')}' is not supported; use $expand with a nested $select.`,
			);
		if (set.attributeByName.has(name)) attributes.add(name);
		else if (set.referenceByName.has(name)) references.add(name);
		else if (!set.childByName.has(name)) throw unknownProperty(name, set);
	}
	const expandByName = new Map<string, ExpandItem>();
	for (const item of expand) {
		if (item.path.length !== 1)
			throw new NotSupportedError(`The $expand path '${item.path.join('/')}' is not supported.`);
		const name = item.path[0];
		if (!set.referenceByName.has(name) && !set.childByName.has(name)) {
			throw new NotSupportedError(
				`'${name}' is not a navigation property of '${set.qualifiedType}' and cannot be expanded.`,
			);
		}
		expandByName.set(name, item);
	}
	return { attributes, references, expand: expandByName };
}

/**
 * Returns a function projecting records of `set`; the projection is validated (and throws) when created,
 * before any record is read.
 */
export function createProjector(
	set: EntitySetInfo,
	select: SelectClause | undefined,
	expand: ExpandItem[],
	context: SerializationContext,
	entitySetForId: string = set.name,
): (record: EntityRecord) => JsonObject {
	const projection = planProjection(set, select, expand);
	const expanders = [...projection.expand.entries()].map(([name, item]) => createExpander(set, name, item, context));
	return (record) => {
		const entity: JsonObject = { '@odata.id': entityId(entitySetForId, record.Id) };
		for (const attribute of set.attributes) {
			if (!projection.attributes.has(attribute.name)) continue;
			const value =
				attribute.name === 'DisplayText'
					? displayText(set, record, context)
					: attributeValue(set, record, attribute.name);
			writeValue(entity, attribute.name, value ?? null, context);
		}
		for (const reference of set.definition.references) {
			if (!projection.references.has(reference.name) || projection.expand.has(reference.name)) continue;
			const id = referenceId(record[reference.name]);
			writeValue(entity, reference.name, id ? { '@odata.id': entityId(reference.targetSet, id) } : null, context);
		}
		for (const expander of expanders) expander(record, entity);
		return entity;
	};
}

function writeValue(entity: JsonObject, name: string, value: unknown, context: SerializationContext): void {
	if (value === null && context.skipNulls) return;
	entity[name] = value;
}

type Expander = (record: EntityRecord, entity: JsonObject) => void;

function createExpander(set: EntitySetInfo, name: string, item: ExpandItem, context: SerializationContext): Expander {
	const reference = set.referenceByName.get(name);
	if (reference) {
		const target = context.model.getSet(reference.targetSet);
		if (!target) throw new NotSupportedError(`The entity set '${reference.targetSet}' is not available for $expand.`);
		const project = createProjector(target, item.select, item.expand, context, reference.targetSet);
		return (record, entity) => {
			const referenced = context.resolveReference(record[name]);
			writeValue(entity, name, referenced ? project(referenced) : null, context);
		};
	}
	const child = set.childByName.get(name);
	const childSet = child ? context.model.getSet(child.childSet) : undefined;
	if (!child || !childSet) throw new NotSupportedError(`The child collection '${name}' is not available for $expand.`);
	const project = createProjector(childSet, item.select, item.expand, context);
	const filter = item.filter ? compileFilter(item.filter, childSet, context) : undefined;
	const order = item.orderBy.length > 0 ? compileOrderBy(item.orderBy, childSet, context) : undefined;
	return (record, entity) => {
		let children = context.store.childrenOf(child.childSet, String(record.Id), child.ownerReference);
		if (filter) children = children.filter(filter);
		if (order) children = [...children].sort(order);
		const start = item.skip ?? 0;
		children = children.slice(start, item.top === undefined ? undefined : start + item.top);
		entity[name] = children.map(project);
	};
}
