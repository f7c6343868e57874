/**
 * Stored attributes (custom properties) in the sandbox, against ERP.net's docs:
 * https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html,
 * https://docs.erp.net/dev/domain-api/complex-types/custom-property-value.html,
 * https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html and the model pages
 * https://docs.erp.net/model/entities/Systems.Bpm.CustomProperties.html,
 * https://docs.erp.net/model/entities/Systems.Bpm.CustomPropertyAllowedValues.html.
 */
import { startSandbox, type Sandbox } from '../../../../sandbox/src';
import { escapePropertyCode } from '../../../../sandbox/src/odata/model/stored-attributes';
import { SEEDED_STORED_ATTRIBUTES } from '../../../../sandbox/src/seed';

let sandbox: Sandbox;
let accessToken: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, sizes: { customers: 8, products: 5, salesOrders: 6 } });
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
		}),
	});
	accessToken = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(() => sandbox.control.reset());

type Json = Record<string, unknown> & { value?: Array<Record<string, unknown>>; error?: { message: string } };

async function call(path: string, init: { method?: string; body?: unknown; authorized?: boolean } = {}) {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (init.authorized !== false) headers.authorization = `Bearer ${accessToken}`;
	const response = await fetch(`${sandbox.url}/api/domain/${path}`, {
		method: init.method ?? 'GET',
		headers,
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
	});
	const text = await response.text();
	return { status: response.status, json: (text ? JSON.parse(text) : {}) as Json };
}

const SEGMENT = 'CustomProperty_Segment';
const REGION = 'CustomProperty__uD0A0_uD0B5_uD0B3_uD0B8_uD0BE_uD0BD';
const NOTE = 'CustomProperty_delivery_u002Enote';
const COUNTRY = 'CustomProperty_ship_u0020country';

async function firstCustomerId(): Promise<string> {
	return String((await call('odata/Crm_Sales_Customers?$top=1&$select=Id')).json.value?.[0]?.Id);
}

/** An order that may still be changed (Released and later documents are changed with adjustment documents). */
function changeableOrderId(): string {
	const order = sandbox.store
		.list('Crm_Sales_SalesOrders')
		.find((record) => ['New', 'Planned', 'FirmPlanned'].includes(String(record.State)));
	return String(order?.Id);
}

describe('EscapePropertyCode (custom-property-value.html "API property name")', () => {
	it.each([
		['color', 'color'],
		['color.name', 'color_u002Ename'],
		['size (cm)', 'size_u0020_u0028cm_u0029'],
		['Регион', '_uD0A0_uD0B5_uD0B3_uD0B8_uD0BE_uD0BD'],
		['€', '_uE282AC'],
		['a_b-9', 'a_b_u002D9'],
	])('should escape %s as %s', (code, escaped) => {
		expect(escapePropertyCode(code)).toBe(escaped);
	});

	it('should name every seeded definition as the docs escape its code', () => {
		for (const seed of SEEDED_STORED_ATTRIBUTES)
			expect(`CustomProperty_${escapePropertyCode(seed.code)}`).toBe(seed.attribute);
	});
});

describe('the model (discover-model.html: the current model includes custom properties, the standard model does not)', () => {
	it('should list active stored attributes in currentmodel with IsCustomProperty and Erp.CustomPropertyValue', async () => {
		const { json } = await call('currentmodel/Crm_Sales_Customers');
		const custom = (json.Attributes as Array<Record<string, unknown>>).filter(
			(attribute) => attribute.IsCustomProperty,
		);
		expect(custom.map((attribute) => attribute.Name).sort()).toEqual([REGION, SEGMENT].sort());
		expect(custom.find((attribute) => attribute.Name === SEGMENT)).toMatchObject({
			Type: 'Erp.CustomPropertyValue',
			SupportsAllowedValues: true,
			LimitToAllowedValues: true,
			BaseInfo: expect.objectContaining({ SupportedFilters: 'Equals' }),
		});
	});

	it('should leave them out of standardmodel and put them in $metadata', async () => {
		const standard = await call('standardmodel/Crm_Sales_Customers', { authorized: false });
		expect(
			(standard.json.Attributes as Array<{ Name: string }>).some((attribute) =>
				attribute.Name.startsWith('CustomProperty_'),
			),
		).toBe(false);
		const metadata = await fetch(`${sandbox.url}/api/domain/odata/$metadata`, {
			headers: { authorization: `Bearer ${accessToken}` },
		});
		expect(await metadata.text()).toContain(`<Property Name="${SEGMENT}" Type="Erp.CustomPropertyValue"`);
	});

	it('should not expose an inactive definition', async () => {
		const { json } = await call('currentmodel/Crm_Sales_Customers');
		expect(JSON.stringify(json)).not.toContain('CustomProperty_legacy_u0020code');
	});
});

describe('reads (custom-property-value.html "Composition of the CustomPropertyValue type")', () => {
	it('should return {Value, ValueId, Description} only when selected (select.md: not a default attribute)', async () => {
		const plain = await call('odata/Crm_Sales_Customers?$top=4');
		expect(Object.keys(plain.json.value?.[0] ?? {}).some((name) => name.startsWith('CustomProperty_'))).toBe(false);
		const { json } = await call(`odata/Crm_Sales_Customers?$top=8&$select=Number,${SEGMENT},${REGION}`);
		const withSegment = json.value?.find((record) => record[SEGMENT] !== null);
		expect(withSegment?.[SEGMENT]).toEqual({
			Value: expect.any(String),
			ValueId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			Description: expect.objectContaining({ EN: expect.any(String) }),
		});
		expect(json.value?.some((record) => record[SEGMENT] === null)).toBe(true);
		expect(json.value?.some((record) => (record[REGION] as { Value?: string } | null)?.Value === 'Север')).toBe(true);
	});
});

describe('filters (custom-property-value.html: "only the short value (Value) and only eq")', () => {
	it('should filter by the short value with eq', async () => {
		const { status, json } = await call(
			`odata/Crm_Sales_Customers?$select=${SEGMENT}&$filter=${SEGMENT} eq 'Wholesale'`,
		);
		expect(status).toBe(200);
		expect(json.value?.length).toBeGreaterThan(0);
		expect(json.value?.every((record) => (record[SEGMENT] as { Value: string }).Value === 'Wholesale')).toBe(true);
	});

	it.each([
		[`${SEGMENT} ge 'A'`, 'ge'],
		[`contains(${SEGMENT},'Whole')`, 'contains'],
		[`${SEGMENT} in ('Retail','Wholesale')`, 'in'],
		[`${SEGMENT}/Value eq 'Retail'`, `${SEGMENT}/Value`],
	])('should refuse %s', async (filter, refused) => {
		const { status, json } = await call(`odata/Crm_Sales_Customers?$filter=${encodeURIComponent(filter)}`);
		expect(status).toBe(500);
		expect(json.error?.message).toContain(`only be filtered with eq and its short value`);
		expect(json.error?.message).toContain(`'${refused}' is not supported`);
	});
});

describe('writes (CustomPropertyValue shape; Systems.Bpm.CustomProperties LimitToAllowedValues, MaskLength)', () => {
	it('should store a free-text value and clear it with null', async () => {
		const id = await firstCustomerId();
		const written = await call(`odata/Crm_Sales_Customers(${id})`, {
			method: 'PATCH',
			body: { [REGION]: { Value: 'Добруджа' } },
		});
		expect(written.status).toBeLessThan(300);
		expect((sandbox.store.get('Crm_Sales_Customers', id) as Record<string, unknown>)[REGION]).toEqual({
			Value: 'Добруджа',
			ValueId: null,
			Description: null,
		});
		await call(`odata/Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { [REGION]: null } });
		expect((sandbox.store.get('Crm_Sales_Customers', id) as Record<string, unknown>)[REGION]).toBeNull();
	});

	it('should take an allowed value by Value and store its ValueId and Description', async () => {
		const id = await firstCustomerId();
		await call(`odata/Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { [SEGMENT]: { Value: 'distributor' } } });
		const stored = (sandbox.store.get('Crm_Sales_Customers', id) as Record<string, { Value: string; ValueId: string }>)[
			SEGMENT
		];
		expect(stored).toMatchObject({ Value: 'Distributor', Description: { EN: 'Distributor', BG: 'Дистрибутор' } });
		const entry = sandbox.store.get('Systems_Bpm_CustomPropertyAllowedValues', stored.ValueId);
		expect(entry?.PropertyAllowedValueField).toBe('Distributor');
	});

	it('should refuse a value that is not allowed', async () => {
		const id = await firstCustomerId();
		const { status, json } = await call(`odata/Crm_Sales_Customers(${id})`, {
			method: 'PATCH',
			body: { [SEGMENT]: { Value: 'VIP' } },
		});
		expect(status).toBe(500);
		expect(json.error?.message).toContain("'VIP' is not an allowed value of the stored attribute 'Segment'");
	});

	it('should take a value of another entity by ValueId (AllowedValuesEntityName)', async () => {
		const id = changeableOrderId();
		const country = sandbox.store.list('General_Geography_Countries').find((record) => record.Code === 'IE');
		const written = await call(`odata/Crm_Sales_SalesOrders(${id})`, {
			method: 'PATCH',
			body: { [COUNTRY]: { ValueId: country?.Id } },
		});
		expect(written.status).toBeLessThan(300);
		expect((sandbox.store.get('Crm_Sales_SalesOrders', id) as Record<string, unknown>)[COUNTRY]).toMatchObject({
			Value: 'IE',
			ValueId: country?.Id,
			Description: { EN: 'Ireland' },
		});
	});

	it('should refuse a value longer than MaskLength, a wrong shape and an unknown member', async () => {
		const id = changeableOrderId();
		const tooLong = await call(`odata/Crm_Sales_SalesOrders(${id})`, {
			method: 'PATCH',
			body: { [NOTE]: { Value: 'x'.repeat(41) } },
		});
		expect(tooLong.json.error?.message).toContain(
			"stored attribute 'delivery.note' is too long: 41 characters, the maximum is 40",
		);
		const plainText = await call(`odata/Crm_Sales_SalesOrders(${id})`, { method: 'PATCH', body: { [NOTE]: 'text' } });
		expect(plainText.json.error?.message).toContain("to the expected type 'Erp.CustomPropertyValue'");
		const member = await call(`odata/Crm_Sales_SalesOrders(${id})`, {
			method: 'PATCH',
			body: { [NOTE]: { Text: 'x' } },
		});
		expect(member.json.error?.message).toContain(
			"The property 'Text' does not exist on type 'Erp.CustomPropertyValue'",
		);
	});
});

describe('GetAllowedCustomPropertyValues (stored-attributes.html "Getting allowed values")', () => {
	it('should return the allowed values as CustomPropertyValue, searched, ordered by value and paged', async () => {
		const id = await firstCustomerId();
		const all = await call(
			`odata/Crm_Sales_Customers(${id})/GetAllowedCustomPropertyValues(customPropertyCode='Segment')`,
		);
		expect(all.json.value?.map((entry) => entry.Value)).toEqual(['Distributor', 'Retail', 'Wholesale']);
		expect(all.json.value?.[1]).toMatchObject({ ValueId: expect.any(String), Description: { EN: 'Retail customer' } });
		const searched = await call(
			`odata/Crm_Sales_Customers(${id})/GetAllowedCustomPropertyValues(customPropertyCode='Segment',search='%25sale%25',top=1)`,
		);
		expect(searched.json.value?.map((entry) => entry.Value)).toEqual(['Wholesale']);
		const unknown = await call(
			`odata/Crm_Sales_Customers(${id})/GetAllowedCustomPropertyValues(customPropertyCode='colour')`,
		);
		expect(unknown.json.error?.message).toBe("The custom property 'colour' is not defined for 'Crm_Sales_Customers'.");
	});
});

describe('a new definition and /api/domain/reset (custom-property-value.html "Reset (refreshing the EDM model)")', () => {
	it('should expose a definition created at run time only after reset', async () => {
		const created = await call('odata/Systems_Bpm_CustomProperties', {
			method: 'POST',
			body: { Code: 'size (cm)', EntityName: 'Crm_Sales_Customers', Name: { EN: 'Size' }, PropertyType: 'Text' },
		});
		expect(created.status).toBeLessThan(300);
		const name = 'CustomProperty_size_u0020_u0028cm_u0029';
		const before = await call(`odata/Crm_Sales_Customers?$top=1&$select=${name}`);
		expect(before.status).toBe(500);
		expect(before.json.error?.message).toContain(name);
		expect((await call('reset', { authorized: false })).status).toBe(401);
		const reset = await call('reset');
		expect(reset).toEqual({ status: 200, json: { success: true } });
		const after = await call(`odata/Crm_Sales_Customers?$top=1&$select=${name}`);
		expect(after.status).toBe(200);
		const model = await call('currentmodel/Crm_Sales_Customers');
		expect((model.json.Attributes as Array<{ Name: string }>).some((attribute) => attribute.Name === name)).toBe(true);
	});
});
