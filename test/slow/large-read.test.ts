/**
 * Slow suite (npm run test:slow, part of npm test): one input item reads 200,000 records.
 */
import { locator, odataRequests, runErpNet, useSandbox } from '../helpers/erpnet';

const CUSTOMERS = 200_000;
const sandbox = useSandbox({ sizes: { customers: CUSTOMERS, products: 5, salesOrders: 1 } });

describe('a large read', () => {
	it('should return 200,000 records from one input item in 200 requests', async () => {
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'getAll',
			entitySet: locator('Crm_Sales_Customers'),
			returnAll: true,
			options: { select: ['Number'] },
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(CUSTOMERS);
		expect(items[CUSTOMERS - 1].json.Id).toEqual(expect.any(String));
		expect(items[CUSTOMERS - 1].pairedItem).toEqual({ item: 0 });
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(CUSTOMERS / 1000);
	});
});
