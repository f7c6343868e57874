/**
 * Reads one page of an entity set: $filter and $search, $orderby, $skip, $top, $skiptoken, $count,
 * and the next link of https://docs.erp.net/dev/domain-api/querying-data/paging.html: only when $top is given and another row exists (the server
 * reads top+1 rows); `$skiptoken=<next Id>` (keyset over the Id order) without $orderby, `$skip=prev+top`
 * with it. The link is absolute and percent-encoded as in the real capture of https://docs.erp.net/dev/domain-api/data-manipulation/batch.html:
 * `.../General_Products_Products?%24top=2&%24select=PartNumber%2cName&%24skiptoken=d8372f13-...`.
 */
import { isGuid } from '../../store/guid-order';
import type { EntityRecord, MemoryStore } from '../../store/memory-store';
import { ODataRequestError } from '../errors';
import {
	compareSortKeys,
	compileFilter,
	compileSearch,
	compileSortKey,
	type EvaluationContext,
	type RecordPredicate,
	type SortKey,
} from './evaluate';
import type { EntitySetInfo } from '../model';
import type { ParsedQuery, QueryOption } from './parse-query';

export interface CollectionPage {
	records: EntityRecord[];
	/** Total rows matching $filter/$search, when $count=true. */
	count?: number;
	/** Replacement paging options for the next link, when there is a next page. */
	next?: { name: '$skiptoken' | '$skip'; value: string };
}

export function queryCollection(
	store: MemoryStore,
	set: EntitySetInfo,
	query: ParsedQuery,
	context: EvaluationContext,
): CollectionPage {
	const predicate = compilePredicate(set, query, context);
	const page =
		query.orderBy.length > 0
			? orderedPage(store, set, query, predicate, context)
			: keysetPage(store, set, query, predicate);
	if (query.count) page.count = countMatches(store, set, predicate);
	return page;
}

function compilePredicate(
	set: EntitySetInfo,
	query: ParsedQuery,
	context: EvaluationContext,
): RecordPredicate | undefined {
	const predicates: RecordPredicate[] = [];
	if (query.filter) predicates.push(compileFilter(query.filter, set, context));
	if (query.search) predicates.push(compileSearch(query.search, set, context));
	if (predicates.length === 0) return undefined;
	return (record) => predicates.every((predicate) => predicate(record));
}

/** Without $orderby rows come in Id order; a page starts at the $skiptoken Id, so reading it is O(log n + page). */
function keysetPage(
	store: MemoryStore,
	set: EntitySetInfo,
	query: ParsedQuery,
	predicate: RecordPredicate | undefined,
): CollectionPage {
	if (query.skipToken !== undefined && !isGuid(query.skipToken)) {
		throw new ODataRequestError(`The skip token '${query.skipToken}' is not valid.`);
	}
	let toSkip = query.skip ?? 0;
	const limit = query.top === undefined ? Infinity : query.top + 1;
	const records: EntityRecord[] = [];
	for (const record of store.scan(set.name, query.skipToken)) {
		if (records.length >= limit) break;
		if (predicate && !predicate(record)) continue;
		if (toSkip > 0) {
			toSkip--;
			continue;
		}
		records.push(record);
	}
	if (query.top === undefined || records.length <= query.top || query.top === 0)
		return { records: records.slice(0, query.top) };
	const nextRecord = records[query.top];
	return { records: records.slice(0, query.top), next: { name: '$skiptoken', value: String(nextRecord.Id) } };
}

function orderedPage(
	store: MemoryStore,
	set: EntitySetInfo,
	query: ParsedQuery,
	predicate: RecordPredicate | undefined,
	context: EvaluationContext,
): CollectionPage {
	const matches = sortedMatches(store, set, query, predicate, context);
	const skip = query.skip ?? 0;
	const end = query.top === undefined ? undefined : skip + query.top;
	const records = matches.slice(skip, end);
	if (end === undefined || query.top === 0 || matches.length <= end) return { records };
	return { records, next: { name: '$skip', value: String(end) } };
}

const MAX_CACHED_ORDERS = 16;
const sortedResults = new WeakMap<MemoryStore, Map<string, { generation: number; records: EntityRecord[] }>>();

/**
 * All rows matching the query, sorted. The result is kept until the data changes, so that following
 * `$skip` next links through a large set costs one sort, not one per page.
 */
function sortedMatches(
	store: MemoryStore,
	set: EntitySetInfo,
	query: ParsedQuery,
	predicate: RecordPredicate | undefined,
	context: EvaluationContext,
): EntityRecord[] {
	const optionValue = (name: string) => query.options.find((option) => option.name === name)?.value ?? '';
	const key = [
		set.name,
		optionValue('$filter'),
		optionValue('$search'),
		optionValue('$orderby'),
		context.language ?? '',
	].join('\n');
	const cache = sortedResults.get(store) ?? new Map<string, { generation: number; records: EntityRecord[] }>();
	sortedResults.set(store, cache);
	const cached = cache.get(key);
	if (cached && cached.generation === store.generation()) return cached.records;
	const sortKey = compileSortKey(query.orderBy, set, context);
	const keyed: Array<{ key: SortKey; record: EntityRecord }> = [];
	for (const record of store.scan(set.name)) {
		if (!predicate || predicate(record)) keyed.push({ key: sortKey(record), record });
	}
	keyed.sort((left, right) => compareSortKeys(left.key, right.key));
	const records = keyed.map((entry) => entry.record);
	cache.delete(key);
	cache.set(key, { generation: store.generation(), records });
	if (cache.size > MAX_CACHED_ORDERS) cache.delete(cache.keys().next().value as string);
	return records;
}

function countMatches(store: MemoryStore, set: EntitySetInfo, predicate: RecordPredicate | undefined): number {
	if (!predicate) return store.count(set.name);
	let count = 0;
	for (const record of store.scan(set.name)) if (predicate(record)) count++;
	return count;
}

/** Like .NET's HttpUtility.UrlEncode, which wrote the real next link: lower-case hex, `+` for spaces. */
export function encodeQueryComponent(text: string): string {
	let encoded = '';
	for (const byte of Buffer.from(text, 'utf8')) {
		const character = String.fromCharCode(byte);
		if (isUrlSafe(byte)) encoded += character;
		else if (character === ' ') encoded += '+';
		else encoded += `%${byte.toString(16).padStart(2, '0')}`;
	}
	return encoded;
}

function isUrlSafe(byte: number): boolean {
	const isAlphanumeric =
		(byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
	return isAlphanumeric || '-_.!*()'.includes(String.fromCharCode(byte));
}

/** The request's options with the paging options replaced, in the order of the request. */
export function nextLink(
	serviceRoot: string,
	resourcePath: string,
	options: QueryOption[],
	next: NonNullable<CollectionPage['next']>,
): string {
	const kept = options.filter((option) => option.name !== '$skiptoken' && option.name !== '$skip');
	const query = [...kept, { name: next.name, value: next.value }]
		.map((option) => `${encodeQueryComponent(option.name)}=${encodeQueryComponent(option.value)}`)
		.join('&');
	return `${serviceRoot}${resourcePath}?${query}`;
}
