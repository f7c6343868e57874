/**
 * Conformance of `$apply` (grouping and aggregation) with https://docs.erp.net/dev/domain-api/querying-data/grouping.html,
 * through the whole sandbox over HTTP with a real client-credentials token. Expected totals are computed from the
 * sandbox's store, so every test checks the grouping itself, not numbers copied from a run.
 */
import { startSandbox, type Sandbox } from '../../../../sandbox/src';
import type { EntityRecord } from '../../../../sandbox/src/store/memory-store';

const LINES = 'Crm_Sales_SalesOrderLines';
const ORDERS = 'Crm_Sales_SalesOrders';
const DOCS = 'https://docs.erp.net/dev/domain-api/querying-data/grouping.html';

let sandbox: Sandbox;
let accessToken: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, sizes: { customers: 12, products: 8, salesOrders: 40 } });
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
		}),
	});
	accessToken = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
	await sandbox.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- grouped rows are open objects of any shape
type Row = Record<string, any>;

async function get(query: string): Promise<{ status: number; rows: Row[]; error?: { message: string; type: string } }> {
	const response = await fetch(`${sandbox.url}/api/domain/odata/${LINES}?${query}`, {
		headers: { authorization: `Bearer ${accessToken}` },
	});
	const json = (await response.json()) as { value?: Row[]; error?: { message: string; type: string } };
	return { status: response.status, rows: json.value ?? [], error: json.error };
}

const idOf = (reference: unknown) =>
	String((reference as { '@odata.id': string })['@odata.id']).replace(/^.*\(|\)$/g, '');
const lines = () => sandbox.store.list(LINES) as EntityRecord[];
const orderOf = (line: EntityRecord) => sandbox.store.get(ORDERS, idOf(line.SalesOrder)) as EntityRecord;
const amountOf = (line: EntityRecord) => line.LineAmount as { Value: number; Currency: string };

function expectedTotals(keyOf: (line: EntityRecord) => string): Map<string, number> {
	const totals = new Map<string, number>();
	for (const line of lines()) {
		const key = `${keyOf(line)}|${amountOf(line).Currency}`;
		totals.set(key, (totals.get(key) ?? 0) + amountOf(line).Value);
	}
	return totals;
}

describe(`$apply groupby and aggregate (${DOCS}#getting-started)`, () => {
	test('a count per reference returns one row per product, the key as {Id}', async () => {
		const reply = await get('$apply=groupby((Product),aggregate($count as Count))');
		expect(reply.status).toBe(200);
		const expected = new Map<string, number>();
		for (const line of lines()) expected.set(idOf(line.Product), (expected.get(idOf(line.Product)) ?? 0) + 1);
		expect(new Map(reply.rows.map((row) => [row.Product.Id, row.Count]))).toEqual(expected);
		expect(Object.keys(reply.rows[0]).sort()).toEqual(['Count', 'Product']);
	});

	test('a path through the ownership reference nests the key (SalesOrder/Customer) and sums amounts per currency', async () => {
		const reply = await get(
			'$apply=groupby((SalesOrder/Customer),aggregate($count as LinesCount,LineAmount with sum as TotalAmount))',
		);
		expect(reply.status).toBe(200);
		const expected = expectedTotals((line) => idOf(orderOf(line).Customer));
		expect(reply.rows).toHaveLength(expected.size);
		for (const row of reply.rows) {
			const key = `${row.SalesOrder.Customer.Id}|${row.TotalAmount.Currency}`;
			expect(row.TotalAmount.Value).toBeCloseTo(expected.get(key) as number, 2);
			expect(Object.keys(row.TotalAmount).sort()).toEqual(['Currency', 'Value']);
		}
	});

	test('a dimension through a reference (SalesOrder/DocumentNo) groups by the order number', async () => {
		const reply = await get('$apply=groupby((SalesOrder/DocumentNo),aggregate($count as Count))');
		const expected = new Map<string, number>();
		for (const line of lines()) {
			const number = String(orderOf(line).DocumentNo);
			expected.set(number, (expected.get(number) ?? 0) + 1);
		}
		expect(new Map(reply.rows.map((row) => [row.SalesOrder.DocumentNo, row.Count]))).toEqual(expected);
	});

	test('a reference id path (Product/Id) is accepted', async () => {
		const reply = await get('$apply=groupby((Product/Id),aggregate($count as Count))');
		expect(reply.status).toBe(200);
		expect(reply.rows[0].Product.Id).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('countdistinct, min and max over a measure', async () => {
		const reply = await get(
			'$apply=groupby((SalesOrder/Customer),aggregate(Product with countdistinct as DistinctProducts,LineAmount with max as MaxAmount))',
		);
		expect(reply.status).toBe(200);
		for (const row of reply.rows) {
			const customerLines = lines().filter(
				(line) =>
					idOf(orderOf(line).Customer) === row.SalesOrder.Customer.Id &&
					amountOf(line).Currency === row.MaxAmount.Currency,
			);
			expect(row.DistinctProducts).toBe(new Set(customerLines.map((line) => idOf(line.Product))).size);
			expect(row.MaxAmount.Value).toBe(Math.max(...customerLines.map((line) => amountOf(line).Value)));
		}
		const minimum = await get('$apply=aggregate(LineCustomDiscountPercent with min as MinDiscount)');
		expect(minimum.rows).toEqual([
			{ MinDiscount: Math.min(...lines().map((line) => Number(line.LineCustomDiscountPercent))) },
		]);
	});
});

describe(`Measured aggregate values (${DOCS}#measured-aggregate-values)`, () => {
	test('a direct amount aggregate returns one row per currency', async () => {
		const reply = await get('$apply=aggregate(LineAmount with sum as TotalAmount)');
		const expected = expectedTotals(() => 'all');
		expect(expected.size).toBeGreaterThan(1);
		expect(reply.rows).toHaveLength(expected.size);
		for (const row of reply.rows)
			expect(row.TotalAmount.Value).toBeCloseTo(expected.get(`all|${row.TotalAmount.Currency}`) as number, 2);
	});

	test('the same product in two currencies gives two rows; a quantity keeps its Unit', async () => {
		const reply = await get('$apply=groupby((Product),aggregate(LineAmount with sum as TotalAmount))');
		const expected = expectedTotals((line) => idOf(line.Product));
		expect(reply.rows).toHaveLength(expected.size);
		expect(new Set(reply.rows.map((row) => row.Product.Id)).size).toBeLessThan(reply.rows.length);
		const quantities = await get('$apply=groupby((Product),aggregate(Quantity with sum as TotalQuantity))');
		expect(Object.keys(quantities.rows[0].TotalQuantity).sort()).toEqual(['Unit', 'Value']);
	});
});

describe(`Group intervals (${DOCS}#group-intervals)`, () => {
	test('yearmonth of a date groups by calendar month, as a string key', async () => {
		const reply = await get(
			'$apply=compute(yearmonth(RequiredDeliveryDate) as YearMonth)/groupby((YearMonth),aggregate($count as Count))',
		);
		expect(reply.status).toBe(200);
		const expected = new Map<string, number>();
		for (const line of lines()) {
			const month = String(line.RequiredDeliveryDate).slice(0, 7);
			expected.set(month, (expected.get(month) ?? 0) + 1);
		}
		expect(new Map(reply.rows.map((row) => [row.YearMonth, row.Count]))).toEqual(expected);
	});

	test('month(...) is refused, naming yearmonth', async () => {
		const reply = await get(
			'$apply=compute(month(RequiredDeliveryDate) as Month)/groupby((Month),aggregate($count as Count))',
		);
		expect(reply.status).toBe(500);
		expect(reply.error?.message).toContain('yearmonth');
	});
});

describe(`Filters before grouping and paging (${DOCS}#filters-before-grouping)`, () => {
	test('$filter is applied before grouping', async () => {
		const product = idOf(lines()[0].Product);
		const reply = await get(
			`$filter=Product eq 'General_Products_Products(${product})'&$apply=aggregate($count as Count)`,
		);
		expect(reply.rows).toEqual([{ Count: lines().filter((line) => idOf(line.Product) === product).length }]);
	});

	test('$top and $skip are a window over the grouped rows, with no next link', async () => {
		const all = await get('$apply=groupby((SalesOrder/DocumentNo),aggregate($count as Count))');
		const window = await get('$skip=3&$top=5&$apply=groupby((SalesOrder/DocumentNo),aggregate($count as Count))');
		expect(window.rows).toEqual(all.rows.slice(3, 8));
	});
});

describe(`expandgroup (${DOCS}#expandgroup)`, () => {
	test('expands a grouped reference key with its $select', async () => {
		const reply = await get(
			'$apply=groupby((SalesOrder/Customer),aggregate($count as Count))&expandgroup=SalesOrder/Customer($select=Number,DisplayText)',
		);
		const customer = reply.rows[0].SalesOrder.Customer;
		expect(customer['@odata.id']).toMatch(/^Crm_Sales_Customers\(/);
		expect(customer.Number).toBe((sandbox.store.get('Crm_Sales_Customers', idOf(customer)) as EntityRecord).Number);
		expect(typeof customer.DisplayText).toBe('string');
	});

	test('refuses a path that is not a grouped key, and direct aggregation', async () => {
		expect((await get('$apply=groupby((Product),aggregate($count as Count))&expandgroup=SalesOrder')).status).toBe(500);
		const direct = await get('$apply=aggregate($count as Count)&expandgroup=Product');
		expect(direct.error?.message).toContain('only with groupby');
	});
});

describe(`Documented errors (${DOCS}#ordering-restrictions, #troubleshooting)`, () => {
	test('$orderby with groupby is a NotSupportedException with the documented message', async () => {
		const reply = await get(
			'$apply=groupby((Product),aggregate(LineAmount with sum as TotalAmount))&$orderby=TotalAmount desc',
		);
		expect(reply.status).toBe(500);
		expect(reply.error).toMatchObject({
			message: 'OData $orderby is not supported together with $apply groupby.',
			type: 'NotSupportedException',
		});
	});

	test('$expand of a grouped path names the property not found on the source type', async () => {
		const reply = await get('$apply=groupby((SalesOrder/Customer),aggregate($count as Count))&$expand=Customer');
		expect(reply.error?.message).toBe(
			"Could not find a property named 'Customer' on type 'Erp.Crm_Sales_SalesOrderLine'.",
		);
	});

	test('a group key that is not a property path is refused as the docs quote it', async () => {
		const reply = await get('$apply=groupby((Customer),aggregate($count as Count))');
		expect(reply.status).toBe(500);
		expect(reply.error?.message).toMatch(/Customer/);
		const through = await get('$apply=groupby((Product/Name),aggregate($count as Count))');
		expect(through.error?.message).toContain('neither an ownership nor a filterable reference');
	});

	test('one use per source property, in groupby and in aggregate', async () => {
		expect((await get('$apply=groupby((Product,Product),aggregate($count as Count))')).error?.message).toContain(
			'only once',
		);
		const twice = await get(
			'$apply=groupby((Product),aggregate(LineAmount with sum as TotalAmount,LineAmount with max as MaxAmount))',
		);
		expect(twice.error?.message).toContain('only once');
		const intervals = await get(
			'$apply=compute(year(RequiredDeliveryDate) as Year,yearmonth(RequiredDeliveryDate) as YearMonth)/groupby((Year,YearMonth),aggregate($count as Count))',
		);
		expect(intervals.error?.message).toContain('only once');
	});

	test('only the documented functions; min and max on measures only; groupby on dimensions only', async () => {
		expect((await get('$apply=aggregate(LineAmount with average as Average)')).error?.message).toContain(
			"'average' is not supported",
		);
		expect((await get('$apply=aggregate(Product with max as MaxProduct)')).error?.message).toContain('measures only');
		expect((await get('$apply=groupby((Notes),aggregate($count as Count))')).error?.message).toContain(
			'not a dimension',
		);
		expect((await get('$apply=groupby((LineAmount),aggregate($count as Count))')).error?.message).toContain(
			'not a dimension',
		);
	});

	test('a filter(...) transformation is refused: the docs filter with $filter before $apply', async () => {
		const reply = await get('$apply=filter(LineNo eq 1)/groupby((Product),aggregate($count as Count))');
		expect(reply.status).toBe(500);
		expect(reply.error?.message).toContain('$filter');
	});
});
