import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { AggregationRow, FilterCondition, GroupKeyRow, SummaryPlan } from '../../../../core/query';
import { buildCollectionQuery, GROUPING_DOCS, resolveField, SummarizeError, summaryPlan } from '../../../../core/query';
import { erpNetApiPages, getEntitySetModel, MAX_PAGE_SIZE, toNodeError } from '../../../../core/transport';

import {
	contextOptions,
	languageOption,
	optionsCollection,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { conditionsOption, filterOption } from '../../descriptions/query.descriptions';
import type { ItemOutcome } from '../node.type';
import type { CommonOptions } from './parameters';
import { getEntitySet, operationOptions, shapeRecord, timeoutMs } from './parameters';
import { optionalWholeNumberOption, wholeNumberOption } from '../../helpers/wholeNumber';

interface SummarizeOptions extends CommonOptions {
	conditions?: { condition?: FilterCondition[] };
	filter?: string;
	expandGroup?: string;
	sortBy?: string;
	pageSize?: number;
}

const properties: INodeProperties[] = [
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add group key',
		default: {},
		description:
			'The fields that make a group: one output item per distinct combination. Leave empty for one grand total. ' +
			'Groups come in no particular order (a Limit keeps the first ones ERP.net sends, not the largest). E.g. ' +
			'SalesOrder/Customer for "per customer", a date with Year and Month for "per month".',
		options: [
			{
				displayName: 'Key',
				name: 'key',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getGroupableFields', loadOptionsDependsOn: ['entitySet.value'] },
						default: '',
						description:
							'A reference, date, yes/no, enum, integer or short-text field, or a path through an ownership or filterable reference (e.g. SalesOrder/Customer). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Interval',
						name: 'interval',
						type: 'options',
						options: [
							{ name: 'Value', value: 'value', description: 'Group by the exact value' },
							{
								name: 'Year and Month',
								value: 'yearmonth',
								description: 'Dates only: one group per calendar month, e.g. 2026-01',
							},
							{ name: 'Year', value: 'year', description: 'Dates only: one group per year, e.g. 2026' },
							{ name: 'Date', value: 'date', description: 'Dates only: one group per day, e.g. 2026-01-31' },
						],
						default: 'value',
					},
					{
						displayName: 'Output Name',
						name: 'alias',
						type: 'string',
						default: '',
						placeholder: 'e.g. Month',
						description:
							'For an interval only: the name of the key in the output. Default: the field and the interval, e.g. ' +
							'DocumentDateYearMonth.',
					},
				],
			},
		],
	},
	{
		displayName: 'Aggregations',
		name: 'aggregations',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add aggregation',
		default: { aggregation: [{ aggregation: 'count', alias: 'Count' }] },
		description:
			'What to compute for each group, e.g. Sum of LineAmount as TotalAmount. ' +
			'Each field can be aggregated once. Amounts and quantities come out as {Value, Currency} / {Value, Unit}, ' +
			'one row per currency or unit.',
		options: [
			{
				displayName: 'Aggregation',
				name: 'aggregation',
				values: [
					{
						displayName: 'Function',
						name: 'aggregation',
						type: 'options',
						options: [
							{ name: 'Count', value: 'count', description: 'Number of records in the group (no field)' },
							{
								name: 'Count Distinct',
								value: 'countdistinct',
								description: 'Number of different values of the field',
							},
							{ name: 'Maximum', value: 'max', description: 'Largest value of a number, amount or quantity' },
							{ name: 'Minimum', value: 'min', description: 'Smallest value of a number, amount or quantity' },
							{ name: 'Sum', value: 'sum', description: 'Total of a number, amount or quantity' },
						],
						default: 'sum',
					},
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getAggregatableFields', loadOptionsDependsOn: ['entitySet.value'] },
						default: '',
						description:
							'The field to aggregate (not used by Count). Sum, Minimum and Maximum take numbers, amounts and quantities; Count Distinct also takes references and other groupable fields. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Output Name',
						name: 'alias',
						type: 'string',
						default: '',
						placeholder: 'e.g. TotalAmount',
						description:
							'Name of the result in each output item. Default: the field and the function, e.g. ' +
							'LineAmountSum, or Count.',
					},
				],
			},
		],
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
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
		conditionsOption('Only records matching all these conditions are grouped and aggregated (applied before grouping)'),
		...contextOptions,
		{
			displayName: 'Expand Group',
			name: 'expandGroup',
			type: 'string',
			default: '',
			placeholder: 'e.g. SalesOrder/Customer($select=Number,DisplayText)',
			description:
				"Fields of grouped references to include, in ERP.net's expandgroup form: a Group By reference with " +
				'$select (and $expand) in parentheses; several separated by commas',
		},
		filterOption(
			'e.g. RequiredDeliveryDate ge 2026-01-01',
			'An OData $filter applied before grouping, joined to the conditions with and. ERP.net supports eq, ge, ' +
				'le, and, in, contains(), startswith(), endswith(); amounts are compared with the Value suffix, e.g. ' +
				'LineAmountValue ge 100.',
		),
		languageOption,
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
			default: MAX_PAGE_SIZE,
			description: 'Groups per request: large results are read in chunks with $top and $skip',
		},
		simplifyOption,
		{
			displayName: 'Sort By',
			name: 'sortBy',
			type: 'string',
			default: '',
			placeholder: 'e.g. TotalAmount desc',
			description:
				'Sort the groups in n8n after all of them are read (ERP.net does not order grouped results). An output ' +
				'name, optionally followed by desc. Needs Return All.',
		},
		timeoutOption,
	]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['summarize'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const node = this.getNode();
	const limit = returnAll
		? undefined
		: wholeNumberOption(
				node,
				{ name: 'Limit', value: this.getNodeParameter('limit', itemIndex, 50), min: 1, example: 50 },
				itemIndex,
			);
	const options = operationOptions<SummarizeOptions>(this, itemIndex);
	const pageSize = optionalWholeNumberOption(
		node,
		{ name: 'Page Size', value: options.pageSize, example: MAX_PAGE_SIZE },
		itemIndex,
	);
	const sortBy = parseSortBy.call(this, options.sortBy, returnAll, itemIndex);
	const plan = await planSummary.call(this, entitySet, options, itemIndex);
	const { query, headers } = await buildCollectionQuery.call(
		this,
		entitySet,
		{
			...options,
			conditions: options.conditions?.condition,
			expand: undefined,
			orderBy: undefined,
			search: undefined,
			select: undefined,
		},
		itemIndex,
	);
	const pages = erpNetApiPages.call(
		this,
		entitySet,
		{ $filter: query.$filter, $apply: plan.apply, expandgroup: plan.expandGroup },
		{ limit, pageSize: pageSize ?? MAX_PAGE_SIZE, headers, itemIndex, timeoutMs: timeoutMs(options) },
	);
	const records: IDataObject[] = [];
	try {
		for await (const page of pages) for (const row of page) records.push(shapeRecord(row, options));
	} catch (error) {
		return { records: [], error: toNodeError(this.getNode(), error, itemIndex) };
	}
	if (sortBy) sortRows(records, sortBy);
	return { records };
}

/** Reads the Group By and Aggregations rows and checks them against the model before any grouped request. */
async function planSummary(
	this: IExecuteFunctions,
	entitySet: string,
	options: SummarizeOptions,
	itemIndex: number,
): Promise<SummaryPlan> {
	const keyRows = ((this.getNodeParameter('groupBy', itemIndex, {}) as IDataObject).key ?? []) as GroupKeyRow[];
	const aggregationRows = ((this.getNodeParameter('aggregations', itemIndex, {}) as IDataObject).aggregation ??
		[]) as AggregationRow[];
	try {
		const model = await getEntitySetModel.call(this, entitySet, itemIndex);
		const modelOf = async (set: string) => await getEntitySetModel.call(this, set, itemIndex);
		const keys = [];
		for (const row of keyRows) keys.push({ row, field: await resolveField(row.field ?? '', model, modelOf) });
		const aggregations = [];
		for (const row of aggregationRows) {
			const field = row.aggregation === 'count' ? undefined : await resolveField(row.field ?? '', model, modelOf);
			aggregations.push({ row, field });
		}
		return summaryPlan(keys, aggregations, options.expandGroup);
	} catch (error) {
		if (!(error instanceof SummarizeError)) throw toNodeError(this.getNode(), error, itemIndex);
		throw new NodeOperationError(this.getNode(), error.message, { itemIndex, description: error.hint });
	}
}

interface SortBy {
	path: string[];
	descending: boolean;
}

/** "TotalAmount desc" -> a client-side sort; refused with Limit, since ERP.net's first N groups are not the top N. */
function parseSortBy(
	this: IExecuteFunctions,
	text: string | undefined,
	returnAll: boolean,
	itemIndex: number,
): SortBy | undefined {
	const trimmed = text?.trim() ?? '';
	if (trimmed === '') return undefined;
	if (!returnAll) {
		throw new NodeOperationError(this.getNode(), 'Sort By needs Return All', {
			itemIndex,
			description:
				'ERP.net rejects $orderby on grouped results and its $top is not "the top N by amount" ' +
				`(${GROUPING_DOCS}#ordering-restrictions). Turn on Return All so that all groups are read and then ` +
				'sorted, and keep the first N with a Limit node after this one.',
		});
	}
	const match = /^([A-Za-z_][A-Za-z0-9_]*(?:[./][A-Za-z_][A-Za-z0-9_]*)*)(?:\s+(asc|desc))?$/i.exec(trimmed);
	if (!match) {
		throw new NodeOperationError(this.getNode(), `"${trimmed}" is not a sort order`, {
			itemIndex,
			description: 'Write an output name, optionally followed by asc or desc, e.g. TotalAmount desc.',
		});
	}
	return { path: match[1].split(/[./]/), descending: match[2]?.toLowerCase() === 'desc' };
}

function sortRows(rows: IDataObject[], sortBy: SortBy): void {
	const direction = sortBy.descending ? -1 : 1;
	const keyOf = (row: IDataObject) => {
		let value: unknown = row;
		for (const segment of sortBy.path)
			value = value && typeof value === 'object' ? (value as IDataObject)[segment] : undefined;
		if (value && typeof value === 'object' && 'Value' in value) value = (value as IDataObject).Value;
		return value as string | number | null | undefined;
	};
	rows.sort((left, right) => {
		const a = keyOf(left);
		const b = keyOf(right);
		if (a === b) return 0;
		if (a === undefined || a === null) return 1;
		if (b === undefined || b === null) return -1;
		return (a < b ? -1 : 1) * direction;
	});
}
