import { DateTime } from 'luxon';

import type { ModelMethod } from '../../../../core/odata/types';
import { attributeFieldType } from '../../../../nodes/ErpNet/helpers/fields';
import {
	actionBody,
	functionSegment,
	isUnsafeMethod,
	methodParameterFields,
	odataLiteral,
} from '../../../../nodes/ErpNet/helpers/modelMethods';

const getAllowed: ModelMethod = {
	Name: 'GetPropertyAllowedValues',
	IsAction: false,
	ReturnType: 'Collection(Erp.ValueTextPair)',
	Parameters: [
		{ Name: 'bindingParameter', Type: 'Erp.Crm_Sales_SalesOrder' },
		{ Name: 'propertyName', Type: 'Edm.String' },
		{ Name: 'search', Type: 'Edm.String' },
		{ Name: 'top', Type: 'Edm.Int32' },
	],
};

const notify: ModelMethod = {
	Name: 'CreateNotification',
	IsAction: true,
	Parameters: [
		{ Name: 'bindingParameter', Type: 'Erp.Crm_Sales_Customer' },
		{ Name: 'user', Type: 'Erp.Systems_Security_User' },
		{ Name: 'subject', Type: 'Edm.String' },
		{ Name: 'priority', Type: 'Erp.Systems_Core_NotificationsRepository_Priority' },
	],
};

describe('method helpers', () => {
	it('should type a parameter as a record field of the same OData type is typed', () => {
		const types = [
			'Edm.String',
			'Edm.Byte',
			'Edm.Int32',
			'Edm.Decimal',
			'Edm.Boolean',
			'Edm.Date',
			'Edm.DateTimeOffset',
			'Edm.TimeOfDay',
			'Edm.Guid',
		];
		const method: ModelMethod = {
			Name: 'Typed',
			IsAction: true,
			Parameters: types.map((Type, index) => ({ Name: `p${index}`, Type })),
		};
		expect(methodParameterFields(method).map((field) => field.type)).toEqual(
			types.map((Type) => attributeFieldType({ Name: 'field', Type })),
		);
		expect(methodParameterFields(method).find((field) => field.id === 'p1')?.type).toBe('number');
	});

	it('should leave out the binding parameter and type the others', () => {
		expect(methodParameterFields(getAllowed).map((field) => [field.id, field.type])).toEqual([
			['propertyName', 'string'],
			['search', 'string'],
			['top', 'number'],
		]);
	});

	it('should write OData literals: quoted strings with doubled quotes, bare numbers and booleans', () => {
		expect(odataLiteral("it's", 'Edm.String')).toBe("'it''s'");
		expect(odataLiteral(10, 'Edm.Int32')).toBe('10');
		expect(odataLiteral('10', 'Edm.Int32')).toBe('10');
		expect(odataLiteral('7', 'Edm.Byte')).toBe('7');
		expect(odataLiteral(true, 'Edm.Boolean')).toBe('true');
		expect(odataLiteral('Released', 'Erp.General_Documents_DocumentState')).toBe("'Released'");
	});

	it('should build a percent-encoded function segment in parameter order, without empty parameters', () => {
		expect(functionSegment(getAllowed, { top: 3, propertyName: 'State', search: '' })).toBe(
			`GetPropertyAllowedValues(propertyName=${encodeURIComponent("'State'")},top=3)`,
		);
		expect(decodeURIComponent(functionSegment(getAllowed, { propertyName: 'a b,c' }))).toBe(
			"GetPropertyAllowedValues(propertyName='a b,c')",
		);
	});

	it('should send date parameters as the date typed and date-time parameters in UTC, east of UTC too', () => {
		const dated: ModelMethod = {
			Name: 'Dated',
			IsAction: true,
			Parameters: [
				{ Name: 'day', Type: 'Edm.Date' },
				{ Name: 'at', Type: 'Edm.DateTimeOffset' },
			],
		};
		// What n8n's resource mapper hands over for "2026-01-31" with GENERIC_TIMEZONE=Europe/Sofia.
		const mapped = DateTime.fromISO('2026-01-31', { zone: 'Europe/Sofia' });
		expect(JSON.parse(JSON.stringify(actionBody(dated, { day: mapped, at: mapped } as never)))).toEqual({
			day: '2026-01-31',
			at: '2026-01-30T22:00:00Z',
		});
		expect(decodeURIComponent(functionSegment(dated, { day: mapped, at: '2026-01-31T10:00:00+02:00' } as never))).toBe(
			"Dated(day='2026-01-31',at='2026-01-31T08:00:00Z')",
		);
	});

	it('should send entity IDs of an action as references and other values as given', () => {
		expect(
			actionBody(notify, {
				user: 'Systems_Security_Users(9da64839-a8d0-491d-aebb-4d18fa42b014)',
				subject: 'Hi',
				priority: 'High',
				extra: 'x',
			}),
		).toEqual({
			user: { '@odata.id': 'Systems_Security_Users(9da64839-a8d0-491d-aebb-4d18fa42b014)' },
			subject: 'Hi',
			priority: 'High',
		});
	});

	it('should mark scripts, imports, transactions and administrative methods unsafe', () => {
		for (const name of ['ExecuteScript', 'Import', 'BeginTransaction', 'ResetAdminPassword'])
			expect(isUnsafeMethod(name)).toBe(true);
		for (const name of ['ChangeState', 'GetPrintout', 'CreateNotification', 'GetPropertyAllowedValues'])
			expect(isUnsafeMethod(name)).toBe(false);
	});
});
