import { AMOUNT_OR_QUANTITY_TYPE, MULTILANGUAGE_TYPE, NUMERIC_TYPE } from '../../../core/odata/modelTypes';

describe('MULTILANGUAGE_TYPE', () => {
	it.each(['Erp.MultilanguageString', 'MultilanguageString', 'Erp.multilanguagestring'])('should match %s', (type) => {
		expect(MULTILANGUAGE_TYPE.test(type)).toBe(true);
	});

	it.each(['Edm.String', 'Erp.MultilanguageStringList', 'Erp.Amount'])('should not match %s', (type) => {
		expect(MULTILANGUAGE_TYPE.test(type)).toBe(false);
	});
});

describe('AMOUNT_OR_QUANTITY_TYPE', () => {
	it.each(['Erp.Amount', 'Erp.Quantity', 'Amount', 'erp.quantity'])('should match %s', (type) => {
		expect(AMOUNT_OR_QUANTITY_TYPE.test(type)).toBe(true);
	});

	it.each(['Edm.Decimal', 'Erp.TotalAmount', 'Erp.AmountType', 'Erp.QuantityUnit', 'Erp.MultilanguageString'])(
		'should not match %s',
		(type) => {
			expect(AMOUNT_OR_QUANTITY_TYPE.test(type)).toBe(false);
		},
	);
});

describe('NUMERIC_TYPE', () => {
	it.each(['Edm.Byte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double', 'Edm.Single'])(
		'should match %s',
		(type) => {
			expect(NUMERIC_TYPE.test(type)).toBe(true);
		},
	);

	it.each(['Edm.String', 'Edm.Boolean', 'Edm.Guid', 'Erp.Amount', 'edm.int32', 'Edm.Int32Range', 'Edm.SByte'])(
		'should not match %s',
		(type) => {
			expect(NUMERIC_TYPE.test(type)).toBe(false);
		},
	);
});
