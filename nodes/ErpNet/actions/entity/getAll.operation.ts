import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { CollectionQueryOptions, FilterCondition } from '../../../../core/query';
import { buildCollectionQuery, countQuery } from '../../../../core/query';
import { countRecords, erpNetApiPages, EXPAND_PAGE_SIZE, MAX_PAGE_SIZE, toNodeError } from '../../../../core/transport';

import {
	contextOptions,
	expandOption,
	languageOption,
	optionsCollection,
	selectOption,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { conditionsOption, filterOption } from '../../descriptions/query.descriptions';
import { optionalWholeNumberOption, wholeNumberOption } from '../../helpers/wholeNumber';
import type { ItemOutcome, NodeError } from '../node.type';
import type { CommonOptions } from './parameters';
import { getEntitySet, operationOptions, shapeRecord, timeoutMs } from './parameters';

interface GetAllOptions extends CommonOptions, Omit<CollectionQueryOptions, 'conditions'> {
	conditions?: { condition?: FilterCondition[] };
	countOnly?: boolean;
	pageSize?: number;
	maxPages?: number;
}

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	optionsCollection([
		conditionsOption(
			"Simple filters on the entity set's fields; all of them must match (ERP.net combines filters with AND only)",
		),
		...contextOptions,
		{
			displayName: 'Count Only',
			name: 'countOnly',
			type: 'boolean',
			default: false,
			description:
				"Whether to return only the number of matching records, as one item { entitySet, count } (ERP.net's " +
				'/$count), instead of the records',
		},
		expandOption,
		selectOption,
		filterOption(
			"e.g. Active eq true and Number eq 'C0001'",
			'An OData $filter expression, sent to ERP.net as is. ERP.net supports eq, ge, le, and, in, contains(), ' +
				'startswith(), endswith(); it does not support "or". Quote text as \'text\' (double a quote inside: ' +
				"'O''Brien'); compare references as 'Set(GUID)' and amounts with the Value suffix, e.g. CreditLimitValue " +
				'ge 1000.',
		),
		languageOption,
		{
			displayName: 'Max Pages',
			name: 'maxPages',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10000,
			description: 'Safety limit on the number of pages one read may request',
		},
		{
			displayName: 'Order By',
			name: 'orderBy',
			type: 'string',
			default: '',
			placeholder: 'e.g. Number desc',
			description:
				'An OData $orderby expression. ERP.net only orders by some attributes (marked ORD in its data model), ' +
				'e.g. Number on customers, PartNumber on products, DocumentDate on documents.',
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
			default: MAX_PAGE_SIZE,
			description:
				'Records per request ($top). ERP.net recommends 1000 at most; the node uses 200 when expanding unless ' +
				'set here.',
		},
		{
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			placeholder: 'e.g. Acme',
			description: "Free-text search over the entity set's search members and display text ($search)",
		},
		simplifyOption,
		timeoutOption,
	]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['getAll'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const node = this.getNode();
	const limit = returnAll
		? undefined
		: wholeNumberOption(
				node,
				{ name: 'Limit', value: this.getNodeParameter('limit', itemIndex, 50), min: 1, example: 50 },
				itemIndex,
			);
	const options = operationOptions<GetAllOptions>(this, itemIndex);
	const pageSize = optionalWholeNumberOption(
		node,
		{ name: 'Page Size', value: options.pageSize, example: MAX_PAGE_SIZE },
		itemIndex,
	);
	const maxPages = optionalWholeNumberOption(
		node,
		{ name: 'Max Pages', value: options.maxPages, example: 10000 },
		itemIndex,
	);
	const { query, headers } = await buildCollectionQuery.call(
		this,
		entitySet,
		{ ...options, conditions: options.conditions?.condition },
		itemIndex,
	);
	if (options.countOnly) {
		const count = await countRecords.call(this, entitySet, countQuery(query), {
			headers,
			itemIndex,
			timeoutMs: timeoutMs(options),
		});
		return { records: [{ entitySet, count }] };
	}

	const records: IDataObject[] = [];
	const pages = erpNetApiPages.call(this, entitySet, query, {
		limit,
		pageSize: pageSize ?? (query.$expand ? EXPAND_PAGE_SIZE : MAX_PAGE_SIZE),
		maxPages,
		headers,
		itemIndex,
		timeoutMs: timeoutMs(options),
	});
	try {
		for await (const page of pages) {
			for (const record of page) records.push(shapeRecord(record, options));
		}
	} catch (error) {
		return { records, error: stoppedAfter(toNodeError(this.getNode(), error, itemIndex), records.length) };
	}
	return { records };
}

/** Says in the error how far a failed read got; the records read so far are output with "Continue On Fail". */
function stoppedAfter(error: NodeError, recordCount: number): NodeError {
	if (recordCount > 0) {
		const stopped = `The read stopped after ${recordCount} records.`;
		error.description = error.description ? `${error.description} ${stopped}` : stopped;
	}
	return error;
}
