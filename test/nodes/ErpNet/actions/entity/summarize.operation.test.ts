/**
 * Summarize through the real n8n-core engine against the sandbox's `$apply`
 * (https://docs.erp.net/dev/domain-api/querying-data/grouping.html). Expected totals come from the sandbox's store.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { ErpNet } from '../../../../../nodes/ErpNet/ErpNet.node';

import type { EntityRecord } from '../../../../../sandbox/src/store/memory-store';
import {
	erpNetCredentials,
	locator,
	odataRequests,
	queryOption,
	runErpNet,
	useSandbox,
} from '../../../../helpers/erpnet';
import { callLoadOptions } from '../../../../helpers/n8n';

const LINES = 'Crm_Sales_SalesOrderLines';
const sandbox = useSandbox({ sizes: { customers: 15, products: 10, salesOrders: 60 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

const summarize = (parameters: IDataObject = {}) => ({
	operation: 'summarize',
	entitySet: locator(LINES),
	...parameters,
});
const keys = (...rows: IDataObject[]) => ({ key: rows });
const aggregations = (...rows: IDataObject[]) => ({ aggregation: rows });

const idOf = (reference: unknown) =>
	String((reference as { '@odata.id': string })['@odata.id']).replace(/^.*\(|\)$/g, '');
const lines = () => sandbox().store.list(LINES) as EntityRecord[];
const customerOf = (line: EntityRecord) =>
	idOf((sandbox().store.get('Crm_Sales_SalesOrders', idOf(line.SalesOrder)) as EntityRecord).Customer);
const amountOf = (line: EntityRecord) => line.LineAmount as { Value: number; Currency: string };
const lineRequests = () => odataRequests(sandbox(), LINES);

function totalsBy(keyOf: (line: EntityRecord) => string): Map<string, number> {
	const totals = new Map<string, number>();
	for (const line of lines()) {
		const key = `${keyOf(line)}|${amountOf(line).Currency}`;
		totals.set(key, Math.round(((totals.get(key) ?? 0) + amountOf(line).Value) * 100) / 100);
	}
	return totals;
}

describe('Summarize', () => {
	it('should sum an amount per customer in one request, one item per customer and currency', async () => {
		const { items, error } = await runErpNet(
			sandbox(),
			summarize({
				groupBy: keys({ field: 'SalesOrder/Customer' }),
				aggregations: aggregations(
					{ aggregation: 'sum', field: 'LineAmount', alias: 'TotalAmount' },
					{ aggregation: 'count', alias: 'Lines' },
				),
			}),
		);
		expect(error).toBeUndefined();
		const expected = totalsBy(customerOf);
		expect(items).toHaveLength(expected.size);
		for (const { json } of items) {
			const row = json as {
				SalesOrder: { Customer: { Id: string } };
				TotalAmount: { Value: number; Currency: string };
			};
			expect(Object.keys(row.TotalAmount).sort()).toEqual(['Currency', 'Value']);
			expect(row.TotalAmount.Value).toBeCloseTo(
				expected.get(`${row.SalesOrder.Customer.Id}|${row.TotalAmount.Currency}`) as number,
				2,
			);
		}
		const requests = lineRequests();
		expect(requests).toHaveLength(1);
		expect(queryOption(requests[0], '$apply')).toBe(
			'groupby((SalesOrder/Customer),aggregate(LineAmount with sum as TotalAmount,$count as Lines))',
		);
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('should total without grouping: one row per currency', async () => {
		const { items } = await runErpNet(
			sandbox(),
			summarize({ aggregations: aggregations({ aggregation: 'sum', field: 'LineAmount' }) }),
		);
		const expected = totalsBy(() => 'all');
		expect(expected.size).toBeGreaterThan(1);
		expect(items.map((item) => (item.json.LineAmountSum as IDataObject).Currency).sort()).toEqual(
			[...expected.keys()].map((key) => key.split('|')[1]).sort(),
		);
		expect(queryOption(lineRequests()[0], '$apply')).toBe('aggregate(LineAmount with sum as LineAmountSum)');
	});

	it('should group a date by year and month with compute(yearmonth(...))', async () => {
		const { items } = await runErpNet(
			sandbox(),
			summarize({
				groupBy: keys({ field: 'RequiredDeliveryDate', interval: 'yearmonth', alias: 'Month' }),
				aggregations: aggregations({ aggregation: 'count' }),
			}),
		);
		const expected = new Map<string, number>();
		for (const line of lines()) {
			const month = String(line.RequiredDeliveryDate).slice(0, 7);
			expected.set(month, (expected.get(month) ?? 0) + 1);
		}
		expect(new Map(items.map((item) => [item.json.Month, item.json.Count]))).toEqual(expected);
		expect(queryOption(lineRequests()[0], '$apply')).toBe(
			'compute(yearmonth(RequiredDeliveryDate) as Month)/groupby((Month),aggregate($count as Count))',
		);
	});

	it('should count distinct, take min and max, and expand the grouped reference', async () => {
		const { items, error } = await runErpNet(
			sandbox(),
			summarize({
				groupBy: keys({ field: 'SalesOrder/Customer' }),
				aggregations: aggregations(
					{ aggregation: 'countdistinct', field: 'Product', alias: 'Products' },
					{ aggregation: 'max', field: 'LineAmount', alias: 'Largest' },
					{ aggregation: 'min', field: 'Quantity', alias: 'Smallest' },
				),
				options: { expandGroup: 'SalesOrder/Customer($select=Number)', simplify: true },
			}),
		);
		expect(error).toBeUndefined();
		const row = items[0].json as {
			SalesOrder: { Customer: IDataObject };
			Products: number;
			Largest: IDataObject;
			Smallest: IDataObject;
		};
		expect(typeof row.SalesOrder.Customer.Number).toBe('string');
		expect(row.SalesOrder.Customer['@odata.id']).toBeUndefined();
		expect(row.Products).toBeGreaterThan(0);
		expect(Object.keys(row.Smallest).sort()).toEqual(['Unit', 'Value']);
		expect(queryOption(lineRequests()[0], 'expandgroup')).toBe('SalesOrder/Customer($select=Number)');
	});

	it('should apply Conditions and Filter before grouping as $filter', async () => {
		const product = idOf(lines()[0].Product);
		const { items } = await runErpNet(
			sandbox(),
			summarize({
				aggregations: aggregations({ aggregation: 'count' }),
				options: {
					conditions: { condition: [{ field: 'Product', operator: 'eq', value: product }] },
					filter: 'LineNo ge 1',
				},
			}),
		);
		expect(items.map((item) => item.json)).toEqual([
			{ Count: lines().filter((line) => idOf(line.Product) === product).length },
		]);
		expect(queryOption(lineRequests()[0], '$filter')).toBe(
			`(Product eq 'General_Products_Products(${product})') and (LineNo ge 1)`,
		);
	});

	it('should read all groups in $top/$skip chunks, and stop at the limit', async () => {
		const all = await runErpNet(
			sandbox(),
			summarize({
				groupBy: keys({ field: 'SalesOrder/DocumentNo' }),
				aggregations: aggregations({ aggregation: 'count' }),
				options: { pageSize: 25 },
			}),
		);
		expect(all.items).toHaveLength(60);
		expect(lineRequests().map((entry) => [queryOption(entry, '$top'), queryOption(entry, '$skip')])).toEqual([
			['25', null],
			['25', '25'],
			['25', '50'],
		]);
		sandbox().control.clearLog();
		const limited = await runErpNet(
			sandbox(),
			summarize({
				groupBy: keys({ field: 'SalesOrder/DocumentNo' }),
				aggregations: aggregations({ aggregation: 'count' }),
				returnAll: false,
				limit: 7,
			}),
		);
		expect(limited.items).toHaveLength(7);
		expect(queryOption(lineRequests()[0], '$top')).toBe('7');
	});

	it('should sort on the client after reading every group', async () => {
		const { items } = await runErpNet(
			sandbox(),
			summarize({
				groupBy: keys({ field: 'Product' }),
				aggregations: aggregations({ aggregation: 'count' }),
				options: { sortBy: 'Count desc' },
			}),
		);
		const counts = items.map((item) => item.json.Count as number);
		expect(counts).toEqual([...counts].sort((a, b) => b - a));
		expect(queryOption(lineRequests()[0], '$orderby')).toBeNull();
	});
});

describe('Summarize as an AI agent tool', () => {
	it('should answer "total sales per customer this month" in the tool variant', async () => {
		const tool: INodeType = new ErpNet();
		tool.description = { ...tool.description, name: 'erpNetTool' };
		const month = '2026-05';
		const { items, error } = await runErpNet(
			sandbox(),
			summarize({
				groupBy: keys({ field: 'SalesOrder/Customer' }),
				aggregations: aggregations({ aggregation: 'sum', field: 'LineAmount', alias: 'TotalSales' }),
				options: { filter: `SalesOrder/DocumentDate ge ${month}-01` },
			}),
			{ nodeType: tool, nodeTypeName: 'n8n-nodes-erpnet.erpNetTool' },
		);
		expect(error).toBeUndefined();
		const orders = sandbox().store.list('Crm_Sales_SalesOrders') as EntityRecord[];
		const thisMonth = new Set(
			orders.filter((order) => String(order.DocumentDate) >= `${month}-01`).map((order) => String(order.Id)),
		);
		expect(thisMonth.size).toBeGreaterThan(0);
		const expected = new Map<string, number>();
		for (const line of lines().filter((candidate) => thisMonth.has(idOf(candidate.SalesOrder)))) {
			const key = `${customerOf(line)}|${amountOf(line).Currency}`;
			expected.set(key, (expected.get(key) ?? 0) + amountOf(line).Value);
		}
		expect(items).toHaveLength(expected.size);
		for (const { json } of items) {
			const row = json as { SalesOrder: { Customer: { Id: string } }; TotalSales: { Value: number; Currency: string } };
			expect(row.TotalSales.Value).toBeCloseTo(
				expected.get(`${row.SalesOrder.Customer.Id}|${row.TotalSales.Currency}`) as number,
				2,
			);
		}
	});
});

describe('Summarize refuses what ERP.net rejects, before the grouped request', () => {
	const refused: Array<[string, IDataObject, RegExp]> = [
		[
			'Sort By with a Limit (no server order; $top is not top N)',
			{
				aggregations: aggregations({ aggregation: 'count' }),
				groupBy: keys({ field: 'Product' }),
				returnAll: false,
				options: { sortBy: 'Count desc' },
			},
			/Sort By needs Return All/,
		],
		[
			'a field twice in Group By',
			{ groupBy: keys({ field: 'Product' }, { field: 'Product' }) },
			/Product appears twice in Group By/,
		],
		[
			'a field aggregated twice',
			{
				aggregations: aggregations(
					{ aggregation: 'sum', field: 'LineAmount' },
					{ aggregation: 'max', field: 'LineAmount' },
				),
			},
			/LineAmount appears twice in Aggregations/,
		],
		[
			'min of a reference',
			{ aggregations: aggregations({ aggregation: 'min', field: 'Product' }) },
			/Product cannot be aggregated with min/,
		],
		['grouping by a non-dimension', { groupBy: keys({ field: 'LineAmount' }) }, /LineAmount cannot be grouped/],
		['grouping by long text', { groupBy: keys({ field: 'Notes' }) }, /Notes cannot be grouped/],
		[
			'a path through an ordinary reference',
			{ groupBy: keys({ field: 'Product/PartNumber' }) },
			/neither an ownership nor a filterable reference/,
		],
		['yearmonth of a non-date', { groupBy: keys({ field: 'Product', interval: 'yearmonth' }) }, /is not a date/],
		['nothing to compute', { aggregations: {} }, /at least one Group By field or one aggregation/],
		[
			'Expand Group of a path that is not grouped',
			{ groupBy: keys({ field: 'Product' }), options: { expandGroup: 'SalesOrder' } },
			/not a grouped reference/,
		],
		[
			'Expand Group without grouping',
			{ options: { expandGroup: 'Product' } },
			/Expand Group needs a Group By reference/,
		],
		[
			'an output name used twice',
			{ groupBy: keys({ field: 'Product' }), aggregations: aggregations({ aggregation: 'count', alias: 'Product' }) },
			/"Product" is used twice/,
		],
		['an unknown field', { groupBy: keys({ field: 'Nope' }) }, /has no field "Nope"/],
	];

	it.each(refused)('should refuse %s as an item error', async (_name, parameters, message) => {
		const { error } = await runErpNet(sandbox(), summarize(parameters));
		expect(error?.message).toMatch(message);
		expect(lineRequests().filter((entry) => entry.query.includes('apply'))).toHaveLength(0);
	});

	it("should pass ERP.net's own refusal on as a node error (expandgroup $select of an unknown field)", async () => {
		const { error } = await runErpNet(
			sandbox(),
			summarize({ groupBy: keys({ field: 'Product' }), options: { expandGroup: 'Product($select=NoSuchField)' } }),
		);
		expect(error?.message).toMatch(/NoSuchField/);
		expect(lineRequests().filter((entry) => entry.query.includes('apply'))).toHaveLength(1);
	});

	it('should keep going with Continue On Fail, pairing the error with its item', async () => {
		const { items } = await runErpNet(
			sandbox(),
			summarize({
				groupBy: keys({ field: '={{ $json.field }}' }),
				aggregations: aggregations({ aggregation: 'count' }),
			}),
			{ input: [{ field: 'Nope' }, { field: 'Product' }], continueOnFail: true },
		);
		expect(items[0].json.error).toMatch(/has no field "Nope"/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(
			items
				.slice(1)
				.every((item) => (item.pairedItem as { item: number }).item === 1 && typeof item.json.Count === 'number'),
		).toBe(true);
	});
});

describe('Summarize field lists', () => {
	const withLines = () => ({
		credentials: erpNetCredentials(sandbox()),
		parameters: { resource: 'entity', operation: 'summarize', entitySet: locator(LINES) },
	});

	it('should offer dimensions, paths through ownership references, and no long text or amounts to group by', async () => {
		const values = (await callLoadOptions('getGroupableFields', withLines())).map((option) => option.value);
		expect(values).toEqual(
			expect.arrayContaining(['Product', 'RequiredDeliveryDate', 'SalesOrder/Customer', 'SalesOrder/DocumentNo']),
		);
		expect(values).not.toContain('Notes');
		expect(values).not.toContain('LineAmount');
		expect(values).not.toContain('Product/PartNumber');
	});

	it('should offer measures and countable fields to aggregate', async () => {
		const options = await callLoadOptions('getAggregatableFields', withLines());
		const byValue = new Map(options.map((option) => [option.value, option.description]));
		expect(byValue.get('LineAmount')).toMatch(/sum, min, max/);
		expect(byValue.get('Product')).toMatch(/count distinct only/);
		expect(byValue.has('Notes')).toBe(false);
	});
});
