import { simplifyRecord, withRecordId } from '../../../../nodes/ErpNet/helpers/output';

const GUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const PARTY = 'aaaaaaaa-4f89-41d3-9a0c-0305e82c3301';

describe('output shaping', () => {
	it('should add Id from @odata.id when it was not selected', () => {
		expect(withRecordId({ '@odata.id': `Crm_Sales_Customers(${GUID})`, Number: 'C1' })).toEqual({
			Id: GUID,
			'@odata.id': `Crm_Sales_Customers(${GUID})`,
			Number: 'C1',
		});
	});

	it('should keep an Id that is already there', () => {
		const record = { '@odata.id': `Crm_Sales_Customers(${GUID})`, Id: 'given' };
		expect(withRecordId(record)).toBe(record);
	});

	it('should drop annotations, keep data and turn bare references into Id and EntitySet', () => {
		const simplified = simplifyRecord({
			'@odata.context': 'x',
			'@odata.id': `Crm_Sales_Customers(${GUID})`,
			Number: 'C1',
			Party: { '@odata.id': `General_Contacts_Parties(${PARTY})` },
			CreditLimit: { Value: 10, Currency: 'EUR' },
			Lines: [{ '@odata.id': `Crm_Sales_SalesOrderLines(${PARTY})`, LineNo: 1 }],
		});
		expect(simplified).toEqual({
			Id: GUID,
			Number: 'C1',
			Party: { Id: PARTY, EntitySet: 'General_Contacts_Parties' },
			CreditLimit: { Value: 10, Currency: 'EUR' },
			Lines: [{ Id: PARTY, LineNo: 1 }],
		});
	});
});
