import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, queryOption, runErpNet, useSandbox } from '../../../../helpers/erpnet';

const CUSTOMERS = 2345;
const sandbox = useSandbox({ sizes: { customers: CUSTOMERS, products: 30, salesOrders: 12 } });

function customerRequests() {
	return odataRequests(sandbox(), 'Crm_Sales_Customers');
}

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
	sandbox().control.setLegacy(false);
});

const getMany = (parameters: IDataObject = {}) => ({
	operation: 'getAll',
	entitySet: locator('Crm_Sales_Customers'),
	...parameters,
});

describe('Get Many', () => {
	it('should return every record across pages by following @odata.nextLink', async () => {
		const { items, error } = await runErpNet(sandbox(), getMany({ returnAll: true }));

		expect(error).toBeUndefined();
		expect(items).toHaveLength(CUSTOMERS);
		expect(new Set(items.map((item) => item.json.Id)).size).toBe(CUSTOMERS);
		const requests = customerRequests();
		expect(requests).toHaveLength(3);
		expect(queryOption(requests[0], '$top')).toBe('1000');
		expect(queryOption(requests[1], '$skiptoken')).toBeTruthy();
		expect(items.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('should send $top=limit and make one request when the limit fits in a page', async () => {
		const { items } = await runErpNet(sandbox(), getMany({ returnAll: false, limit: 7 }));

		expect(items).toHaveLength(7);
		const requests = customerRequests();
		expect(requests).toHaveLength(1);
		expect(queryOption(requests[0], '$top')).toBe('7');
	});

	it('should stop requesting pages once the limit is reached', async () => {
		const { items } = await runErpNet(sandbox(), getMany({ returnAll: false, limit: 1500 }));

		expect(items).toHaveLength(1500);
		expect(customerRequests()).toHaveLength(2);
	});

	it('should page with $skip on a server without next links (before 26.2)', async () => {
		sandbox().control.setLegacy(true);
		const { items } = await runErpNet(sandbox(), getMany({ returnAll: true }));

		expect(items).toHaveLength(CUSTOMERS);
		expect(new Set(items.map((item) => item.json.Id)).size).toBe(CUSTOMERS);
		const requests = customerRequests();
		expect(requests.map((entry) => queryOption(entry, '$skip'))).toEqual([null, '1000', '2000']);
		expect(requests.every((entry) => queryOption(entry, '$top') === '1000')).toBe(true);
	});

	it('should follow a relative next link as returned', async () => {
		const first = sandbox().store.list('Crm_Sales_Customers').slice(0, 2);
		sandbox().control.injectFault({
			method: 'GET',
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: {
				value: first.map((record) => ({ '@odata.id': `Crm_Sales_Customers(${record.Id})`, Number: record.Number })),
				'@odata.nextLink': `Crm_Sales_Customers?$top=2&$skiptoken=${first[1].Id}`,
			},
		});
		const { items, error } = await runErpNet(sandbox(), getMany({ returnAll: false, limit: 4 }));

		expect(error).toBeUndefined();
		expect(items).toHaveLength(4);
		const requests = customerRequests();
		expect(requests).toHaveLength(2);
		expect(requests[1].url).toBe(`/api/domain/odata/Crm_Sales_Customers?$top=2&$skiptoken=${first[1].Id}`);
	});

	it('should refuse a next link to another host and not send the token there', async () => {
		sandbox().control.injectFault({
			method: 'GET',
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: {
				value: [{ Number: 'X' }],
				'@odata.nextLink': 'https://evil.example.com/api/domain/odata/Crm_Sales_Customers?$top=1',
			},
		});
		const { error } = await runErpNet(sandbox(), getMany({ returnAll: true }));

		expect(error?.message).toMatch(/next page link outside the instance's Domain API/);
		expect(customerRequests()).toHaveLength(1);
	});

	it('should stop when a next link repeats', async () => {
		const loop = { value: [{ Number: 'X' }], '@odata.nextLink': 'Crm_Sales_Customers?$top=1&$skiptoken=same' };
		sandbox().control.injectFault({
			method: 'GET',
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 200,
			times: 5,
			headers: { 'content-type': 'application/json' },
			body: loop,
		});
		const { error } = await runErpNet(sandbox(), getMany({ returnAll: true }));

		expect(error?.message).toMatch(/same next page twice|only records already read/);
		expect(customerRequests().length).toBeLessThanOrEqual(3);
	});

	it('should pass a raw $filter with quotes and non-ASCII text as one encoded parameter', async () => {
		const filter = "Active eq true and contains(Party/PartyName,'О''Брайън & Co')";
		const { error } = await runErpNet(sandbox(), getMany({ returnAll: true, options: { filter } }));

		expect(error).toBeUndefined();
		const [request] = customerRequests();
		expect(queryOption(request, '$filter')).toBe(filter);
		expect(request.url).not.toMatch(/ /);
	});

	it('should return only matching records for a filter', async () => {
		const active = sandbox()
			.store.list('Crm_Sales_Customers')
			.filter((record) => record.Active === true).length;
		const { items } = await runErpNet(sandbox(), getMany({ returnAll: true, options: { filter: 'Active eq true' } }));

		expect(active).toBeGreaterThan(0);
		expect(active).toBeLessThan(CUSTOMERS);
		expect(items).toHaveLength(active);
	});

	it('should build a filter from conditions using the model', async () => {
		const sample = sandbox().store.list('Crm_Sales_Customers')[5];
		const { items, error } = await runErpNet(
			sandbox(),
			getMany({
				returnAll: true,
				options: {
					conditions: {
						condition: [
							{ field: 'Number', operator: 'eq', value: sample.Number },
							{ field: 'Active', operator: 'eq', value: String(sample.Active) },
						],
					},
				},
			}),
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.Id)).toEqual([sample.Id]);
		const [request] = customerRequests();
		expect(queryOption(request, '$filter')).toBe(
			`Number eq '${String(sample.Number)}' and Active eq ${String(sample.Active)}`,
		);
	});

	it('should select fields and add Id from @odata.id', async () => {
		const { items } = await runErpNet(sandbox(), getMany({ limit: 3, options: { select: ['Number', 'Active'] } }));

		expect(items).toHaveLength(3);
		for (const { json } of items) {
			expect(Object.keys(json).sort()).toEqual(['@odata.id', 'Active', 'Id', 'Number']);
			expect(json['@odata.id']).toBe(`Crm_Sales_Customers(${String(json.Id)})`);
		}
		expect(queryOption(customerRequests()[0], '$select')).toBe('Number,Active');
	});

	it('should expand references with a smaller page size', async () => {
		const { items } = await runErpNet(
			sandbox(),
			getMany({ limit: 300, options: { select: ['Number', 'Party'], expand: 'Party($select=PartyName)' } }),
		);

		expect(items).toHaveLength(300);
		expect(items[0].json.Party).toEqual(expect.objectContaining({ PartyName: expect.any(Object) }));
		expect(queryOption(customerRequests()[0], '$top')).toBe('200');
	});

	it('should simplify output on request', async () => {
		const { items } = await runErpNet(sandbox(), getMany({ limit: 2, options: { simplify: true } }));

		expect(JSON.stringify(items.map((item) => item.json))).not.toContain('@odata');
		expect(items[0].json.Id).toEqual(expect.any(String));
	});

	it('should pair each output item with the input item that asked for it', async () => {
		const { items } = await runErpNet(sandbox(), getMany({ limit: '={{ $json.count }}' }), {
			input: [{ count: 2 }, { count: 3 }],
		});

		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 0, 1, 1, 1]);
	});

	it('should count matching records with /$count when asked for the count only', async () => {
		const active = sandbox()
			.store.list('Crm_Sales_Customers')
			.filter((record) => record.Active === true).length;
		const { items, error } = await runErpNet(
			sandbox(),
			getMany({ options: { countOnly: true, filter: 'Active eq true' } }),
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([{ entitySet: 'Crm_Sales_Customers', count: active }]);
		const [request] = odataRequests(sandbox(), 'Crm_Sales_Customers/$count');
		expect(queryOption(request, '$filter')).toBe('Active eq true');
		expect(customerRequests()).toHaveLength(1);
	});
});

/** Values of the Conditions UI keep their meaning: UTC dates, exact numbers, clear errors. */
describe('Get Many: Conditions values', () => {
	const filtered = (condition: Record<string, string>) => ({
		operation: 'getAll',
		entitySet: locator('Crm_Sales_Customers'),
		returnAll: true,
		options: { conditions: { condition: [condition] } },
	});

	const sentFilter = () => {
		const read = odataRequests(sandbox(), 'Crm_Sales_Customers')[0];
		return new URLSearchParams(read.query.replace(/^\?/, '')).get('$filter');
	};

	it('should read a date-time without a time zone as UTC, whatever the time zone of n8n', async () => {
		const zone = process.env.TZ;
		process.env.TZ = 'Asia/Tokyo';
		try {
			await runErpNet(sandbox(), filtered({ field: 'CreationTime', operator: 'ge', value: '2024-03-01T10:30:00' }));
			expect(sentFilter()).toBe('CreationTime ge 2024-03-01T10:30:00Z');
		} finally {
			process.env.TZ = zone;
		}
	});

	it('should keep every digit of a long number', async () => {
		await runErpNet(sandbox(), filtered({ field: 'CreditLimit', operator: 'ge', value: '12345678901234567.89' }));
		expect(sentFilter()).toBe('CreditLimitValue ge 12345678901234567.89');
	});

	it('should fail the item with a clear error for an invalid number', async () => {
		const { error } = await runErpNet(sandbox(), filtered({ field: 'CreditLimit', operator: 'ge', value: '12,5x' }));
		expect(error?.message).toMatch(/CreditLimit/);
		expect(error?.message).not.toMatch(/TypeError|undefined|Cannot read/);
	});
});
