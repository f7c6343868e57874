import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, queryOption, runErpNet } from '../../../../helpers/erpnet';
import { useEntitySandbox } from './entity-fixtures';

const sandbox = useEntitySandbox();

describe('Create or Update', () => {
	it('should create or update by code with @erpnet.action merge, without duplicates on a re-run', async () => {
		const party = sandbox().store.list('General_Contacts_Companies')[1];
		const upsert = (grace: number) =>
			runErpNet(sandbox(), {
				operation: 'upsert',
				entitySet: locator('Crm_Sales_Customers'),
				matchBy: 'Code',
				matchValue: 'UPSERT-1',
				fieldsInput: 'json',
				jsonBody: JSON.stringify({ Number: 'UPSERT-1', Party: String(party.Id), GracePeriodDays: grace }),
			});
		const countBefore = sandbox().store.count('Crm_Sales_Customers');

		const first = await upsert(3);
		const second = await upsert(4);

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		expect(sandbox().store.count('Crm_Sales_Customers')).toBe(countBefore + 1);
		const stored = sandbox()
			.store.list('Crm_Sales_Customers')
			.filter((record) => record.Number === 'UPSERT-1');
		expect(stored).toHaveLength(1);
		expect(stored[0].GracePeriodDays).toBe(4);
		const posts = odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.method === 'POST');
		expect(JSON.parse(posts[0].body)).toMatchObject({
			'@erpnet.action': 'merge',
			'@erpnet.findBy': { Code: 'UPSERT-1' },
		});
	});
});

describe('Create or Update: the match value is saved in the record', () => {
	const customers = (predicate: (record: Record<string, unknown>) => boolean) =>
		sandbox().store.list('Crm_Sales_Customers').filter(predicate);
	const partyId = () => String(sandbox().store.list('General_Contacts_Companies')[1].Id);
	const upsert = (match: Record<string, string>, fields: Record<string, string | number>) =>
		runErpNet(sandbox(), {
			operation: 'upsert',
			entitySet: locator('Crm_Sales_Customers'),
			...match,
			fieldsInput: 'mapper',
			columns: { mappingMode: 'defineBelow', value: fields, schema: [], matchingColumns: [] },
		});

	it('should leave one record holding the code when the fields leave the code out, run twice', async () => {
		const first = await upsert(
			{ matchBy: 'Code', matchValue: 'UPSERT-CODE' },
			{ Party: partyId(), GracePeriodDays: 1 },
		);
		const second = await upsert(
			{ matchBy: 'Code', matchValue: 'UPSERT-CODE' },
			{ Party: partyId(), GracePeriodDays: 2 },
		);

		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		const stored = customers((record) => record.Number === 'UPSERT-CODE');
		expect(stored).toHaveLength(1);
		expect(stored[0].GracePeriodDays).toBe(2);
		const post = odataRequests(sandbox(), 'Crm_Sales_Customers').find((entry) => entry.method === 'POST');
		expect(JSON.parse(post?.body ?? '{}')).toMatchObject({
			Number: 'UPSERT-CODE',
			'@erpnet.findBy': { Code: 'UPSERT-CODE' },
		});
	});

	it('should leave one record holding ExternalId and ExternalSystem, run twice', async () => {
		const match = { matchBy: 'ExternalId', matchValue: 'SHOP-77', externalSystem: 'Shopify' };
		const countBefore = sandbox().store.count('Crm_Sales_Customers');
		await upsert(match, { Number: 'UPSERT-EXT', Party: partyId(), GracePeriodDays: 5 });
		const second = await upsert(match, { Party: partyId(), GracePeriodDays: 6 });

		expect(second.error).toBeUndefined();
		expect(sandbox().store.count('Crm_Sales_Customers')).toBe(countBefore + 1);
		const stored = customers((record) => record.ExternalId === 'SHOP-77');
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ ExternalSystem: 'Shopify', Number: 'UPSERT-EXT', GracePeriodDays: 6 });
	});

	it('should create the record with the matched Id and update it on the second run', async () => {
		const id = '5b0e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4';
		await upsert({ matchBy: 'Id', matchValue: id }, { Number: 'UPSERT-ID', Party: partyId(), GracePeriodDays: 7 });
		const second = await upsert({ matchBy: 'Id', matchValue: id }, { GracePeriodDays: 8 });

		expect(second.error).toBeUndefined();
		expect(customers((record) => record.Number === 'UPSERT-ID')).toHaveLength(1);
		expect(sandbox().store.get('Crm_Sales_Customers', id)).toMatchObject({ Number: 'UPSERT-ID', GracePeriodDays: 8 });
	});

	it('should fail the item, before any write, when a field holds another value than the match value', async () => {
		const { error, items } = await upsert(
			{ matchBy: 'Code', matchValue: 'UPSERT-A' },
			{ Number: 'UPSERT-B', Party: partyId() },
		);

		expect(items).toHaveLength(0);
		expect(error?.message).toBe('Number is "UPSERT-B", but Value to Match is "UPSERT-A"');
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.method === 'POST')).toHaveLength(0);
	});
});

/**
 * A plain text for a multi-language field changes only the chosen language of the record found
 * (https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html: "all pairs are updated
 * simultaneously"), with the ObjectVersion check, alone and batched.
 */
function product(index: number): IDataObject {
	return sandbox().store.list('General_Products_Products')[index] as IDataObject;
}

function nameOf(id: string): Record<string, string> {
	return sandbox().store.get('General_Products_Products', id)?.Name as Record<string, string>;
}

describe('Create or Update: plain text for a multi-language field', () => {
	const upsertName = (
		matchBy: string,
		matchValue: string,
		fields: Record<string, string>,
		options: Record<string, string> = {},
	) => ({
		operation: 'upsert',
		entitySet: locator('General_Products_Products'),
		matchBy,
		matchValue,
		fieldsInput: 'mapper',
		columns: { mappingMode: 'defineBelow', value: fields, schema: [], matchingColumns: [] },
		options,
	});

	it('should keep the other languages of the record it finds by code, with the ObjectVersion it read', async () => {
		const found = product(6);
		const id = String(found.Id);
		const before = nameOf(id);
		expect(Object.keys(before).sort()).toEqual(['BG', 'EN']);

		const { error, items } = await runErpNet(
			sandbox(),
			upsertName('Code', String(found.PartNumber), { Name: 'Нов продукт' }, { language: 'bg-BG' }),
		);

		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: before.EN, BG: 'Нов продукт' });
		const write = odataRequests(sandbox(), 'General_Products_Products').find((entry) => entry.method !== 'GET');
		expect(write?.method).toBe('PATCH');
		expect(JSON.parse(write?.body ?? '{}')).toEqual({
			Name: { EN: before.EN, BG: 'Нов продукт' },
			ObjectVersion: Number(found.ObjectVersion),
		});
		expect(items[0]?.json).toMatchObject({ Id: id, PartNumber: found.PartNumber });
	});

	it('should keep the other languages of the record it finds by ID', async () => {
		const id = String(product(7).Id);
		const before = nameOf(id);

		const { error } = await runErpNet(sandbox(), upsertName('Id', id, { Name: 'By ID' }));

		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: 'By ID', BG: before.BG });
	});

	it('should keep the other languages of the record it finds by external ID and system', async () => {
		const id = String(product(0).Id);
		sandbox().store.patch('General_Products_Products', id, { ExternalId: 'EXT-ML-1', ExternalSystem: 'shop' });
		const before = nameOf(id);

		const { error } = await runErpNet(sandbox(), {
			...upsertName('ExternalId', 'EXT-ML-1', { Name: 'Външно' }, { language: 'bg' }),
			externalSystem: 'shop',
		});

		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: before.EN, BG: 'Външно' });
		const find = odataRequests(sandbox(), 'General_Products_Products').find((entry) => entry.method === 'GET');
		expect(queryOption(find!, '$filter')).toBe("ExternalId eq 'EXT-ML-1' and ExternalSystem eq 'shop'");
	});

	it('should fail, not overwrite, when the record changed after it was read', async () => {
		const found = product(8);
		const id = String(found.Id);
		const before = nameOf(id);
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: '/api/domain/odata/General_Products_Products',
			status: 200,
			times: 1,
			body: { value: [{ Id: id, ObjectVersion: Number(found.ObjectVersion) - 1, Name: { EN: 'stale' } }] },
		});

		const { error } = await runErpNet(sandbox(), upsertName('Code', String(found.PartNumber), { Name: 'Late' }));

		expect(error).toBeDefined();
		expect(nameOf(id)).toEqual(before);
	});

	it('should create a record that does not exist yet with the given language, through merge', async () => {
		const template = product(0);
		const { error } = await runErpNet(
			sandbox(),
			upsertName('Code', 'ML-UPSERT-NEW', {
				PartNumber: 'ML-UPSERT-NEW',
				Name: 'Brand new',
				MeasurementUnit: refOf(template.MeasurementUnit),
				ProductGroup: refOf(template.ProductGroup),
				ProductType: refOf(template.ProductType),
			}),
		);

		expect(error).toBeUndefined();
		const created = sandbox()
			.store.list('General_Products_Products')
			.filter((record) => record.PartNumber === 'ML-UPSERT-NEW');
		expect(created).toHaveLength(1);
		expect(created[0].Name).toEqual({ EN: 'Brand new' });
		const post = odataRequests(sandbox(), 'General_Products_Products').find((entry) => entry.method === 'POST');
		expect(JSON.parse(post?.body ?? '{}')).toMatchObject({
			'@erpnet.action': 'merge',
			'@erpnet.findBy': { Code: 'ML-UPSERT-NEW' },
		});
	});

	it('should keep the other languages in batched mode, each item with its own language', async () => {
		const [first, second] = [product(9), product(10)];
		const [firstBefore, secondBefore] = [nameOf(String(first.Id)), nameOf(String(second.Id))];

		const { error } = await runErpNet(
			sandbox(),
			upsertName(
				'Code',
				'={{ $json.code }}',
				{ Name: '={{ $json.name }}' },
				{ batching: 'independent', language: '={{ $json.language }}' },
			),
			{
				input: [
					{ code: first.PartNumber, name: 'Първи', language: 'bg' },
					{ code: second.PartNumber, name: 'Second', language: 'en-US' },
				],
			},
		);

		expect(error).toBeUndefined();
		expect(nameOf(String(first.Id))).toEqual({ EN: firstBefore.EN, BG: 'Първи' });
		expect(nameOf(String(second.Id))).toEqual({ EN: 'Second', BG: secondBefore.BG });
	});

	it('should fail the item, sending nothing, when the model names no code attribute to find the record by', async () => {
		const { error } = await runErpNet(sandbox(), {
			...upsertName('Code', 'LINE-1', { ProductDescription: 'Text' }),
			entitySet: locator('Crm_Sales_SalesOrderLines'),
		});

		expect(error?.message).toMatch(/^Cannot tell which attribute of Crm_Sales_SalesOrderLines is its code/);
		expect(error?.description).toMatch(/JSON object with every language/);
		expect(odataRequests(sandbox())).toHaveLength(0);
	});

	it('should still replace all languages with a JSON object, on purpose', async () => {
		const found = product(11);
		const { error } = await runErpNet(
			sandbox(),
			upsertName('Code', String(found.PartNumber), { Name: '{"EN":"Only English"}' }),
		);
		expect(error).toBeUndefined();
		expect(nameOf(String(found.Id))).toEqual({ EN: 'Only English' });
	});
});

function refOf(value: unknown): string {
	const text =
		typeof value === 'object' && value !== null
			? String((value as IDataObject)['@odata.id'] ?? (value as IDataObject).Id ?? '')
			: String(value ?? '');
	return /\(([^)]+)\)/.exec(text)?.[1] ?? text;
}

/** Field data never becomes an ERP.net instruction (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html). */
describe('Create or Update: field data is data', () => {
	const customer = (index: number) => sandbox().store.list('Crm_Sales_Customers')[index] as IDataObject;

	it("should keep Upsert's own @erpnet.action and @erpnet.findBy", async () => {
		const existing = customer(5);
		const other = customer(6);
		const { error } = await runErpNet(sandbox(), {
			operation: 'upsert',
			entitySet: locator('Crm_Sales_Customers'),
			matchBy: 'Code',
			matchValue: String(existing.Number),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ GracePeriodDays: 7, '@erpnet.findBy': { Code: String(other.Number) } }),
		});
		expect(error?.message).toMatch(/@erpnet\.findBy/);
		expect(sandbox().store.get('Crm_Sales_Customers', String(other.Id))?.GracePeriodDays).toBe(other.GracePeriodDays);
	});
});
