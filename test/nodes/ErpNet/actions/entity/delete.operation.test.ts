import { locator, runErpNet } from '../../../../helpers/erpnet';
import { useEntitySandbox } from './entity-fixtures';

const sandbox = useEntitySandbox();

describe('Delete', () => {
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
});
