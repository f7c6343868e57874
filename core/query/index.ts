/**
 * Queries as nodes build them: the collection read (Conditions, Filter, Select, Search, Order), the request's
 * language and ERP.net context, and Summarize's `$apply`. Files inside `core/` import the module they need
 * directly, never this index (so that no import runs in a circle through it).
 */
export { buildCollectionQuery, countQuery } from './collectionQuery';
export type { CollectionQueryOptions } from './collectionQuery';
export { contextHeaders } from './contextHeaders';
export type { ContextOptions } from './contextHeaders';
export { combineFilters, FILTER_OPERATORS } from './filter';
export type { FilterCondition } from './filter';
export {
	fieldsOf,
	GROUPING_DOCS,
	isDate,
	isDimension,
	isFollowable,
	isMeasure,
	resolveField,
	SummarizeError,
	summaryPlan,
} from './summarize';
export type { AggregationRow, GroupKeyRow, SummaryField, SummaryPlan } from './summarize';
