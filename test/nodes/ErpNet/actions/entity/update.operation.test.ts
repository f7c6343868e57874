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
