/**
 * `$apply` grouping and aggregation with ERP.net's extensions, as
 * https://docs.erp.net/dev/domain-api/querying-data/grouping.html describes them:
 * - `aggregate(...)`, `groupby((keys))`, `groupby((keys),aggregate(...))`, and `compute(interval as Alias)/groupby(...)`
 *   with the intervals `year`, `yearmonth`, `date` and `substring(Property,0,1)`;
 * - aggregates `$count as Alias` and `Property with sum|min|max|countdistinct as Alias` ("Supported aggregate
 *   functions"; `average` and every other function or transformation is refused);
 * - group keys: dimensions of the entity, references, reference id paths (`Customer/Id`) and paths through
 *   ownership or filterable references ("Paths through references"); child collections are refused;
 * - each source property at most once in groupby and once in aggregate ("One use per source property");
 * - Amount and Quantity aggregates keep `{Value, Currency|Unit}` and split the groups by their measure
 *   ("Measured aggregate values");
 * - `$filter` first, then grouping ("Filters before grouping"); `$top`/`$skip` as a window over the groups
 *   ("Paging"); `$orderby` refused with the documented NotSupportedException ("Ordering restrictions");
 * - `expandgroup` expands grouped reference keys (`$select`, `$expand` inside, as `$expand` items).
 * Which properties are dimensions and which are measures the docs describe by kind; DECISIONS.md "Grouping" fixes it.
 */
import type { AttributeDefinition, ReferenceDefinition } from '../../schema/types';
import { referenceId, type EntityRecord, type MemoryStore } from '../../store/memory-store';
import { NotSupportedError, ODataRequestError } from '../errors';
import { compileFilter, compileSearch, unknownProperty, type EvaluationContext } from './evaluate';
import { attributeValue, type EntitySetInfo } from '../model';
import { parseExpand, type ExpandItem, type ParsedQuery } from './parse-query';
import {
	IDENTIFIER,
	type AggregateFunction,
	type AggregateItem,
	type ApplyTransformation,
	type Compute,
} from './parse-apply';
import { createProjector, type JsonObject, type SerializationContext } from './serialize';

// ---------------------------------------------------------------------------------------------------------
// Resolving keys and aggregated properties

type Reader = (record: EntityRecord) => unknown;

interface ResolvedPath {
	read: Reader;
	attribute?: AttributeDefinition;
	/** The path ends at a reference: the key is its id, output as `{Id}`. */
	reference?: ReferenceDefinition;
}

/**
 * Follows `path` from `set`. Every reference segment that is followed must be an ownership or filterable one
 * ("Paths through references"), except for the reference id path `Reference/<key attribute>`.
 */
function resolvePath(path: string[], set: EntitySetInfo, context: EvaluationContext, use: string): ResolvedPath {
	let current = set;
	let read: Reader = (record) => record;
	for (let index = 0; index < path.length; index++) {
		const name = path[index];
		const last = index === path.length - 1;
		const reader = read;
		const attribute = current.attributeByName.get(name);
		if (attribute) {
			if (!last) throw notPropertyAccess(path, use);
			const owner = current;
			return { attribute, read: (record) => readAttribute(owner, reader(record), name) };
		}
		const reference = current.referenceByName.get(name);
		if (current.childByName.has(name)) {
			throw new NotSupportedError(
				`The child collection '${name}' cannot be used in ${use}: child collections are not supported in grouped key paths.`,
			);
		}
		if (!reference) throw index === 0 ? unknownProperty(name, current) : notPropertyAccess(path, use);
		const target = context.model.getSet(reference.targetSet);
		const readId: Reader = (record) => referenceOf(reader(record), name);
		if (last) return { reference, read: readId };
		if (index === path.length - 2 && target && path[index + 1] === target.keyAttribute) return { read: readId };
		if (!reference.filterable && !reference.owner) {
			throw new NotSupportedError(
				`The reference '${name}' in '${path.join('/')}' is neither an ownership nor a filterable reference; ` +
					`${use} can follow only those (https://docs.erp.net/dev/domain-api/querying-data/grouping.html).`,
			);
		}
		if (!target) throw notPropertyAccess(path, use);
		current = target;
		read = (record) => {
			const value = reader(record);
			return value && typeof value === 'object' ? context.resolveReference((value as EntityRecord)[name]) : undefined;
		};
	}
	throw notPropertyAccess(path, use);
}

function readAttribute(set: EntitySetInfo, record: unknown, name: string): unknown {
	return record && typeof record === 'object' ? (attributeValue(set, record as EntityRecord, name) ?? null) : null;
}

function referenceOf(record: unknown, name: string): string | null {
	return record && typeof record === 'object' ? (referenceId((record as EntityRecord)[name]) ?? null) : null;
}

function notPropertyAccess(path: string[], use: string): ODataRequestError {
	return new ODataRequestError(`${use} expression '${path.join('/')}' must evaluate to a property access value.`);
}

const DIMENSION_TYPES = new Set(['Boolean', 'Date', 'DateTime', 'Enum', 'Guid', 'Int16', 'Int32', 'Int64']);
const MEASURE_TYPES = new Set(['Int16', 'Int32', 'Int64', 'Decimal', 'Amount', 'Quantity']);
/** Longer text is not a "short string" (DECISIONS.md "Grouping"). */
export const MAX_DIMENSION_TEXT_LENGTH = 256;

export function isDimension(resolved: ResolvedPath): boolean {
	const attribute = resolved.attribute;
	if (!attribute) return true;
	if (attribute.type === 'String') return (attribute.maxLength ?? Infinity) <= MAX_DIMENSION_TEXT_LENGTH;
	return DIMENSION_TYPES.has(attribute.type);
}

function isMeasure(resolved: ResolvedPath): boolean {
	return !!resolved.attribute && MEASURE_TYPES.has(resolved.attribute.type);
}

function isMeasured(attribute: AttributeDefinition | undefined): boolean {
	return attribute?.type === 'Amount' || attribute?.type === 'Quantity';
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

interface GroupKey {
	/** Output path: the key's path, or the compute alias. */
	outputPath: string[];
	isReference: boolean;
	value: Reader;
	sourcePath: string;
}

interface Aggregator {
	alias: string;
	measureName?: 'Currency' | 'Unit';
	create(): { add(record: EntityRecord): void; result(): unknown };
	/** The measure (currency or unit) that separates the groups, for Amount and Quantity. */
	measure?: Reader;
}

export function evaluateApply(
	apply: ApplyTransformation,
	query: ParsedQuery,
	set: EntitySetInfo,
	store: MemoryStore,
	context: SerializationContext,
): JsonObject[] {
	checkQueryOptions(query, set, apply);
	checkAggregatesOnce(apply);
	const keys = groupKeys(apply, set, context);
	const aggregators = apply.aggregates.map((item) => aggregator(item, set, context));
	checkAliases(keys, aggregators);
	const expandGroup = expandGroupOption(query, apply, keys, set, context);
	const filter = query.filter ? compileFilter(query.filter, set, context) : undefined;
	const search = query.search ? compileSearch(query.search, set, context) : undefined;
	const groups = new Map<
		string,
		{ keyValues: unknown[]; measures: unknown[]; states: ReturnType<Aggregator['create']>[] }
	>();
	for (const record of store.scan(set.name)) {
		if ((filter && !filter(record)) || (search && !search(record))) continue;
		const keyValues = keys.map((key) => key.value(record));
		const measures = aggregators.map((item) => item.measure?.(record));
		const groupId = JSON.stringify([keyValues, measures]);
		let group = groups.get(groupId);
		if (!group) {
			group = { keyValues, measures, states: aggregators.map((item) => item.create()) };
			groups.set(groupId, group);
		}
		for (const state of group.states) state.add(record);
	}
	const rows = [...groups.values()].map((group) => {
		const row: JsonObject = {};
		keys.forEach((key, index) => writePath(row, key.outputPath, keyOutput(key, group.keyValues[index])));
		aggregators.forEach((item, index) => (row[item.alias] = group.states[index].result()));
		for (const expand of expandGroup) expand(row, group.keyValues);
		return row;
	});
	if (rows.length === 0 && !apply.groupBy) rows.push(emptyAggregate(aggregators));
	const skip = query.skip ?? 0;
	return rows.slice(skip, query.top === undefined ? undefined : skip + query.top);
}

/** https://docs.erp.net/dev/domain-api/querying-data/grouping.html "Ordering restrictions", "Troubleshooting". */
function checkQueryOptions(query: ParsedQuery, set: EntitySetInfo, apply: ApplyTransformation): void {
	if (query.orderBy.length > 0) {
		throw new NotSupportedError(
			`OData $orderby is not supported together with $apply ${apply.groupBy ? 'groupby' : 'aggregate'}.`,
		);
	}
	for (const item of query.expand) {
		if (!set.referenceByName.has(item.path[0]) && !set.childByName.has(item.path[0]))
			throw unknownProperty(item.path[0], set);
		throw new NotSupportedError(
			"$expand is parsed against the source entity type, but grouped results are open objects; use 'expandgroup' for grouped reference keys.",
		);
	}
	if (query.select)
		throw new NotSupportedError(
			'$select is not supported together with $apply; the result holds the group keys and aggregate aliases.',
		);
	if (query.count)
		throw new NotSupportedError('$count is not supported together with $apply; use aggregate($count as Alias).');
}

function groupKeys(apply: ApplyTransformation, set: EntitySetInfo, context: EvaluationContext): GroupKey[] {
	const computes = new Map(apply.computes.map((compute) => [compute.alias, compute]));
	const used = new Set<string>();
	const keys = (apply.groupBy ?? []).map((path): GroupKey => {
		const compute = path.length === 1 ? computes.get(path[0]) : undefined;
		const sourcePath = (compute?.path ?? path).join('/');
		if (used.has(sourcePath)) throw onceOnly(sourcePath, 'groupby');
		used.add(sourcePath);
		if (compute) return intervalKey(compute, set, context);
		const resolved = resolvePath(path, set, context, '$apply/groupby grouping');
		if (!isDimension(resolved)) throw notDimension(sourcePath);
		return { outputPath: path, isReference: !!resolved.reference, value: resolved.read, sourcePath };
	});
	for (const compute of apply.computes) {
		if (!keys.some((key) => key.outputPath.length === 1 && key.outputPath[0] === compute.alias)) {
			throw new NotSupportedError(
				`The computed key '${compute.alias}' must be used in groupby: interval expressions are supported only as grouped keys.`,
			);
		}
	}
	return keys;
}

function intervalKey(compute: Compute, set: EntitySetInfo, context: EvaluationContext): GroupKey {
	const resolved = resolvePath(compute.path, set, context, '$apply/compute');
	const type = resolved.attribute?.type;
	const isDate = type === 'Date' || type === 'DateTime';
	if (compute.interval === 'substring' ? type !== 'String' : !isDate) {
		throw new NotSupportedError(
			`${compute.interval}(${compute.path.join('/')}) needs a ${compute.interval === 'substring' ? 'string' : 'date or date-time'} property.`,
		);
	}
	const length = { year: 4, yearmonth: 7, date: 10, substring: 1 }[compute.interval];
	return {
		outputPath: [compute.alias],
		isReference: false,
		sourcePath: compute.path.join('/'),
		value: (record) => {
			const value = resolved.read(record);
			return typeof value === 'string' && value !== '' ? value.slice(0, length) : null;
		},
	};
}

function aggregator(item: AggregateItem, set: EntitySetInfo, context: EvaluationContext): Aggregator {
	if (!item.path || !item.fn) {
		return { alias: item.alias, create: () => counter() };
	}
	const resolved = resolvePath(item.path, set, context, '$apply/aggregate');
	const name = item.path.join('/');
	const fn = item.fn;
	if (fn === 'countdistinct') {
		if (!isDimension(resolved) && !isMeasure(resolved)) throw notSupportedFor(name, fn, 'dimensions and measures');
		return { alias: item.alias, create: () => distinctCounter(resolved.read) };
	}
	if (!isMeasure(resolved))
		throw notSupportedFor(name, fn, fn === 'sum' ? 'numeric measures, Amount and Quantity' : 'measures');
	const attribute = resolved.attribute as AttributeDefinition;
	if (!isMeasured(attribute)) return { alias: item.alias, create: () => numberAggregate(fn, resolved.read) };
	const measureName = attribute.type === 'Amount' ? 'Currency' : 'Unit';
	const measure: Reader = (record) => (resolved.read(record) as Record<string, unknown> | null)?.[measureName] ?? null;
	return {
		alias: item.alias,
		measureName,
		measure,
		create: () => {
			const numbers = numberAggregate(fn, (record) => (resolved.read(record) as { Value?: unknown } | null)?.Value);
			let unit: unknown = null;
			return {
				add: (record) => {
					unit = measure(record);
					numbers.add(record);
				},
				result: () => ({ Value: numbers.result(), [measureName]: unit }),
			};
		},
	};
}

function counter() {
	let count = 0;
	return { add: () => void count++, result: () => count };
}

function distinctCounter(read: Reader) {
	const seen = new Set<string>();
	return {
		add: (record: EntityRecord) => {
			const value = read(record);
			if (value !== null && value !== undefined) seen.add(JSON.stringify(value));
		},
		result: () => seen.size,
	};
}

function numberAggregate(fn: Exclude<AggregateFunction, 'countdistinct'>, read: Reader) {
	let result: number | null = fn === 'sum' ? 0 : null;
	return {
		add: (record: EntityRecord) => {
			const value = read(record);
			if (typeof value !== 'number') return;
			if (fn === 'sum') result = roundDecimal((result ?? 0) + value);
			else if (result === null || (fn === 'min' ? value < result : value > result)) result = value;
		},
		result: () => result,
	};
}

/** Sums as SQL Server's decimal would give them, without binary floating-point tails. */
function roundDecimal(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}

function checkAliases(keys: GroupKey[], aggregators: Aggregator[]): void {
	const names = new Set(keys.map((key) => key.outputPath[0]));
	for (const item of aggregators) {
		if (!IDENTIFIER.test(item.alias) || names.has(item.alias)) {
			throw new ODataRequestError(`The aggregate alias '${item.alias}' is used twice or clashes with a group key.`);
		}
		names.add(item.alias);
	}
}

function onceOnly(property: string, transformation: 'groupby' | 'aggregate'): NotSupportedError {
	return new NotSupportedError(
		`The property '${property}' is used more than once in ${transformation}(...). A source property can be used only once in groupby and only once in aggregate.`,
	);
}

function notDimension(property: string): NotSupportedError {
	return new NotSupportedError(`The property '${property}' is not a dimension and cannot be used in groupby.`);
}

function notSupportedFor(property: string, fn: string, kinds: string): NotSupportedError {
	return new NotSupportedError(
		`The property '${property}' cannot be aggregated with ${fn}: ${fn} supports ${kinds} only.`,
	);
}

/** Direct aggregation over no rows: one row of the plain aggregates; measured ones have no measure to report. */
function emptyAggregate(aggregators: Aggregator[]): JsonObject {
	const row: JsonObject = {};
	for (const item of aggregators) if (!item.measure) row[item.alias] = item.create().result();
	return row;
}

function checkAggregatesOnce(apply: ApplyTransformation): void {
	const seen = new Set<string>();
	for (const item of apply.aggregates) {
		if (!item.path) continue;
		const name = item.path.join('/');
		if (seen.has(name)) throw onceOnly(name, 'aggregate');
		seen.add(name);
	}
}

function keyOutput(key: GroupKey, value: unknown): unknown {
	if (!key.isReference) return value ?? null;
	return typeof value === 'string' ? { Id: value } : null;
}

function writePath(row: JsonObject, path: string[], value: unknown): void {
	let target = row;
	for (const segment of path.slice(0, -1)) {
		const next = (target[segment] as JsonObject | undefined) ?? {};
		target[segment] = next;
		target = next;
	}
	target[path[path.length - 1]] = value;
}

type GroupExpander = (row: JsonObject, keyValues: unknown[]) => void;

/** `expandgroup=Path($select=...;$expand=...)`: each item names a grouped reference key (grouping.md "expandgroup"). */
function expandGroupOption(
	query: ParsedQuery,
	apply: ApplyTransformation,
	keys: GroupKey[],
	set: EntitySetInfo,
	context: SerializationContext,
): GroupExpander[] {
	const option = query.options.find((candidate) => candidate.name === 'expandgroup');
	if (!option) return [];
	if (!apply.groupBy) {
		throw new NotSupportedError(
			'expandgroup is used only with groupby: direct aggregation has no grouped reference keys to expand.',
		);
	}
	return parseExpand(option.value).map((item) => groupExpander(item, keys, set, context));
}

function groupExpander(
	item: ExpandItem,
	keys: GroupKey[],
	set: EntitySetInfo,
	context: SerializationContext,
): GroupExpander {
	const path = item.path.join('/');
	const index = keys.findIndex((key) => key.isReference && key.outputPath.join('/') === path);
	if (index < 0) {
		throw new ODataRequestError(
			`expandgroup '${path}' does not name a grouped reference key; expand only references listed in groupby.`,
		);
	}
	const target = targetSetOf(item.path, set, context);
	const project = createProjector(target, item.select, item.expand, context);
	return (row, keyValues) => {
		const id = keyValues[index];
		const record =
			typeof id === 'string' ? (context.store.peek(target.name, id) ?? context.store.locate(id)?.record) : undefined;
		writePath(row, item.path, record ? project(record) : null);
	};
}

function targetSetOf(path: string[], set: EntitySetInfo, context: EvaluationContext): EntitySetInfo {
	let current = set;
	for (const name of path) {
		const reference = current.referenceByName.get(name);
		const next = reference ? context.model.getSet(reference.targetSet) : undefined;
		if (!next) throw new NotSupportedError(`The entity set of '${path.join('/')}' is not available for expandgroup.`);
		current = next;
	}
	return current;
}
