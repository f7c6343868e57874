import { locator, odataRequests, runErpNet } from '../../../../helpers/erpnet';
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
		expect(JSON.parse(posts[0].body)).toMatchObject({ '@erpnet.action': 'merge', '@erpnet.findBy': { Code: 'UPSERT-1' } });
	});
});
