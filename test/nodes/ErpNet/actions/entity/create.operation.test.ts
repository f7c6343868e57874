import { locator, odataRequests, runErpNet } from '../../../../helpers/erpnet';
import { refId, useEntitySandbox } from './entity-fixtures';

const sandbox = useEntitySandbox();

describe('Create', () => {
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
});
