import {
	compileFilter,
	compileOrderBy,
	compileSearch,
	type EvaluationContext,
} from '../../../../sandbox/src/odata/query/evaluate';
import { NotSupportedError, ODataRequestError } from '../../../../sandbox/src/odata/errors';
import { parseFilter, parseOrderBy, parseSearch } from '../../../../sandbox/src/odata/query/parse-query';
import type { MemoryStore } from '../../../../sandbox/src/store/memory-store';
import { referenceId } from '../../../../sandbox/src/store/memory-store';
import { createFixtureStore, ID } from '../fixture';

function contextOf(store: MemoryStore): EvaluationContext {
	return {
		model: store.model,
		language: 'EN',
		resolveReference: (value) => {
			const id = referenceId(value);
			return id ? store.locate(id)?.record : undefined;
		},
	};
}

const store = createFixtureStore();
const context = contextOf(store);

function matching(entitySet: string, filter: string): string[] {
	const set = store.model.getSet(entitySet);
	if (!set) throw new Error(entitySet);
	const predicate = compileFilter(parseFilter(filter), set, context);
	return [...store.scan(entitySet)].filter(predicate).map((record) => String(record.Id));
}

function customers(filter: string): string[] {
	return matching('Crm_Sales_Customers', filter);
}

describe('compileFilter: operators', () => {
	it('should compare strings with eq case-insensitively, as SQL Server does', () => {
		expect(customers("Number eq 'AA00015'")).toEqual([ID.customer1]);
	});

	it('should support ge and le on numbers and combine with and', () => {
		expect(customers('GracePeriodDays ge 7 and GracePeriodDays le 50')).toEqual([ID.customer2, ID.customer3]);
	});

	it('should support in on strings, ids and enums', () => {
		expect(customers("Number in ('aa00015','C0004')")).toEqual([ID.customer1, ID.customer4]);
		expect(customers(`Id in (${ID.customer2}, ${ID.customer3})`)).toEqual([ID.customer2, ID.customer3]);
		expect(customers(`Id in ${ID.customer4}`)).toEqual([ID.customer4]);
		expect(matching('Crm_Sales_SalesOrders', "State in ('FirmPlanned', 'Released')")).toEqual([ID.orderReleased]);
	});

	it('should order enum values by their database value (State ge Released)', () => {
		expect(matching('Crm_Sales_SalesOrders', "State ge 'Released'")).toEqual([ID.orderReleased]);
		expect(matching('Crm_Sales_SalesOrders', "State ge Erp.General_DocumentState'FirmPlanned'")).toEqual([
			ID.orderReleased,
		]);
		expect(matching('Crm_Sales_SalesOrders', "State le 'Planned'")).toEqual([ID.orderNew]);
	});

	it('should reject an unknown enum member', () => {
		expect(() => matching('Crm_Sales_SalesOrders', "State eq 'Nope'")).toThrow(/not a valid value/);
	});

	it("should refuse 'or' with the sentence of filter.md", () => {
		expect(() => customers("Number eq 'a' or Number eq 'b'")).toThrow(
			new NotSupportedError("Operator 'or' is not supported."),
		);
	});

	it('should refuse gt, lt, ne and not, which filter.md does not list', () => {
		for (const filter of [
			'GracePeriodDays gt 1',
			'GracePeriodDays lt 1',
			'GracePeriodDays ne 1',
			'not (GracePeriodDays eq 1)',
		]) {
			expect(() => customers(filter)).toThrow(NotSupportedError);
		}
	});

	it('should refuse arithmetic and other functions', () => {
		expect(() => customers('GracePeriodDays add 1 eq 2')).toThrow(NotSupportedError);
		expect(() => customers("tolower(Number) eq 'x'")).toThrow(NotSupportedError);
	});

	it('should refuse unknown properties like the OData library does', () => {
		expect(() => customers("Nope eq 'x'")).toThrow(
			new ODataRequestError("Could not find a property named 'Nope' on type 'Erp.Crm_Sales_Customer'."),
		);
	});

	it('should refuse a literal of the wrong type', () => {
		expect(() => customers("GracePeriodDays eq 'x'")).toThrow(/a number is expected/);
		expect(() => customers('Active eq 1')).toThrow(/true or false/);
	});

	it('should compare with null', () => {
		expect(customers('CreditLimitValue eq null')).toEqual([ID.customer2, ID.customer4]);
		expect(customers('EnterpriseCompany eq null')).toEqual([ID.customer4]);
	});
});

describe('compileFilter: ERP.net types', () => {
	it('should filter Amount and Quantity through <Property>Value (filter.md)', () => {
		expect(customers('CreditLimitValue ge 500')).toEqual([ID.customer1]);
		expect(matching('Crm_Sales_SalesOrderLines', 'QuantityValue ge 3 and LineAmountValue ge 15.45')).toEqual([
			ID.line2,
		]);
	});

	it('should refuse a complex value compared directly', () => {
		expect(() => customers('CreditLimit eq 5')).toThrow(/CreditLimitValue/);
	});

	it('should search every language of a multi-language string with contains', () => {
		expect(matching('General_Products_Products', "contains(Name,'машина')")).toEqual([ID.product1]);
		expect(matching('General_Products_Products', "contains(Name,'coffee')")).toEqual([ID.product1]);
	});

	it('should refuse eq, in and startswith on a multi-language string (multi-language-string.md)', () => {
		expect(() => matching('General_Products_Products', "Name eq 'Apple'")).toThrow(
			/supports only the filter function contains/,
		);
		expect(() => matching('General_Products_Products', "Name in ('Apple')")).toThrow(
			/only the filter function contains/,
		);
		expect(() => matching('General_Products_Products', "startswith(Name,'A')")).toThrow(
			/only the filter function contains/,
		);
	});

	it('should support startswith and endswith on strings', () => {
		expect(customers("startswith(Number,'ab')")).toEqual([ID.customer2]);
		expect(customers("endswith(Number,'050')")).toEqual([ID.customer3]);
		expect(customers("contains(Number,'015')")).toEqual([ID.customer1, ID.customer2]);
	});

	it("should compare references with quoted entity ids, also of a derived set ('Set(guid)')", () => {
		expect(customers(`Party eq 'General_Contacts_Parties(${ID.companyUni})'`)).toEqual([ID.customer1, ID.customer4]);
		expect(
			customers(
				`Party in ('General_Contacts_Persons(${ID.personPeter})', 'General_Contacts_Companies(${ID.companyBlackSea})')`,
			),
		).toEqual([ID.customer2, ID.customer3]);
	});

	it('should refuse a reference compared with a bare GUID', () => {
		expect(() => customers(`Party eq ${ID.companyUni}`)).toThrow(/entity id/);
	});

	it("should match contains(NavigationProperty,'x') against the referenced entity's display text", () => {
		expect(customers("contains(Party,'black sea')")).toEqual([ID.customer3]);
	});

	it('should filter through a filterable reference and an ownership reference', () => {
		expect(customers("contains(Party/PartyName,'УНИ')")).toEqual([ID.customer1, ID.customer4]);
		expect(
			matching('Crm_Sales_SalesOrderLines', "SalesOrder/State eq 'Released' and SalesOrder/Void eq false"),
		).toEqual([ID.line3]);
	});

	it('should refuse a path through a reference that is not filterable (filterable-references.md)', () => {
		expect(() => customers('EnterpriseCompany/IsActive eq true')).toThrow(/not a filterable reference/);
	});

	it('should truncate a date-time literal to the date (filter.md)', () => {
		// customer1.FromDate is 2020-01-05T10:30:00Z: "le 2020-01-05T23:59:59.999Z" is evaluated as "le 2020-01-05T00:00:00Z".
		expect(customers('FromDate le 2020-01-05T23:59:59.999Z')).not.toContain(ID.customer1);
		expect(customers('FromDate ge 2020-01-05T23:59:59Z')).toEqual([ID.customer1]);
		expect(matching('Crm_Sales_SalesOrders', 'DocumentDate eq 2020-01-05Z')).toEqual([ID.orderNew]);
	});

	it('should keep minutes for AggregateLastUpdateTimeUtc, as incremental-pull.md relies on them', () => {
		expect(customers('AggregateLastUpdateTimeUtc ge 2023-06-09T09:55:00.000Z')).toEqual([ID.customer3]);
	});

	it('should implement equalnull, lessequalnull and greaterequalnull', () => {
		expect(
			customers(`equalnull(EnterpriseCompany,'General_EnterpriseCompanies(${ID.enterpriseCompany})')`),
		).toHaveLength(4);
		expect(customers('lessequalnull(CreditLimitValue,300)')).toEqual([ID.customer2, ID.customer3, ID.customer4]);
		expect(customers('greaterequalnull(CreditLimitValue,300)')).toEqual([ID.customer1, ID.customer2, ID.customer4]);
	});

	it('should filter DisplayText by the computed display text', () => {
		expect(customers("contains(DisplayText,'black sea')")).toEqual([ID.customer3]);
	});

	it('should read the key attribute of an abstract set (PartyId) from the record Id', () => {
		expect(matching('General_Contacts_Parties', `PartyId eq ${ID.personPeter}`)).toEqual([ID.personPeter]);
	});
});

describe('compileSearch', () => {
	const search = (entitySet: string, text: string) => {
		const set = store.model.getSet(entitySet);
		if (!set) throw new Error(entitySet);
		const predicate = compileSearch(parseSearch(text), set, context);
		return [...store.scan(entitySet)].filter(predicate).map((record) => String(record.Id));
	};

	it('should match the default search members, like search.md ("015" finds the numbers containing 015)', () => {
		expect(search('Crm_Sales_Customers', '"015"')).toEqual([ID.customer1, ID.customer2]);
	});

	it('should match Party.PartyName in any language (search.md "UNI")', () => {
		expect(search('Crm_Sales_Customers', '"UNI"')).toEqual([ID.customer1, ID.customer4]);
		expect(search('Crm_Sales_Customers', '"софия"')).toEqual([ID.customer1, ID.customer4]);
	});

	it('should match the display text', () => {
		expect(search('General_Products_Products', '"rear left"')).toEqual([ID.product2]);
	});
});

describe('compileOrderBy', () => {
	const order = (entitySet: string, orderBy: string) => {
		const set = store.model.getSet(entitySet);
		if (!set) throw new Error(entitySet);
		return [...store.scan(entitySet)]
			.sort(compileOrderBy(parseOrderBy(orderBy), set, context))
			.map((record) => record.Number);
	};

	it('should order by a property, case-insensitively, in both directions', () => {
		expect(order('Crm_Sales_Customers', 'Number')).toEqual(['aa00015', 'ab30151', 'C0004', 'number050']);
		expect(order('Crm_Sales_Customers', 'Number desc')).toEqual(['number050', 'C0004', 'ab30151', 'aa00015']);
	});

	it('should put nulls first and break ties by Id', () => {
		expect(order('Crm_Sales_Customers', 'CreditLimit')).toEqual(['ab30151', 'C0004', 'number050', 'aa00015']);
		expect(order('Crm_Sales_Customers', 'Active desc')).toEqual(['aa00015', 'number050', 'C0004', 'ab30151']);
	});
});
