import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet, useSandbox } from '../../../../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 20, products: 20, salesOrders: 5 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function anyCustomer(): IDataObject {
	return sandbox().store.list('Crm_Sales_Customers')[3] as IDataObject;
}

function refId(reference: unknown): string {
	return String((reference as { '@odata.id': string })['@odata.id']).replace(/^.*\(|\)$/g, '');
}

describe('Get', () => {
	it('should read one record by its GUID', async () => {
		const customer = anyCustomer();
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'get',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id).toUpperCase(), 'id'),
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ Id: customer.Id, Number: customer.Number });
		expect(odataRequests(sandbox())[0].path).toBe(`/api/domain/odata/Crm_Sales_Customers(${String(customer.Id)})`);
	});

	it('should accept a record URL and an entity set URL', async () => {
		const customer = anyCustomer();
		const { items } = await runErpNet(sandbox(), {
			operation: 'get',
			entitySet: locator(`${sandbox().url}/api/domain/odata/Crm_Sales_Customers?$top=5`, 'url'),
			recordId: locator(`${sandbox().url}/api/domain/odata/Crm_Sales_Customers(${String(customer.Id)})`, 'url'),
			options: { select: ['Number'] },
		});

		expect(items[0].json).toEqual({
			Id: customer.Id,
			'@odata.id': `Crm_Sales_Customers(${String(customer.Id)})`,
			Number: customer.Number,
		});
	});
});

describe('Create, Update, Delete', () => {
	it('should create a record from mapped fields, resolving references by GUID and by code', async () => {
		const party = sandbox().store.list('General_Contacts_Companies')[0];
		const currency = sandbox().store.list('General_Currencies_Currencies')[0];
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'create',
			entitySet: locator('Crm_Sales_Customers'),
			fieldsInput: 'mapper',
			columns: {
				mappingMode: 'defineBelow',
				value: {
					Number: 'N8N-0001',
					Party: String(party.Id),
					DefaultCurrency: String(currency.CurrencySign),
					CreditLimit: 2500,
				},
				schema: [],
				matchingColumns: [],
			},
		});

		expect(error).toBeUndefined();
		const created = sandbox().store.get('Crm_Sales_Customers', String(items[0].json.Id));
		expect(created).toMatchObject({ Number: 'N8N-0001', CreditLimit: expect.objectContaining({ Value: 2500 }) });
		expect(refId(created?.Party)).toBe(party.Id);
		expect(refId(created?.DefaultCurrency)).toBe(currency.Id);
		const post = odataRequests(sandbox(), 'Crm_Sales_Customers').find((entry) => entry.method === 'POST');
		expect(JSON.parse(post?.body ?? '{}')).toMatchObject({
			Party: { '@odata.id': `General_Contacts_Parties(${String(party.Id)})` },
			DefaultCurrency: { '@erpnet.findBy': { Code: currency.CurrencySign } },
			CreditLimit: { Value: 2500 },
		});
	});

	it('should update only the given fields with PATCH and return the record after the update', async () => {
		const customer = anyCustomer();
		const before = { ...sandbox().store.get('Crm_Sales_Customers', String(customer.Id)) };
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ GracePeriodDays: 17 }),
		});

		expect(error).toBeUndefined();
		const patch = odataRequests(sandbox(), 'Crm_Sales_Customers').find((entry) => entry.method === 'PATCH');
		expect(JSON.parse(patch?.body ?? '{}')).toEqual({ GracePeriodDays: 17 });
		const after = sandbox().store.get('Crm_Sales_Customers', String(customer.Id));
		expect(after).toMatchObject({ GracePeriodDays: 17, Number: before.Number });
		expect(Number(after?.ObjectVersion)).toBe(Number(before.ObjectVersion) + 1);
		expect(items[0].json).toMatchObject({ Id: customer.Id, GracePeriodDays: 17 });
	});

	it('should refuse an update when the record changed since it was read (ObjectVersion)', async () => {
		const customer = anyCustomer();
		const wrongVersion = Number(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))?.ObjectVersion) + 5;
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ GracePeriodDays: 99 }),
			options: { objectVersion: wrongVersion },
		});

		expect(error?.message).toMatch(/version|changed/i);
		expect(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))?.GracePeriodDays).not.toBe(99);
	});

	it('should delete a record and say so', async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[10];
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'delete',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
		});

		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ deleted: true, id: customer.Id, entitySet: 'Crm_Sales_Customers' });
		expect(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))).toBeUndefined();
	});

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
		expect(JSON.parse(posts[0].body)).toMatchObject({ '@erpnet.action': 'merge', '@erpnet.findBy': { Code: 'UPSERT-1' } });
	});
});
