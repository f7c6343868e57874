import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { joinList, searchTerm } from '../odata/syntax';
import type { ModelRepositoryDetails, ODataQuery } from '../odata/types';
import { isStoredAttributeName } from '../odata/storedAttributes';
import { getEntitySetModelFor } from '../transport/model';
import type { ErpNetFunctions } from '../transport/types';
import type { ContextOptions } from './contextHeaders';
import { contextHeaders } from './contextHeaders';
import type { FilterCondition } from './filter';
import { FilterConditionError, buildFilter, combineFilters } from './filter';

/** What a collection read is built from: the options of Get Many, Count Only and the trigger. */
export interface CollectionQueryOptions extends ContextOptions {
	/** The "Conditions" rows, typed from the entity set's model. */
	conditions?: FilterCondition[];
	/** A raw `$filter`, joined to the conditions with `and`. */
	filter?: string;
	select?: string[] | string;
	expand?: string;
	orderBy?: string;
	search?: string;
}

/** A collection read ready to send: its query options and request headers. */
export interface CollectionQuery {
	query: ODataQuery;
	headers: IDataObject;
}

/** Builds the query from option values; `model` is needed only when there are conditions. */
export function collectionQuery(
	node: INode,
	options: CollectionQueryOptions,
	model?: ModelRepositoryDetails,
	itemIndex?: number,
): CollectionQuery {
	let conditionsFilter: string | undefined;
	try {
		conditionsFilter = buildFilter(options.conditions ?? [], model);
	} catch (error) {
		const message = error instanceof FilterConditionError ? error.message : String(error);
		throw new NodeOperationError(node, message, { itemIndex });
	}
	return {
		query: {
			$filter: combineFilters(conditionsFilter, options.filter),
			$select: joinList(options.select),
			$expand: options.expand?.trim() || undefined,
			$orderby: options.orderBy?.trim() || undefined,
			$search: options.search?.trim() ? searchTerm(options.search) : undefined,
		},
		headers: contextHeaders(node, options, itemIndex),
	};
}

/** Builds the query, reading the entity set's model first when conditions need it. */
export async function buildCollectionQuery(
	this: ErpNetFunctions,
	entitySet: string,
	options: CollectionQueryOptions,
	itemIndex?: number,
): Promise<CollectionQuery> {
	const conditions = options.conditions ?? [];
	const fieldNames = [
		...conditions.map((condition) => String(condition.field ?? '').trim()),
		...selectedNames(options.select),
	];
	// Stored attributes are checked against the model even without conditions: one created since ERP.net last
	// read its model is only exposed after a model reset (core/transport/model.ts).
	const needsModel = conditions.length > 0 || fieldNames.some(isStoredAttributeName);
	const model = needsModel ? await getEntitySetModelFor.call(this, entitySet, fieldNames, itemIndex) : undefined;
	return collectionQuery(this.getNode(), options, model, itemIndex);
}

function selectedNames(select: CollectionQueryOptions['select']): string[] {
	const names = Array.isArray(select) ? select : String(select ?? '').split(',');
	return names.map((name) => name.trim()).filter((name) => name !== '');
}

/** The options `/$count` accepts: the filter and the search of the read. */
export function countQuery(query: ODataQuery): ODataQuery {
	return { $filter: query.$filter, $search: query.$search };
}
