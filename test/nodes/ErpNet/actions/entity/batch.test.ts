import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet, useSandbox } from '../../../../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 300, products: 10, salesOrders: 3 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function customers(from: number, count: number): IDataObject[] {
	return sandbox()
		.store.list('Crm_Sales_Customers')
		.slice(from, from + count) as IDataObject[];
}

function batchRequests() {
	return odataRequests(sandbox(), '$batch');
}

const updateByJson = (batching: string, extra: IDataObject = {}) => ({
	operation: 'update',
	entitySet: locator('Crm_Sales_Customers'),
	recordId: locator('={{ $json.id }}', 'id'),
	fieldsInput: 'json',
	jsonBody: '={{ JSON.stringify($json.fields) }}',
	options: { batching, batchSize: 100, ...extra },
});

describe('batched writes', () => {
	it('should send 250 updates in 3 $batch requests and return results in input order', async () => {
		const records = customers(0, 250);
		const { items, error } = await runErpNet(sandbox(), updateByJson('independent'), {
			input: records.map((record, index) => ({ id: record.Id, fields: { GracePeriodDays: (index % 20) + 1 } })),
		});

		expect(error).toBeUndefined();
		expect(batchRequests()).toHaveLength(3);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(0);
		expect(items.map((item) => item.json.Id)).toEqual(records.map((record) => record.Id));
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual(
			records.map((_record, index) => index),
		);
		records.forEach((record, index) => {
			expect(sandbox().store.get('Crm_Sales_Customers', String(record.Id))?.GracePeriodDays).toBe((index % 20) + 1);
		});
		expect(items[5].json.GracePeriodDays).toBe(6);
	});

	it('should fail only the bad items in independent mode and map errors back to them', async () => {
		const records = customers(0, 5);
		const { items, error } = await runErpNet(sandbox(), updateByJson('independent', { returnUpdated: false }), {
			continueOnFail: true,
			input: records.map((record, index) => ({
				id: record.Id,
				fields: index === 2 ? { CreditLimit: { Value: -1, Currency: 'BGN' } } : { GracePeriodDays: 40 },
			})),
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(items[2].json.error).toMatch(/credit limit/i);
		expect(items.filter((item) => item.json.updated === true)).toHaveLength(4);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3, 4]);
		expect(sandbox().store.get('Crm_Sales_Customers', String(records[4].Id))?.GracePeriodDays).toBe(40);
		expect(batchRequests()).toHaveLength(1);
	});

	it('should roll back the whole batch in all-or-nothing mode when one item fails', async () => {
		const records = customers(10, 4);
		const before = records.map(
			(record) => sandbox().store.get('Crm_Sales_Customers', String(record.Id))?.GracePeriodDays,
		);
		const { items, error } = await runErpNet(sandbox(), updateByJson('atomic'), {
			continueOnFail: true,
			input: records.map((record, index) => ({
				id: record.Id,
				fields: index === 3 ? { CreditLimit: { Value: -1, Currency: 'BGN' } } : { GracePeriodDays: 77 },
			})),
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => String(item.json.error))).toEqual([
			expect.stringMatching(/rolled back because item 3 failed/),
			expect.stringMatching(/rolled back because item 3 failed/),
			expect.stringMatching(/rolled back because item 3 failed/),
			expect.stringMatching(/credit limit/i),
		]);
		const after = records.map(
			(record) => sandbox().store.get('Crm_Sales_Customers', String(record.Id))?.GracePeriodDays,
		);
		expect(after).toEqual(before);
	});

	it('should create and delete in batches', async () => {
		const party = sandbox().store.list('General_Contacts_Companies')[0];
		const created = await runErpNet(
			sandbox(),
			{
				operation: 'create',
				entitySet: locator('Crm_Sales_Customers'),
				fieldsInput: 'json',
				jsonBody: `={{ JSON.stringify({ Number: $json.number, Party: "${String(party.Id)}" }) }}`,
				options: { batching: 'atomic' },
			},
			{ input: [{ number: 'B-1' }, { number: 'B-2' }, { number: 'B-3' }] },
		);
		expect(created.error).toBeUndefined();
		expect(created.items.map((item) => item.json.Number)).toEqual(['B-1', 'B-2', 'B-3']);

		const ids = created.items.map((item) => String(item.json.Id));
		const deleted = await runErpNet(
			sandbox(),
			{
				operation: 'delete',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator('={{ $json.id }}', 'id'),
				options: { batching: 'independent' },
			},
			{ input: ids.map((id) => ({ id })) },
		);
		expect(deleted.error).toBeUndefined();
		expect(deleted.items.map((item) => item.json.deleted)).toEqual([true, true, true]);
		for (const id of ids) expect(sandbox().store.get('Crm_Sales_Customers', id)).toBeUndefined();
		expect(batchRequests()).toHaveLength(2);
	});

	it('should stop the run on a failed item without Continue On Fail, naming the item', async () => {
		const records = customers(20, 3);
		const { error } = await runErpNet(sandbox(), updateByJson('independent'), {
			input: records.map((record, index) => ({
				id: index === 1 ? 'not-a-guid' : record.Id,
				fields: { GracePeriodDays: 5 },
			})),
		});

		expect(error?.message).toMatch(/not a valid ERP.net record ID/);
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
	});
});
