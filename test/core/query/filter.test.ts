import { buildFilter, combineFilters } from '../../../core/query/filter';
import type { ModelRepositoryDetails } from '../../../core/odata/types';

const GUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

const model: ModelRepositoryDetails = {
	Name: 'Crm_Sales_Customers',
	Attributes: [
		{ Name: 'Number', Type: 'Edm.String' },
		{ Name: 'Active', Type: 'Edm.Boolean' },
		{ Name: 'GracePeriodDays', Type: 'Edm.Int32' },
		{ Name: 'CreditLimit', Type: 'Erp.Amount' },
		{ Name: 'Name', Type: 'Erp.MultilanguageString' },
		{ Name: 'FromDate', Type: 'Edm.DateTimeOffset' },
		{ Name: 'Id', Type: 'Edm.Guid' },
	],
	References: [{ Name: 'Party', ReferencedEntitySet: 'General_Contacts_Parties' }],
};

describe('buildFilter', () => {
	it.each([
		[{ field: 'Number', operator: 'eq', value: "O'Brien" }, "Number eq 'O''Brien'"],
		[{ field: 'Active', operator: 'eq', value: 'TRUE' }, 'Active eq true'],
		[{ field: 'GracePeriodDays', operator: 'ge', value: '5' }, 'GracePeriodDays ge 5'],
		[{ field: 'CreditLimit', operator: 'le', value: '1000.5' }, 'CreditLimitValue le 1000.5'],
		[{ field: 'Name', operator: 'contains', value: 'Пешо' }, "contains(Name,'Пешо')"],
		[{ field: 'FromDate', operator: 'ge', value: '2026-01-31' }, 'FromDate ge 2026-01-31T00:00:00Z'],
		[{ field: 'Party', operator: 'eq', value: GUID }, `Party eq 'General_Contacts_Parties(${GUID})'`],
		[{ field: 'Number', operator: 'in', value: 'C1, C2' }, "Number in ('C1','C2')"],
		[{ field: 'Id', operator: 'in', value: `${GUID}` }, `Id in (${GUID})`],
		[{ field: 'Party/PartyName', operator: 'startswith', value: 'A' }, "startswith(Party/PartyName,'A')"],
	] as const)('should turn %j into %s', (condition, expected) => {
		expect(buildFilter([condition], model)).toBe(expected);
	});

	it('should join several conditions with and', () => {
		expect(
			buildFilter(
				[
					{ field: 'Active', operator: 'eq', value: true },
					{ field: 'Number', operator: 'startswith', value: 'C' },
				],
				model,
			),
		).toBe("Active eq true and startswith(Number,'C')");
	});

	it.each([
		[{ field: 'Name', operator: 'eq', value: 'x' }, /only filter it with "Contains"/],
		[{ field: 'Active', operator: 'eq', value: 'yes' }, /true or false/],
		[{ field: 'GracePeriodDays', operator: 'eq', value: 'many' }, /needs a number/],
		[{ field: 'Party', operator: 'eq', value: 'Acme' }, /compared by its ID/],
		[{ field: 'Number) or (1', operator: 'eq', value: 'x' }, /not a field name/],
		[{ field: 'FromDate', operator: 'eq', value: 'soon' }, /needs a date/],
	] as const)('should reject %j', (condition, message) => {
		expect(() => buildFilter([condition], model)).toThrow(message);
	});

	it('should combine the UI filter with a raw filter', () => {
		expect(combineFilters('A eq 1', undefined, ' ')).toBe('A eq 1');
		expect(combineFilters('A eq 1', 'B eq 2')).toBe('(A eq 1) and (B eq 2)');
		expect(combineFilters(undefined, '')).toBeUndefined();
	});
});
