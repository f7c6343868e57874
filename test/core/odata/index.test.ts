import * as odata from '../../../core/odata';
import { dateValue } from '../../../core/odata/dates';
import { findInstructionKey } from '../../../core/odata/fieldData';
import { withLanguage } from '../../../core/odata/language';
import { MULTILANGUAGE_TYPE } from '../../../core/odata/modelTypes';
import { outputRecord, shapeRecord } from '../../../core/odata/records';
import { StoredAttributeValueError, storedAttributeValue } from '../../../core/odata/storedAttributes';
import { entityId, GUID_REGEX, isGuid, parseEntityId, stringLiteral } from '../../../core/odata/syntax';
import { frontDoorUse } from '../../helpers/sourceImports';

describe('core/odata front door', () => {
	const use = frontDoorUse('core/odata', odata);

	it('exports every value nodes import from it', () => {
		expect(use.wanted).toEqual(expect.arrayContaining(['entityId', 'isGuid', 'stringLiteral', 'GUID_REGEX']));
		expect(use.missing).toEqual([]);
	});

	it("hands out the OData modules' own functions and constants", () => {
		expect(odata).toMatchObject({
			dateValue,
			entityId,
			findInstructionKey,
			GUID_REGEX,
			isGuid,
			MULTILANGUAGE_TYPE,
			outputRecord,
			parseEntityId,
			shapeRecord,
			StoredAttributeValueError,
			storedAttributeValue,
			stringLiteral,
			withLanguage,
		});
	});

	it('is how nodes reach core/odata (no import of its files)', () => {
		expect(use.deepImports).toEqual([]);
	});

	it('is imported by no file inside core/ (they import each other directly, never in a circle through it)', () => {
		expect(use.coreImports).toEqual([]);
	});

	it('has one GUID pattern, the one isGuid and parseEntityId use', () => {
		const guid = '3F2504E0-4f89-41d3-9a0c-0305e82c3301';
		expect(new RegExp(`^${odata.GUID_REGEX}$`).test(guid)).toBe(true);
		expect(odata.isGuid(guid)).toBe(true);
		expect(odata.parseEntityId(`Crm_Sales_Customers(${guid})`)).toEqual({
			entitySet: 'Crm_Sales_Customers',
			id: guid.toLowerCase(),
		});
		expect(odata.isGuid('3f2504e0-4f89-41d3-9a0c-0305e82c330')).toBe(false);
	});
});
