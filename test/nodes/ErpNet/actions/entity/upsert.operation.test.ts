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
