import { locator, odataRequests, runErpNet } from '../../../../helpers/erpnet';
import { storedCustomer, useEntitySandbox } from './entity-fixtures';

const sandbox = useEntitySandbox();

describe('Get', () => {
	it('should read one record by its GUID', async () => {
		const customer = storedCustomer(sandbox);
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
		const customer = storedCustomer(sandbox);
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
