import { findInstructionKey } from '../../../core/odata/fieldData';

describe('findInstructionKey', () => {
	it('should find nothing in plain data', () => {
		expect(
			findInstructionKey({ Name: 'DEMO stand', Email: 'sales@example.com', Lines: [{ Quantity: { Value: 2 } }] }),
		).toBeUndefined();
	});

	it.each([null, undefined, 'text', 42, true])('should find nothing in %p', (value) => {
		expect(findInstructionKey(value)).toBeUndefined();
	});

	it('should not take an instruction written as a value for one', () => {
		expect(findInstructionKey({ Notes: '@odata.id', Code: '@erpnet.action' })).toBeUndefined();
	});

	it.each([
		[{ '@odata.id': 'Crm_Sales_Customers(x)' }, '@odata.id'],
		[{ '@erpnet.action': 'delete' }, '@erpnet.action'],
		[{ 'Customer@odata.bind': 'Crm_Sales_Customers(x)' }, 'Customer@odata.bind'],
		[{ '@ERPNET.Action': 'delete' }, '@ERPNET.Action'],
		[{ '@OData.Type': 'Erp.X' }, '@OData.Type'],
	])('should find the instruction key of %j', (value, key) => {
		expect(findInstructionKey(value)).toBe(key);
	});

	it('should name the path of a key inside nested objects and arrays', () => {
		expect(findInstructionKey({ Customer: { '@odata.id': 'Crm_Sales_Customers(x)' } })).toBe('Customer.@odata.id');
		expect(findInstructionKey({ Lines: [{ LineNo: 1 }, { Product: { '@erpnet.action': 'create' } }] })).toBe(
			'Lines[1].Product.@erpnet.action',
		);
		expect(findInstructionKey([{}, { '@odata.type': 'x' }])).toBe('[1].@odata.type');
	});

	it('should start the path from the given prefix', () => {
		expect(findInstructionKey({ '@odata.id': 'x' }, 'Customer')).toBe('Customer.@odata.id');
	});

	it('should report the first instruction key it meets', () => {
		expect(findInstructionKey({ A: { '@odata.id': 'x' }, '@erpnet.action': 'delete' })).toBe('A.@odata.id');
	});
});
