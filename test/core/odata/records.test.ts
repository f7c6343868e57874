import { simplifyRecord, outputRecord } from '../../../core/odata/records';

const GUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const PARTY = 'aaaaaaaa-4f89-41d3-9a0c-0305e82c3301';

describe('output shaping', () => {
	it('should add Id from @odata.id when it was not selected', () => {
		expect(outputRecord({ '@odata.id': `Crm_Sales_Customers(${GUID})`, Number: 'C1' })).toEqual({
			Id: GUID,
			'@odata.id': `Crm_Sales_Customers(${GUID})`,
			Number: 'C1',
		});
	});

	it("should keep an Id that is already there and drop a single entity's @odata.context", () => {
		const record = {
			'@odata.context': '$metadata#Crm_Sales_Customers/$entity',
			'@odata.id': `Crm_Sales_Customers(${GUID})`,
			Id: 'given',
		};
		expect(outputRecord(record)).toEqual({ '@odata.id': `Crm_Sales_Customers(${GUID})`, Id: 'given' });
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
