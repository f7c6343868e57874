import {
	parseExpand,
	parseFilter,
	parseOrderBy,
	parseQuery,
	parseSearch,
	parseSelect,
	splitQueryString,
} from '../../../../sandbox/src/odata/query/parse-query';

const property = (...path: string[]) => ({ kind: 'property', path });

describe('splitQueryString', () => {
	it('should decode percent-encoding and + as in the real next link of batch.md', () => {
		expect(splitQueryString('%24top=2&%24select=PartNumber%2cName&%24filter=Active+eq+true')).toEqual([
			{ name: '$top', value: '2' },
			{ name: '$select', value: 'PartNumber,Name' },
			{ name: '$filter', value: 'Active eq true' },
		]);
	});
});

describe('parseFilter', () => {
	it('should parse the documented operators eq, ge, le and and', () => {
		expect(parseFilter("Number eq 'C001' and GracePeriodDays ge 5")).toEqual({
			kind: 'and',
			left: {
				kind: 'compare',
				operator: 'eq',
				left: property('Number'),
				right: { kind: 'literal', type: 'string', value: 'C001', raw: "'C001'" },
			},
			right: {
				kind: 'compare',
				operator: 'ge',
				left: property('GracePeriodDays'),
				right: { kind: 'literal', type: 'number', value: 5, raw: '5' },
			},
		});
	});

	it('should parse in with a list and, as filter.md writes it, without parentheses', () => {
		const list = parseFilter('Id in (0e8fb111-5b04-4eab-a890-47cfb9cfa4c4, 14389ba0-ee5c-459e-afd0-d74c17240f28)');
		expect(list).toMatchObject({ kind: 'in', left: property('Id'), values: [{ type: 'guid' }, { type: 'guid' }] });
		const single = parseFilter('Id in 0e8fb111-5b04-4eab-a890-47cfb9cfa4c4');
		expect(single).toMatchObject({
			kind: 'in',
			values: [{ type: 'guid', value: '0e8fb111-5b04-4eab-a890-47cfb9cfa4c4' }],
		});
		expect(parseFilter("State in ('FirmPlanned', 'Released')")).toMatchObject({
			values: [{ value: 'FirmPlanned' }, { value: 'Released' }],
		});
	});

	it('should parse paths through references', () => {
		expect(parseFilter("SalesOrder/State eq 'Released'")).toMatchObject({ left: property('SalesOrder', 'State') });
	});

	it('should parse contains, startswith, endswith and the ERP.net null-tolerant functions', () => {
		expect(parseFilter("contains(Party/PartyName,'Peter')")).toEqual({
			kind: 'call',
			name: 'contains',
			args: [property('Party', 'PartyName'), { kind: 'literal', type: 'string', value: 'Peter', raw: "'Peter'" }],
		});
		expect(parseFilter('lessequalnull(ContractEndDate,2019-02-01T00:00:00.000Z)')).toMatchObject({
			kind: 'call',
			name: 'lessequalnull',
			args: [property('ContractEndDate'), { type: 'datetime' }],
		});
	});

	it('should accept the date literal with Z of filter.md', () => {
		expect(parseFilter('DocumentDate ge 2020-01-01Z')).toMatchObject({ right: { type: 'date', value: '2020-01-01' } });
	});

	it('should read qualified enum literals', () => {
		expect(parseFilter("State ge Erp.General_DocumentState'Released'")).toMatchObject({
			right: { type: 'enum', value: 'Released' },
		});
	});

	it('should unescape doubled quotes in strings', () => {
		expect(parseFilter("Name eq 'o''brien'")).toMatchObject({ right: { value: "o'brien" } });
	});

	it('should give and a higher precedence than or', () => {
		expect(parseFilter('A eq 1 or B eq 2 and C eq 3')).toMatchObject({ kind: 'or', right: { kind: 'and' } });
	});

	it('should keep unsupported operands for the evaluator to refuse', () => {
		expect(parseFilter("tolower(Name) eq 'x'")).toMatchObject({ left: { kind: 'unsupported', raw: 'tolower(Name)' } });
	});

	it('should reject syntax errors', () => {
		expect(() => parseFilter('Number eq')).toThrow(/Syntax error/);
		expect(() => parseFilter("Number eq 'x' and")).toThrow(/Syntax error/);
		expect(() => parseFilter('(Number eq 1')).toThrow(/Syntax error/);
	});
});

describe('parseSelect, parseExpand, parseOrderBy, parseSearch', () => {
	it('should recognise * and the default keyword of select.md', () => {
		expect(parseSelect('*')).toEqual({ includeDefault: true, properties: [] });
		expect(parseSelect('default,CustomProperty_WebName')).toEqual({
			includeDefault: true,
			properties: [['CustomProperty_WebName']],
		});
		expect(parseSelect('PartNumber,Name')).toEqual({ includeDefault: false, properties: [['PartNumber'], ['Name']] });
	});

	it('should parse nested $expand with $select, $expand, $filter, $orderby and $top', () => {
		const [lines] = parseExpand(
			'Lines($expand=Product($select=Codes,Name,PartNumber;$expand=Codes($select=Code));$filter=LineNo ge 10;$orderby=LineNo desc;$top=2)',
		);
		expect(lines.path).toEqual(['Lines']);
		expect(lines.expand[0]).toMatchObject({
			path: ['Product'],
			select: { properties: [['Codes'], ['Name'], ['PartNumber']] },
		});
		expect(lines.expand[0].expand[0]).toMatchObject({ path: ['Codes'], select: { properties: [['Code']] } });
		expect(lines.filter).toMatchObject({ kind: 'compare', operator: 'ge' });
		expect(lines.orderBy).toEqual([{ path: ['LineNo'], descending: true }]);
		expect(lines.top).toBe(2);
	});

	it('should parse $orderby directions and paths', () => {
		expect(parseOrderBy('Number desc,Party/PartyName')).toEqual([
			{ path: ['Number'], descending: true },
			{ path: ['Party', 'PartyName'], descending: false },
		]);
	});

	it('should take quoted phrases and bare terms as search terms', () => {
		expect(parseSearch('"015"')).toEqual({ terms: ['015'] });
		expect(parseSearch('UNI')).toEqual({ terms: ['UNI'] });
		expect(parseSearch('015')).toEqual({ terms: ['015'] });
	});
});

describe('parseQuery', () => {
	it('should read every system option and keep the options in order', () => {
		const query = parseQuery(
			splitQueryString('$top=2&$skip=4&$count=true&$select=Number&options=skipnulls&$skiptoken=abc&culture=bg'),
		);
		expect(query).toMatchObject({ top: 2, skip: 4, count: true, skipNulls: true, skipToken: 'abc' });
		expect(query.options.map((option) => option.name)).toEqual([
			'$top',
			'$skip',
			'$count',
			'$select',
			'options',
			'$skiptoken',
			'culture',
		]);
	});

	it('should reject invalid, unknown and repeated options', () => {
		expect(() => parseQuery(splitQueryString('$top=abc'))).toThrow(/\$top/);
		expect(() => parseQuery(splitQueryString('$top=-1'))).toThrow(/non-negative/);
		expect(() => parseQuery(splitQueryString('$foo=1'))).toThrow("The query parameter '$foo' is not supported.");
		expect(() => parseQuery(splitQueryString('$top=1&$top=2'))).toThrow(/more than once/);
		expect(() => parseQuery(splitQueryString('$select=Number('))).toThrow(/\$select/);
	});
});
