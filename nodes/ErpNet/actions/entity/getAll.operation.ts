import type { IDataObject, IExecuteFunctions, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	contextOptions,
	expandOption,
	languageOption,
	selectOption,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import type { FilterCondition } from '../../helpers/filter';
import { FILTER_OPERATORS, FilterConditionError, buildFilter, combineFilters } from '../../helpers/filter';
import type { ODataQuery } from '../../helpers/interfaces';
import { joinList, searchTerm } from '../../helpers/odata';
import { EXPAND_PAGE_SIZE, MAX_PAGE_SIZE, erpNetApiPages, erpNetApiRequest, odataUrl } from '../../transport';
import { getEntitySetModel } from '../../transport/model';
import type { CommonOptions } from './shared';
import { getEntitySet, getOptions, requestHeaders, shapeRecord, timeoutMs } from './shared';

interface GetAllOptions extends CommonOptions {
	conditions?: { condition?: FilterCondition[] };
	countOnly?: boolean;
	filter?: string;
	select?: string[] | string;
	expand?: string;
	orderBy?: string;
	search?: string;
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Conditions',
				name: 'conditions',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add condition',
				default: {},
				description:
					'Simple filters on the entity set\'s fields; all of them must match (ERP.net combines filters with AND only)',
				options: [
					{
						displayName: 'Condition',
						name: 'condition',
						values: [
							{
								displayName: 'Field Name or ID',
								name: 'field',
								type: 'options',
								typeOptions: {
									loadOptionsMethod: 'getFilterableFields',
									loadOptionsDependsOn: ['entitySet.value'],
								},
								default: '',
								description:
									'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
							},
							{
								displayName: 'Operator',
								name: 'operator',
								type: 'options',
								options: FILTER_OPERATORS,
								default: 'eq',
							},
							{
								displayName: 'Value',
								name: 'value',
								type: 'string',
								default: '',
								description:
									'Text, a number, true/false, a date (2026-01-31) or, for references, the record\'s GUID',
							},
						],
					},
				],
			},
			...contextOptions,
			{
				displayName: 'Count Only',
				name: 'countOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to return only the number of matching records, as one item { entitySet, count } (ERP.net\'s /$count), instead of the records',
			},
			expandOption,
			selectOption,
			{
				displayName: 'Filter',
				name: 'filter',
				type: 'string',
				default: '',
				placeholder: "e.g. Active eq true and Number eq 'C0001'",
				description:
					'An OData $filter expression, sent to ERP.net as is. ERP.net supports eq, ge, le, and, in, contains(), startswith(), endswith(); it does not support "or". Quote text as \'text\' (double a quote inside: \'O\'\'Brien\'); compare references as \'Set(GUID)\' and amounts with the Value suffix, e.g. CreditLimitValue ge 1000.',
			},
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
					'An OData $orderby expression. ERP.net only orders by some attributes (marked ORD in its data model), e.g. Number on customers, PartNumber on products, DocumentDate on documents.',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
				default: MAX_PAGE_SIZE,
				description:
					'Records per request ($top). ERP.net recommends 1000 at most; the node uses 200 when expanding unless set here.',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				placeholder: 'e.g. Acme',
				description: 'Free-text search over the entity set\'s search members and display text ($search)',
			},
			simplifyOption,
			timeoutOption,
		],
	},
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['getAll'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const options = getOptions.call<IExecuteFunctions, [number], GetAllOptions>(this, itemIndex);

	const query: ODataQuery = {
		$filter: combineFilters(await conditionsFilter.call(this, entitySet, options, itemIndex), options.filter),
		$select: joinList(options.select),
		$expand: options.expand?.trim() || undefined,
		$orderby: options.orderBy?.trim() || undefined,
		$search: options.search?.trim() ? searchTerm(options.search) : undefined,
	};
	if (options.countOnly) return [await countRecords.call(this, entitySet, query, options, itemIndex)];
	const pageSize = options.pageSize ?? (query.$expand ? EXPAND_PAGE_SIZE : MAX_PAGE_SIZE);

	const records: IDataObject[] = [];
	const pages = erpNetApiPages.call(this, entitySet, query, {
		limit,
		pageSize,
		maxPages: options.maxPages,
		headers: requestHeaders.call(this, options, itemIndex),
		itemIndex,
		timeoutMs: timeoutMs(options),
	});
	try {
		for await (const page of pages) {
			for (const record of page) records.push(shapeRecord(record, options));
		}
	} catch (error) {
		throw withPartialRecords(error, records);
	}
	return records;
}

/** `GET {Set}/$count`: a plain-text number (querying-data/query-options, common-tasks/query-examples.md). */
async function countRecords(
	this: IExecuteFunctions,
	entitySet: string,
	query: ODataQuery,
	options: GetAllOptions,
	itemIndex: number,
): Promise<IDataObject> {
	const response = await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await odataUrl.call(this, `${entitySet}/$count`, { $filter: query.$filter, $search: query.$search }),
		headers: { ...requestHeaders.call(this, options, itemIndex), Accept: 'text/plain' },
		itemIndex,
		timeoutMs: timeoutMs(options),
		action: `count ${entitySet}`,
	});
	const count = Number(typeof response === 'string' ? response.trim() : response);
	if (!Number.isFinite(count)) {
		throw new NodeOperationError(this.getNode(), `ERP.net did not answer the count of ${entitySet} with a number`, {
			itemIndex,
		});
	}
	return { entitySet, count };
}

async function conditionsFilter(
	this: IExecuteFunctions,
	entitySet: string,
	options: GetAllOptions,
	itemIndex: number,
): Promise<string | undefined> {
	const conditions = options.conditions?.condition ?? [];
	if (conditions.length === 0) return undefined;
	const model = await getEntitySetModel.call(this, entitySet, itemIndex);
	try {
		return buildFilter(conditions, model);
	} catch (error) {
		const message = error instanceof FilterConditionError ? error.message : String(error);
		throw new NodeOperationError(this.getNode(), message, { itemIndex });
	}
}

/** Lets the node return what was read before a failure when "Continue On Fail" is on. */
function withPartialRecords(error: NodeApiError | NodeOperationError, records: IDataObject[]) {
	if (records.length > 0 && error?.context) {
		error.context.partialRecords = records;
		error.description = `${error.description ? `${error.description} ` : ''}The read stopped after ${records.length} records.`;
	}
	return error;
}
