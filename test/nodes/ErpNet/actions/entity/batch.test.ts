import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet, useSandbox } from '../../../../helpers/erpnet';
import { batchedCreate, batchedUpdate, partyReference } from './entity-fixtures';

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

function allCustomers(): IDataObject[] {
	return sandbox().store.list('Crm_Sales_Customers') as IDataObject[];
}

function customer(id: unknown): IDataObject {
	return sandbox().store.get('Crm_Sales_Customers', String(id)) as IDataObject;
}

const jsonWrite = (operation: string, options: IDataObject, extra: IDataObject = {}) => ({
	operation,
	entitySet: locator('Crm_Sales_Customers'),
	fieldsInput: 'json',
	jsonBody: '={{ JSON.stringify($json.body) }}',
	options: { returnUpdated: false, ...options },
	...extra,
});

describe('per-item headers in a batch', () => {
	it("should send each item's Language on its own part, so each item gets its own language", async () => {
		const [first, second] = allCustomers();
		const badDates = { FromDate: '2022-01-01', ThruDate: '2021-01-01' };
		const { items } = await runErpNet(
			sandbox(),
			jsonWrite(
				'update',
				{ batching: 'independent', language: '={{ $json.language }}' },
				{ recordId: locator('={{ $json.id }}', 'id') },
			),
			{
				continueOnFail: true,
				input: [
					{ id: first.Id, language: 'bg', body: badDates },
					{ id: second.Id, language: 'en', body: badDates },
				],
			},
		);
		expect(String(items[0].json.error)).toMatch(/^Грешка при записване/);
		expect(String(items[1].json.error)).toMatch(/^An error occurred while saving data/);
		const batch = odataRequests(sandbox(), '$batch')[0];
		expect(batch.body).toMatch(/PATCH Crm_Sales_Customers\([^)]+\) HTTP\/1\.1\r\nAccept-Language: bg/);
		expect(batch.body).toMatch(/PATCH Crm_Sales_Customers\([^)]+\) HTTP\/1\.1\r\nAccept-Language: en/);
	});
});

describe('Independent batching without Continue On Fail', () => {
	it('should name the items ERP.net already saved, with their IDs', async () => {
		const party = partyReference(sandbox);
		const { error } = await runErpNet(sandbox(), jsonWrite('create', { batching: 'independent' }), {
			input: [
				{ body: { Number: 'SAVED-1', Party: party } },
				{ body: { Number: 'SAVED-2', Party: party, CreditLimit: { Value: -5 } } },
				{ body: { Number: 'SAVED-3', Party: party } },
			],
		});
		const saved = allCustomers().filter((customer) => /^SAVED-/.test(String(customer.Number)));
		expect(error).toBeDefined();
		const text = `${error?.message} ${error?.description}`;
		for (const customer of saved) expect(text).toContain(String(customer.Id));
		expect(saved.map((customer) => customer.Number).sort()).toEqual(['SAVED-1', 'SAVED-3']);
		expect(text).toMatch(/saved/i);
	});

	it('should stop after the first failed batch, before the next batch is sent, naming the saved items', async () => {
		const { error } = await runErpNet(sandbox(), batchedCreate({ batchSize: 2 }), {
			input: [
				{ body: { Number: 'STOP-0', Party: partyReference(sandbox) } },
				{ body: { Number: 'STOP-1', Party: partyReference(sandbox), CreditLimit: { Value: -5 } } },
				{ body: { Number: 'STOP-2', Party: partyReference(sandbox) } },
				{ body: { Number: 'STOP-3', Party: partyReference(sandbox) } },
			],
		});

		const saved = allCustomers().filter((record) => /^STOP-/.test(String(record.Number)));
		expect(saved.map((record) => record.Number)).toEqual(['STOP-0']);
		expect(odataRequests(sandbox(), '$batch')).toHaveLength(1);
		expect(error?.context?.itemIndex).toBe(1);
		expect(error?.description).toContain(`item 0 (ID ${String(saved[0].Id)})`);
		expect(error?.description).toMatch(/2 item\(s\) were not sent/);
	});

	it('should send every batch with Continue On Fail, as before', async () => {
		const { items } = await runErpNet(sandbox(), batchedCreate({ batchSize: 2 }), {
			continueOnFail: true,
			input: [
				{ body: { Number: 'GO-0', Party: partyReference(sandbox) } },
				{ body: { Number: 'GO-1', Party: partyReference(sandbox), CreditLimit: { Value: -5 } } },
				{ body: { Number: 'GO-2', Party: partyReference(sandbox) } },
			],
		});

		expect(items.map((item) => item.json.Number ?? 'error')).toEqual(['GO-0', 'error', 'GO-2']);
		expect(odataRequests(sandbox(), '$batch')).toHaveLength(2);
	});
});

describe('several items for one record in one batch', () => {
	const product = (index: number) => sandbox().store.list('General_Products_Products')[index] as IDataObject;
	const nameOf = (id: unknown) => sandbox().store.get('General_Products_Products', String(id))?.Name;
	const translate = (batching: string) => ({
		operation: 'update',
		entitySet: locator('General_Products_Products'),
		recordId: locator('={{ $json.id }}', 'id'),
		fieldsInput: 'mapper',
		columns: { mappingMode: 'defineBelow', value: { Name: '={{ $json.name }}' }, schema: [], matchingColumns: [] },
		options: { batching, language: '={{ $json.language }}' },
	});

	it.each(['independent', 'atomic'])(
		'should save a translation import (one item per language) as one by one would, %s',
		async (batching) => {
			const [first, second] = [product(0), product(1)];
			const input = [
				{ id: first.Id, language: 'bg', name: 'Първи' },
				{ id: first.Id, language: 'en', name: 'First' },
				{ id: second.Id, language: 'en', name: 'Second' },
				{ id: first.Id, language: 'de', name: 'Erste' },
			];

			const { items, error } = await runErpNet(sandbox(), translate(batching), { input });

			expect(error).toBeUndefined();
			expect(nameOf(first.Id)).toEqual({ BG: 'Първи', EN: 'First', DE: 'Erste' });
			expect((nameOf(second.Id) as IDataObject).EN).toBe('Second');
			expect(items.map((item) => item.json.Id)).toEqual(input.map((item) => item.id));
			expect(items[3].json.Name).toEqual({ BG: 'Първи', EN: 'First', DE: 'Erste' });
		},
	);

	it('should refuse a stale Expected Object Version on the second update of a record, as one by one would', async () => {
		const record = allCustomers()[9];
		const version = Number(record.ObjectVersion);
		const { items } = await runErpNet(sandbox(), batchedUpdate({ objectVersion: '={{ $json.version }}' }), {
			continueOnFail: true,
			input: [
				{ id: record.Id, version, body: { GracePeriodDays: 71 } },
				{ id: record.Id, version, body: { GracePeriodDays: 72 } },
			],
		});

		expect(items[0].json).toMatchObject({ GracePeriodDays: 71 });
		expect(items[1].json.error).toBeDefined();
		expect(customer(record.Id).GracePeriodDays).toBe(71);
	});
});

describe('batch options', () => {
	it('should fail with a clear error for an invalid batch size', async () => {
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(sandbox().store.list('Crm_Sales_Customers')[0].Id), 'id'),
			fieldsInput: 'json',
			jsonBody: '{"GracePeriodDays": 2}',
			options: { batching: 'independent', batchSize: '={{ "many" }}' },
		});
		expect(error?.message).toMatch(/Batch Size/);
		expect(error?.message).not.toMatch(/TypeError|undefined|Cannot read/);
	});
});
