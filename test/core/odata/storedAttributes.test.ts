import { simplifyRecord } from '../../../core/odata/records';
import {
	StoredAttributeValueError,
	checkAllowedValue,
	escapePropertyCode,
	storedAttributeName,
	storedAttributeValue,
} from '../../../core/odata/storedAttributes';
import type { StoredAttributeDefinition } from '../../../core/odata/types';

/** https://docs.erp.net/dev/domain-api/complex-types/custom-property-value.html "API property name (OData-compliant)". */
describe('escapePropertyCode', () => {
	it.each([
		['color', 'color'],
		['color.name', 'color_u002Ename'],
		['size (cm)', 'size_u0020_u0028cm_u0029'],
		['Регион', '_uD0A0_uD0B5_uD0B3_uD0B8_uD0BE_uD0BD'],
		['ü', '_uC3BC'],
		['€', '_uE282AC'],
		['😀', '_uF09F9880'],
		['A_9', 'A_9'],
	])('should escape %s as %s', (code, escaped) => {
		expect(escapePropertyCode(code)).toBe(escaped);
	});

	it('should prefix the API name with CustomProperty_', () => {
		expect(storedAttributeName('color.name')).toBe('CustomProperty_color_u002Ename');
	});
});

describe('storedAttributeValue (the CustomPropertyValue a write sends)', () => {
	const reference: StoredAttributeDefinition = {
		Id: 'p',
		Code: 'ship country',
		AllowedValuesEntityName: 'General_Geography_Countries',
	};
	const id = '1210c36b-8c64-4090-99d1-e359a6d8901d';

	it('should send text and numbers as Value, null as null, and objects as given', () => {
		expect(storedAttributeValue('apple', 'CustomProperty_color')).toEqual({ Value: 'apple' });
		expect(storedAttributeValue(12, 'CustomProperty_color')).toEqual({ Value: '12' });
		expect(storedAttributeValue(null, 'CustomProperty_color')).toBeNull();
		expect(storedAttributeValue('{"Value":"apple","ValueId":null}', 'CustomProperty_color')).toEqual({
			Value: 'apple',
			ValueId: null,
		});
	});

	it('should send a GUID or entity ID of a value from another entity as ValueId, and a code as Value', () => {
		expect(storedAttributeValue(id.toUpperCase(), 'X', reference)).toEqual({ ValueId: id });
		expect(storedAttributeValue(`General_Geography_Countries(${id})`, 'X', reference)).toEqual({ ValueId: id });
		expect(storedAttributeValue('DE', 'X', reference)).toEqual({ Value: 'DE' });
		expect(storedAttributeValue(id, 'X')).toEqual({ Value: id });
	});

	it('should refuse unknown members, broken JSON and values outside the allowed ones', () => {
		expect(() => storedAttributeValue({ Text: 'x' }, 'X')).toThrow(StoredAttributeValueError);
		expect(() => storedAttributeValue('{"Value":', 'X')).toThrow('X is not valid JSON');
		const limited: StoredAttributeDefinition = {
			Id: 'p',
			Code: 'Segment',
			LimitToAllowedValues: true,
			AllowedValues: [{ Value: 'Retail', ValueId: id }],
		};
		expect(() => checkAllowedValue({ Value: 'retail' }, 'X', limited)).not.toThrow();
		expect(() => checkAllowedValue({ ValueId: id.toUpperCase() }, 'X', limited)).not.toThrow();
		expect(() => checkAllowedValue({ Value: 'VIP' }, 'X', limited)).toThrow(
			'"VIP" is not an allowed value of X. Allowed: Retail',
		);
	});
});

describe('simplifyRecord with stored attribute values', () => {
	const record = {
		'@odata.id': 'Crm_Sales_Customers(1210c36b-8c64-4090-99d1-e359a6d8901d)',
		CustomProperty_color: { Value: 'apple', ValueId: null, Description: { EN: 'The Apple.' } },
		CustomProperty_empty: null,
		Party: {
			'@odata.id': 'General_Contacts_Parties(2210c36b-8c64-4090-99d1-e359a6d8901d)',
			CustomProperty_x: { Value: 'y' },
		},
	};

	it('should turn them into their short value, nested ones included', () => {
		expect(simplifyRecord(record, true)).toMatchObject({
			CustomProperty_color: 'apple',
			CustomProperty_empty: null,
			Party: { CustomProperty_x: 'y' },
		});
	});

	it('should keep them whole when not asked to (node version 1)', () => {
		expect(simplifyRecord(record).CustomProperty_color).toEqual(record.CustomProperty_color);
	});
});
