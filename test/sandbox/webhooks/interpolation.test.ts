/**
 * String interpolation of webhook URLs, Headers and Bodies, checked against the inputs and outputs of ERP.net's docs:
 * - https://docs.erp.net/tech/advanced/string-interpolation/index.html (syntax, "#Error" on a wrong reference)
 * - https://docs.erp.net/tech/advanced/string-interpolation/expression-types/constant.html, data-member.html,
 *   system-variable.html, entity.html and the matching examples/*.html
 * - https://docs.erp.net/tech/advanced/string-interpolation/escape-sequences.html
 * - https://docs.erp.net/tech/advanced/string-interpolation/format-specifiers.html
 * - https://docs.erp.net/tech/advanced/concepts/webhooks.html (the "wh_01" Body and URL)
 */
import { interpolate, type InterpolationScope } from '../../../sandbox/src/webhooks/interpolation';
import type { MemoryStore } from '../../../sandbox/src/store/memory-store';
import { createFixtureStore, ID } from '../odata/fixture';

let store: MemoryStore;

beforeAll(() => {
	store = createFixtureStore();
});

function scopeOf(entitySet: string, id: string, overrides: Partial<InterpolationScope> = {}): InterpolationScope {
	const set = store.model.getSet(entitySet);
	const record = store.peek(entitySet, id);
	if (!set || !record) throw new Error(`no ${entitySet}(${id}) in the fixture`);
	return {
		model: store.model,
		store,
		object: { set, record },
		language: 'EN',
		now: Date.UTC(2021, 0, 1, 15, 0, 0),
		rootUrl: 'https://db.myerp.net',
		databaseName: 'E1_PROD',
		...overrides,
	};
}

const order = () => scopeOf('Crm_Sales_SalesOrders', ID.orderNew);

describe('constant expressions and escapes (constant.html, escape-sequences.html)', () => {
	it('should leave a plain string as it is', () => {
		expect(interpolate('This is a simple string.', order())).toBe('This is a simple string.');
	});

	it('should turn doubled and escaped braces into braces', () => {
		expect(interpolate('{{This one is escaped}}', order())).toBe('{This one is escaped}');
		expect(interpolate('\\{This one also\\}', order())).toBe('{This one also}');
	});

	it('should turn \\r, \\n and \\r\\n into one CR LF each and drop the backslash of any other escape', () => {
		expect(interpolate('line1\\nline2', order())).toBe('line1\r\nline2');
		expect(interpolate('line1\\n\\nline3', order())).toBe('line1\r\n\r\nline3');
		expect(interpolate('a\\r\\nb\\rc', order())).toBe('a\r\nb\r\nc');
		expect(interpolate('\\z\\A\\\'\\"\\R', order())).toBe('zA\'"R');
		expect(interpolate('C:\\\\MyFolder\\\\file.txt', order())).toBe('C:\\MyFolder\\file.txt');
	});
});

describe('data-member expressions (data-member.html)', () => {
	it('should read attributes and follow reference paths', () => {
		const customer = store.peek('Crm_Sales_Customers', ID.customer1);
		const party = store.peek('General_Contacts_Companies', ID.companyUni) as { PartyName: { EN: string; BG: string } };
		expect(interpolate('The document is {DocumentNo} of {Customer.Number}.', order())).toBe(
			`The document is SO000001 of ${String(customer?.Number)}.`,
		);
		expect(interpolate('{Customer.Party.PartyName}', order())).toBe(party.PartyName.EN);
		expect(interpolate('{Customer.Party.PartyName:bg}', order())).toBe(party.PartyName.BG);
	});

	it('should render a null member as an empty string', () => {
		expect(interpolate('[{Customer.SalesPerson}]', order())).toBe('[]');
	});

	it('should render the documented errors for a wrong member', () => {
		expect(interpolate('The customer is {Customer.Name}.', order())).toBe(
			"The customer is #Error: Attribute 'Name' not found#.",
		);
		expect(interpolate('{Customr.Id}', order())).toBe("#Error: Attribute 'Customr.Id' not found#");
	});

	it('should render the webhooks.html Body, Id without braces, enum members by name', () => {
		const body =
			'{{\n    "Id": "{Id}",\n    "Number": "{DocumentNo}",\n    "Date": "{DocumentDate}",\n    "State": "{State}"\n}}';
		expect(JSON.parse(interpolate(body, order()))).toEqual({
			Id: ID.orderNew,
			Number: 'SO000001',
			Date: '05.01.2020',
			State: 'New',
		});
	});

	it('should write GUIDs without braces by default, in braces with :B or when the scope asks for them', () => {
		expect(interpolate('/{EntityName}/{Id}', order())).toBe(`/Crm_Sales_Orders/${ID.orderNew}`);
		expect(interpolate('/{Id:B}', order())).toBe(`/{${ID.orderNew}}`);
		expect(interpolate('/{EntityName}/{Id}', { ...order(), guidFormat: 'B' })).toBe(
			`/Crm_Sales_Orders/{${ID.orderNew}}`,
		);
		expect(interpolate('{Id:N}', order())).toBe(ID.orderNew.replace(/-/g, ''));
	});
});

describe('format specifiers (format-specifiers.html)', () => {
	it('should format dates with standard and custom format strings', () => {
		const withTime = { ...order(), now: Date.UTC(2019, 4, 10, 15, 18, 39, 13) };
		expect(interpolate('{$datetimeutc:dd MM yyyy hh:mm:ss.fff}', withTime)).toBe('10 05 2019 03:18:39.013');
		expect(interpolate('{$datetimeutc:yyyy MM dd  hh:mm:ss.fff}', withTime)).toBe('2019 05 10  03:18:39.013');
		expect(interpolate('{$datetimeutc:dd MMM yyyy hh:mm}', withTime)).toBe('10 May 2019 03:18');
		expect(interpolate('{$datetimeutc:dd\\/MM\\/yyyy hh:mm}', withTime)).toBe('10/05/2019 03:18');
		expect(interpolate('{$datetimeutc:u}', withTime)).toBe('2019-05-10 15:18:39Z');
		expect(interpolate('{$datetimeutc:O}', withTime)).toBe('2019-05-10T15:18:39.0130000Z');
		expect(interpolate('{DocumentDate:dd-MM-yyyy}', order())).toBe('05-01-2020');
	});

	it('should format AggregateLastUpdateTimeUtc exactly with :O', () => {
		const stamped = store.peek('Crm_Sales_SalesOrders', ID.orderNew);
		const scope = {
			...order(),
			object: {
				set: order().object!.set,
				record: { ...stamped, AggregateLastUpdateTimeUtc: '2026-12-06T02:30:00.123Z' },
			},
		};
		expect(interpolate('{AggregateLastUpdateTimeUtc:O}', scope)).toBe('2026-12-06T02:30:00.1230000Z');
		expect(interpolate('{AggregateLastUpdateTimeUtc}', scope)).toBe('06.12.2026 02:30:00');
	});

	it('should format numbers and multi-language strings', () => {
		const product = scopeOf('General_Products_Products', ID.product1);
		expect(interpolate('{Name:D}', product)).toBe("EN='Coffee Maker' BG='Кафе машина'");
		expect(interpolate('{Name:BG}', product)).toBe('Кафе машина');
		expect(interpolate('{Name}', { ...product, language: 'BG' })).toBe('Кафе машина');
		const line = scopeOf('Crm_Sales_SalesOrderLines', ID.line2);
		expect(interpolate('{LineAmount}', line)).toBe('BGN 15.45');
		expect(interpolate('{LineAmount:VC}', line)).toBe('15.45 BGN');
		expect(interpolate('{Quantity}', line)).toBe('5.000 pcs');
		expect(interpolate('{LineNo:D4}', line)).toBe('0020');
	});
});

describe('system variables and entities (system-variable.html, entity.html)', () => {
	it('should resolve the documented system variables, case-insensitively', () => {
		expect(interpolate('Current database name is {$dbname}', order())).toBe('Current database name is E1_PROD');
		expect(interpolate('{$datetimeutc} (UTC)', order())).toBe('01.01.2021 15:00:00 (UTC)');
		expect(interpolate('{$DATE}', order())).toBe('01.01.2021');
		expect(interpolate('{$repository}|{$instance}|{$rooturl}', order())).toBe(
			'Crm.Sales.SalesOrders|db.myerp.net|https://db.myerp.net',
		);
		expect(interpolate('{$idlist}', order())).toBe(ID.orderNew);
		expect(interpolate('[{$role.Name}]', order())).toBe('[]');
		expect(interpolate('Yesterday was {$yesterday}.', order())).toBe(
			"Yesterday was #Error: System Variable '$yesterday' not found#.",
		);
	});

	it('should resolve an entity by name and Id, and report a missing entity or object', () => {
		expect(interpolate(`{General_Products_Products(${ID.product1}).PartNumber}`, order())).toBe('PRD-001');
		expect(interpolate(`{General_Product(${ID.product1})}`, order())).toBe(
			"#Error: Entity 'General_Product' not found#",
		);
		const missing = '1cbbe47c-2f54-4fcf-be46-7eb7c5a139e8';
		expect(interpolate(`{General_Products_Products(${missing})}`, order())).toBe(
			`#Error: Entity object '${missing}' not found#`,
		);
		expect(interpolate(`{General_Products_Products(${ID.product1}).FullName}`, order())).toBe(
			"#Error: Attribute 'FullName' not found#",
		);
	});
});
