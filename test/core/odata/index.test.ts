import * as odata from '../../../core/odata';
import { dateValue } from '../../../core/odata/dates';
import { findInstructionKey } from '../../../core/odata/fieldData';
import { withLanguage } from '../../../core/odata/language';
import { MULTILANGUAGE_TYPE } from '../../../core/odata/modelTypes';
import { outputRecord, shapeRecord } from '../../../core/odata/records';
import { StoredAttributeValueError, storedAttributeValue } from '../../../core/odata/storedAttributes';
import { entityId, GUID_REGEX, isGuid, parseEntityId, stringLiteral } from '../../../core/odata/syntax';
import { sourceImports } from '../../helpers/sourceImports';

const shipped = sourceImports('core', 'nodes', 'credentials');
const ofNodes = shipped.filter(({ file }) => !file.startsWith('core/'));

describe('core/odata front door', () => {
	it('exports every value nodes and credentials import from it', () => {
		const wanted = ofNodes.filter(({ module }) => module === 'core/odata').flatMap(({ values }) => values);
		expect(wanted).toEqual(expect.arrayContaining(['entityId', 'isGuid', 'stringLiteral', 'GUID_REGEX']));
		expect([...new Set(wanted)].filter((name) => !(name in odata))).toEqual([]);
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

	it('is how nodes and credentials reach core/odata (no deep import of its files)', () => {
		const deep = ofNodes.filter(({ module }) => module.startsWith('core/odata/'));
		expect(deep.map(({ file, module }) => `${file} -> ${module}`)).toEqual([]);
	});

	it('is imported by no file inside core/ (core files import each other directly, never in a circle through it)', () => {
		const inside = shipped.filter(({ file, module }) => file.startsWith('core/') && module === 'core/odata');
		expect(inside.map(({ file }) => file)).toEqual([]);
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
