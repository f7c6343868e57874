import {
	encodeQuery,
	entityId,
	entitySetFromUrl,
	entitySetOf,
	isEntitySetName,
	isGuid,
	joinList,
	parseEntityId,
	searchTerm,
	stringLiteral,
} from '../../../core/odata/syntax';

const GUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

describe('OData helpers', () => {
	it.each([
		[GUID, true],
		[GUID.toUpperCase(), true],
		[`{${GUID}}`, false],
		['3f2504e0-4f89-41d3-9a0c-0305e82c330', false],
		["3f2504e0-4f89-41d3-9a0c-0305e82c3301' or 1 eq 1", false],
		['', false],
	])('should tell whether %j is a GUID', (value, expected) => {
		expect(isGuid(value)).toBe(expected);
	});

	it.each([
		['Crm_Sales_Customers', true],
		['Crm_Sales_Customers(1)', false],
		['../id/connect/token', false],
		['Crm_Sales_Customers?$top=1', false],
		['1Bad', false],
	])('should validate entity set name %j', (value, expected) => {
		expect(isEntitySetName(value)).toBe(expected);
	});

	it('should parse relative, absolute and upper-case entity ids', () => {
		expect(parseEntityId(`Crm_Sales_Customers(${GUID})`)).toEqual({ entitySet: 'Crm_Sales_Customers', id: GUID });
		expect(
			parseEntityId(
				`https://x.my.erp.net/api/domain/odata/General_Products_Products(${GUID.toUpperCase()})?$select=Id`,
			),
		).toEqual({ entitySet: 'General_Products_Products', id: GUID });
		expect(parseEntityId(GUID)).toBeUndefined();
		expect(parseEntityId('Crm_Sales_Customers(12)')).toBeUndefined();
	});

	it('should build unquoted GUID keys as ERP.net documents them', () => {
		expect(entityId('Crm_Sales_SalesOrders', GUID.toUpperCase())).toBe(`Crm_Sales_SalesOrders(${GUID})`);
	});

	it('should double single quotes in string literals', () => {
		expect(stringLiteral("O'Brien")).toBe("'O''Brien'");
		expect(stringLiteral("''")).toBe("''''''");
	});

	it('should find the entity set in a pasted Domain API URL', () => {
		expect(entitySetFromUrl('https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers?$top=10')).toBe(
			'Crm_Sales_Customers',
		);
		expect(entitySetFromUrl('Crm_Sales_Customers')).toBeUndefined();
		expect(
			entitySetOf(
				' https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers(3f2504e0-4f89-41d3-9a0c-0305e82c3301) ',
			),
		).toBe('Crm_Sales_Customers');
		expect(entitySetOf(' General_Products_Products ')).toBe('General_Products_Products');
		expect(entitySetOf(undefined)).toBe('');
	});

	it('should encode every value as one parameter and keep $ in option names', () => {
		const query = encodeQuery({
			$filter: "Name eq 'A&B=C' and contains(Party/PartyName,'Пешо #1+2')",
			$top: 10,
			$select: undefined,
			$orderby: '',
		});
		expect(query).toBe(
			`$filter=${encodeURIComponent("Name eq 'A&B=C' and contains(Party/PartyName,'Пешо #1+2')")}&$top=10`,
		);
		expect(new URLSearchParams(query).get('$filter')).toBe("Name eq 'A&B=C' and contains(Party/PartyName,'Пешо #1+2')");
		expect(query).not.toContain(' ');
	});

	it('should join list options from arrays and comma-separated text', () => {
		expect(joinList(['Number', ' Active ', ''])).toBe('Number,Active');
		expect(joinList('Number, Party')).toBe('Number,Party');
		expect(joinList([])).toBeUndefined();
		expect(joinList(undefined)).toBeUndefined();
	});

	it('should quote search terms as ERP.net examples do', () => {
		expect(searchTerm('015')).toBe('"015"');
		expect(searchTerm('"already quoted"')).toBe('"already quoted"');
		expect(searchTerm('say "hi"')).toBe('"say \\"hi\\""');
	});
});
