/**
 * Issue 10, class 1: a plain text for a multi-language field changes only the chosen language
 * (https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html: "all pairs are updated
 * simultaneously"), with the ObjectVersion check, alone and batched.
 */
import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, queryOption, runErpNet, useSandbox } from '../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 5, products: 12, salesOrders: 1 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function product(index: number): IDataObject {
	return sandbox().store.list('General_Products_Products')[index] as IDataObject;
}

function nameOf(id: string): Record<string, string> {
	return sandbox().store.get('General_Products_Products', id)?.Name as Record<string, string>;
}

const updateName = (id: string, name: string, options: IDataObject = {}) => ({
	operation: 'update',
	entitySet: locator('General_Products_Products'),
	recordId: locator(id, 'id'),
	fieldsInput: 'mapper',
	columns: { mappingMode: 'defineBelow', value: { Name: name }, schema: [], matchingColumns: [] },
	options: { returnUpdated: false, ...options },
});

describe('plain text for a multi-language field', () => {
	it('should keep the other languages when one language is updated', async () => {
		const id = String(product(0).Id);
		const before = nameOf(id);
		expect(Object.keys(before).sort()).toEqual(['BG', 'EN']);

		const { error } = await runErpNet(sandbox(), updateName(id, 'Ново име', { language: 'bg' }));

		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: before.EN, BG: 'Ново име' });
	});

	it('should map the Language option en-US to the key EN, never EN-US', async () => {
		const id = String(product(1).Id);
		const before = nameOf(id);

		const { error } = await runErpNet(sandbox(), updateName(id, 'New name', { language: 'en-US' }));

		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: 'New name', BG: before.BG });
	});

	it('should send the ObjectVersion it read, so a concurrent edit is not overwritten', async () => {
		const id = String(product(2).Id);
		await runErpNet(sandbox(), updateName(id, 'Versioned'));
		const patch = odataRequests(sandbox(), 'General_Products_Products').find((entry) => entry.method === 'PATCH');
		const body = JSON.parse(patch?.body ?? '{}') as IDataObject;
		expect(typeof body.ObjectVersion).toBe('number');
		expect(body.Name).toEqual({ EN: 'Versioned', BG: expect.any(String) });
	});

	it('should keep the other languages in batched mode, each item with its own language', async () => {
		const first = String(product(3).Id);
		const second = String(product(4).Id);
		const [firstBefore, secondBefore] = [nameOf(first), nameOf(second)];

		const { error } = await runErpNet(
			sandbox(),
			{
				...updateName('={{ $json.id }}', '={{ $json.name }}', {
					batching: 'independent',
					language: '={{ $json.language }}',
				}),
				recordId: locator('={{ $json.id }}', 'id'),
			},
			{
				input: [
					{ id: first, name: 'Първо', language: 'bg' },
					{ id: second, name: 'Second', language: 'en' },
				],
			},
		);

		expect(error).toBeUndefined();
		expect(nameOf(first)).toEqual({ EN: firstBefore.EN, BG: 'Първо' });
		expect(nameOf(second)).toEqual({ EN: 'Second', BG: secondBefore.BG });
	});

	it('should still replace all languages with a JSON object, on purpose', async () => {
		const id = String(product(5).Id);
		const { error } = await runErpNet(sandbox(), updateName(id, '{"EN":"Only English"}'));
		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: 'Only English' });
	});
});

describe('plain text for a multi-language field in Create or Update (upsert)', () => {
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
