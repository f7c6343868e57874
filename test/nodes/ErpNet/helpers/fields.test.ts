import {
	attributeFieldType,
	mapperFields,
	referenceValue,
	toDomainApiBody,
} from '../../../../nodes/ErpNet/helpers/fields';
import type { ModelRepositoryDetails } from '../../../../core/odata/types';

const GUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

const customers: ModelRepositoryDetails = {
	Name: 'Crm_Sales_Customers',
	Attributes: [
		{ Name: 'Id', Type: 'Edm.Guid', ReadOnly: false },
		{ Name: 'ObjectVersion', Type: 'Edm.Int32', ReadOnly: true },
		{ Name: 'Number', Type: 'Edm.String', BaseInfo: { RequiresUserInput: true } },
		{ Name: 'Active', Type: 'Edm.Boolean' },
		{ Name: 'CreditLimit', Type: 'Erp.Amount' },
		{ Name: 'Notes', Type: 'Erp.MultilanguageString' },
		{ Name: 'FromDate', Type: 'Edm.DateTimeOffset' },
		{ Name: 'DisplayText', Type: 'Edm.String', ReadOnly: true },
		{
			Name: 'Kind',
			Type: 'Erp.Crm_Sales_Customer_Kind',
			enumValues: [
				{ Name: 'Retail', Value: 'R', LocalizedName: 'Retail customer' },
				{ Name: 'Wholesale', Value: 'W' },
			],
		},
	],
	References: [
		{ Name: 'Party', ReferencedEntitySet: 'General_Contacts_Parties', BaseInfo: { RequiresUserInput: true } },
		{ Name: 'DefaultCurrency', ReferencedEntitySet: 'General_Currencies_Currencies' },
		{ Name: 'Computed', ReferencedEntitySet: 'X', ReadOnly: true },
	],
};

describe('model-driven fields', () => {
	it.each([
		[{ Name: 'a', Type: 'Edm.Boolean' }, 'boolean'],
		[{ Name: 'a', Type: 'Edm.Decimal' }, 'number'],
		[{ Name: 'a', Type: 'Edm.DateTimeOffset' }, 'dateTime'],
		[{ Name: 'a', Type: 'Erp.Quantity' }, 'object'],
		[{ Name: 'a', Type: 'Erp.Foo', enumValues: [{ Name: 'X' }] }, 'options'],
		[{ Name: 'a', Type: 'Edm.Guid' }, 'string'],
	])('should map %j to %s', (attribute, expected) => {
		expect(attributeFieldType(attribute)).toBe(expected);
	});

	it('should offer writable attributes and references, required ones first, and hide system attributes', () => {
		const fields = mapperFields(customers, true);
		const ids = fields.map((field) => field.id);
		expect(ids.slice(0, 2).sort()).toEqual(['Number', 'Party']);
		expect(ids).not.toEqual(expect.arrayContaining(['Id']));
		expect(ids).not.toContain('ObjectVersion');
		expect(ids).not.toContain('DisplayText');
		expect(ids).not.toContain('Computed');
		expect(fields.find((field) => field.id === 'Kind')).toMatchObject({
			type: 'options',
			options: [
				{ name: 'Retail customer', value: 'Retail' },
				{ name: 'Wholesale', value: 'Wholesale' },
			],
		});
	});

	it('should require nothing on update', () => {
		expect(mapperFields(customers, false).every((field) => !field.required)).toBe(true);
	});

	it.each([
		[GUID, { '@odata.id': `General_Currencies_Currencies(${GUID})` }],
		[`General_Currencies_Currencies(${GUID.toUpperCase()})`, { '@odata.id': `General_Currencies_Currencies(${GUID})` }],
		['EUR', { '@erpnet.findBy': { Code: 'EUR' } }],
		['{"CurrencySign":"EUR"}', { CurrencySign: 'EUR' }],
		['', null],
		[null, null],
	])('should send reference %j as %j', (value, expected) => {
		expect(
			referenceValue(value, { Name: 'DefaultCurrency', ReferencedEntitySet: 'General_Currencies_Currencies' }),
		).toEqual(expected);
	});

	it('should convert plain values to ERP.net complex types', () => {
		expect(
			toDomainApiBody(
				{ Number: 'C1', CreditLimit: 500, Notes: 'Hello', Party: GUID, Unknown: 'kept', FromDate: '2026-01-01' },
				customers,
				'bg',
			),
		).toEqual({
			Number: 'C1',
			CreditLimit: { Value: 500 },
			Notes: { BG: 'Hello' },
			Party: { '@odata.id': `General_Contacts_Parties(${GUID})` },
			Unknown: 'kept',
			FromDate: '2026-01-01',
		});
	});

	it('should pass JSON objects for complex types through', () => {
		expect(
			toDomainApiBody({ CreditLimit: '{"Value": 5, "Currency": "EUR"}', Notes: { EN: 'a', BG: 'б' } }, customers),
		).toEqual({ CreditLimit: { Value: 5, Currency: 'EUR' }, Notes: { EN: 'a', BG: 'б' } });
	});
});
