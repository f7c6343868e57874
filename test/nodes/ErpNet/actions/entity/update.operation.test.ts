import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet } from '../../../../helpers/erpnet';
import { storedCustomer, useEntitySandbox } from './entity-fixtures';

const sandbox = useEntitySandbox();

describe('Update', () => {
	it('should update only the given fields with PATCH and return the record after the update', async () => {
		const customer = storedCustomer(sandbox);
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
		const customer = storedCustomer(sandbox);
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
});

/**
 * A plain text for a multi-language field changes only the chosen language
 * (https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html: "all pairs are updated
 * simultaneously"), with the ObjectVersion check, alone and batched.
 */
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

describe('Update: plain text for a multi-language field', () => {
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

/** Optimistic locking fails closed (https://docs.erp.net/dev/domain-api/data-sync/optimistic-locking.html). */
function customer(index: number): IDataObject {
	return sandbox().store.list('Crm_Sales_Customers')[index] as IDataObject;
}

function domainApiRequests() {
	return sandbox().requests.filter((entry) => entry.path.startsWith('/api/domain/'));
}

describe('Update and Delete: Expected Object Version', () => {
	it.each([['7a'], [''], ['NaN'], [-3], [1.5]])('should fail the item before any request for %p', async (version) => {
		const id = String(customer(0).Id);
		for (const operation of ['update', 'delete']) {
			sandbox().control.clearLog();
			const { error } = await runErpNet(sandbox(), {
				operation,
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator(id, 'id'),
				fieldsInput: 'json',
				jsonBody: '{"GracePeriodDays": 3}',
				options: { objectVersion: version },
			});
			expect(error?.message).toMatch(/Expected Object Version/);
			expect(domainApiRequests()).toHaveLength(0);
		}
		expect(sandbox().store.get('Crm_Sales_Customers', id)).toBeDefined();
	});
});

/** Field data never becomes an ERP.net instruction (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html). */
describe('Update: field data is data', () => {
	const mapped = (operation: string, value: Record<string, string>, extra: IDataObject = {}) => ({
		operation,
		entitySet: locator('Crm_Sales_Customers'),
		fieldsInput: 'mapper',
		columns: {
			mappingMode: 'defineBelow',
			value,
			schema: [],
			matchingColumns: [],
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		},
		options: { returnUpdated: false },
		...extra,
	});

	it('should refuse @erpnet.* and @odata.* keys inside a mapped reference value (JSON-looking text)', async () => {
		const id = String(customer(2).Id);
		const before = sandbox().store.count('General_Contacts_Companies');
		const { error } = await runErpNet(
			sandbox(),
			mapped(
				'update',
				{
					Party:
						'{"@erpnet.action":"create","@odata.type":"Erp.General_Contacts_Company","PartyName":{"EN":"Injected"}}',
				},
				{ recordId: locator(id, 'id') },
			),
		);
		expect(error?.message).toMatch(/@erpnet\.action|@odata\.type/);
		expect(sandbox().store.count('General_Contacts_Companies')).toBe(before);
		expect(odataRequests(sandbox()).filter((entry) => entry.method !== 'GET')).toHaveLength(0);
	});

	it('should refuse annotations inside a mapped attribute value', async () => {
		const id = String(customer(3).Id);
		const { error } = await runErpNet(
			sandbox(),
			mapped('update', { CreditLimit: '{"Value": 10, "@erpnet.action": "delete"}' }, { recordId: locator(id, 'id') }),
		);
		expect(error?.message).toMatch(/@erpnet\.action/);
		expect(sandbox().store.get('Crm_Sales_Customers', id)).toBeDefined();
	});

	it('should not let auto-mapped input override an operation with @erpnet.action', async () => {
		const id = String(customer(4).Id);
		const { error } = await runErpNet(
			sandbox(),
			{
				operation: 'update',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator(id, 'id'),
				fieldsInput: 'mapper',
				columns: {
					mappingMode: 'autoMapInputData',
					value: {},
					schema: [
						{
							id: 'GracePeriodDays',
							displayName: 'GracePeriodDays',
							display: true,
							type: 'number',
							required: false,
							defaultMatch: false,
						},
						{
							id: '@erpnet.action',
							displayName: '@erpnet.action',
							display: true,
							type: 'string',
							required: false,
							defaultMatch: false,
						},
					],
					matchingColumns: [],
				},
				options: { returnUpdated: false },
			},
			{ input: [{ GracePeriodDays: 4, '@erpnet.action': 'delete' }] },
		);
		expect(sandbox().store.get('Crm_Sales_Customers', id)).toBeDefined();
		expect(error?.message).toMatch(/@erpnet\.action/);
	});

	it('should keep the full syntax in JSON mode, where the user writes the body on purpose', async () => {
		const id = String(customer(7).Id);
		const company = sandbox().store.list('General_Contacts_Companies')[0];
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(id, 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ Party: { '@odata.id': `General_Contacts_Parties(${String(company.Id)})` } }),
			options: { returnUpdated: false },
		});
		expect(error).toBeUndefined();
	});
});
