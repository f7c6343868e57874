/**
 * The query stage: the query options of a read parsed (parse-query, parse-apply), evaluated over the store
 * (evaluate: `$filter`, `$search`, `$orderby`; query-collection: paging and next links; apply: `$apply`) and
 * serialised as OData JSON (serialize: `$select`, `$expand`, annotations). It imports only the model stage.
 */
export * from './apply';
export * from './evaluate';
export * from './parse-apply';
export * from './parse-query';
export * from './query-collection';
export * from './serialize';
