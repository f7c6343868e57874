/**
 * Issue 10, classes 3 and 4: optimistic locking fails closed
 * (https://docs.erp.net/dev/domain-api/data-sync/optimistic-locking.html), and field data never becomes an
 * ERP.net instruction (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html).
 */
import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet, useSandbox } from '../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 12, products: 5, salesOrders: 1 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function customer(index: number): IDataObject {
	return sandbox().store.list('Crm_Sales_Customers')[index] as IDataObject;
}

function domainApiRequests() {
	return sandbox().requests.filter((entry) => entry.path.startsWith('/api/domain/'));
}

describe('Expected Object Version', () => {
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

	it('should not delete a record whose version changed, with no read-then-delete window', async () => {
		const ordered = new Set(
			sandbox()
				.store.list('Crm_Sales_SalesOrders')
				.map((order) => JSON.stringify(order.Customer)),
		);
		const unreferenced = sandbox()
			.store.list('Crm_Sales_Customers')
			.find((candidate) => ![...ordered].some((ref) => ref.includes(String(candidate.Id))));
		const id = String(unreferenced?.Id);
		const current = Number(sandbox().store.get('Crm_Sales_Customers', id)?.ObjectVersion);
		const stale = await runErpNet(sandbox(), {
			operation: 'delete',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(id, 'id'),
			options: { objectVersion: current + 1 },
		});
		expect(stale.error).toBeDefined();
		expect(sandbox().store.get('Crm_Sales_Customers', id)).toBeDefined();
		// The check and the delete travel together in one changeset: no separate read before the delete.
		expect(odataRequests(sandbox()).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'POST /api/domain/odata/$batch',
		]);

		sandbox().control.clearLog();
		const fresh = await runErpNet(sandbox(), {
			operation: 'delete',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(id, 'id'),
			options: { objectVersion: current },
		});
		expect(fresh.error).toBeUndefined();
		expect(fresh.items[0].json).toMatchObject({ deleted: true, id });
		expect(sandbox().store.get('Crm_Sales_Customers', id)).toBeUndefined();
	});
});

describe('field data is data', () => {
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
