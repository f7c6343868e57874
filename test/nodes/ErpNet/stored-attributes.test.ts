/**
 * Stored attributes (custom properties) through the real n8n-core engine against the sandbox
 * (https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html,
 * https://docs.erp.net/dev/domain-api/complex-types/custom-property-value.html).
 */
import type { INodeParameters } from 'n8n-workflow';

import { forgetModelResets } from '../../../core/transport/model';
import { erpNetCredentials, locator, odataRequests, queryOption, runErpNet, useSandbox } from '../../helpers/erpnet';
import { callLoadOptions, callResourceMapping } from '../../helpers/n8n';

const sandbox = useSandbox({ sizes: { customers: 12, products: 5, salesOrders: 8 } });

const SEGMENT = 'CustomProperty_Segment';
const REGION = 'CustomProperty__uD0A0_uD0B5_uD0B3_uD0B8_uD0BE_uD0BD';
const COUNTRY = 'CustomProperty_ship_u0020country';
const NOTE = 'CustomProperty_delivery_u002Enote';
const SIZE = 'CustomProperty_size_u0020_u0028cm_u0029';

beforeEach(() => {
	sandbox().control.reset();
	sandbox().control.clearLog();
	forgetModelResets();
});

const getMany = (options: INodeParameters): INodeParameters & { options: INodeParameters } => ({
	operation: 'getAll',
	entitySet: locator('Crm_Sales_Customers'),
	returnAll: true,
	options,
});

const editorContext = (entitySet: string, operation = 'update') => ({
	credentials: erpNetCredentials(sandbox()),
	parameters: { resource: 'entity', operation, entitySet: locator(entitySet) },
});

function resets() {
	return sandbox().requests.filter((entry) => entry.path === '/api/domain/reset');
}

function changeableOrderId(): string {
	const order = sandbox()
		.store.list('Crm_Sales_SalesOrders')
		.find((record) => ['New', 'Planned', 'FirmPlanned'].includes(String(record.State)));
	return String(order?.Id);
}

function customerWithSegment(): Record<string, unknown> {
	return sandbox()
		.store.list('Crm_Sales_Customers')
		.find((record) => record[SEGMENT] !== undefined && record[SEGMENT] !== null) as Record<string, unknown>;
}

describe('reading stored attributes', () => {
	it('should output the short value with Simplify (node version 1.1)', async () => {
		const customer = customerWithSegment();
		const { items, error } = await runErpNet(
			sandbox(),
			getMany({ select: ['Number', SEGMENT], simplify: true, filter: `Number eq '${String(customer.Number)}'` }),
		);
		expect(error).toBeUndefined();
		expect(items[0].json[SEGMENT]).toBe((customer[SEGMENT] as { Value: string }).Value);
		expect(queryOption(odataRequests(sandbox(), 'Crm_Sales_Customers')[0], '$select')).toBe(`Number,${SEGMENT}`);
	});

	it('should output {Value, ValueId, Description} without Simplify, and with Simplify on node version 1', async () => {
		const customer = customerWithSegment();
		const parameters = getMany({ select: ['Number', SEGMENT], filter: `Number eq '${String(customer.Number)}'` });
		const raw = await runErpNet(sandbox(), parameters);
		expect(raw.items[0].json[SEGMENT]).toEqual(customer[SEGMENT]);
		const simplifiedV1 = await runErpNet(
			sandbox(),
			{ ...parameters, options: { ...parameters.options, simplify: true } },
			{ typeVersion: 1 },
		);
		expect(simplifiedV1.items[0].json[SEGMENT]).toEqual(customer[SEGMENT]);
	});
});

describe('filtering with Conditions', () => {
	it('should send CustomProperty_<code> eq with the short value', async () => {
		const { items, error } = await runErpNet(
			sandbox(),
			getMany({
				select: [SEGMENT],
				simplify: true,
				conditions: { condition: [{ field: SEGMENT, operator: 'eq', value: 'Wholesale' }] },
			}),
		);
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((item) => item.json[SEGMENT] === 'Wholesale')).toBe(true);
		const read = odataRequests(sandbox(), 'Crm_Sales_Customers')[0];
		expect(queryOption(read, '$filter')).toBe(`${SEGMENT} eq 'Wholesale'`);
	});

	it('should refuse any other operator before a request (the docs allow only eq)', async () => {
		const { error } = await runErpNet(
			sandbox(),
			getMany({ conditions: { condition: [{ field: REGION, operator: 'contains', value: 'Се' }] } }),
		);
		expect(error?.message).toBe(
			`${REGION} is a stored attribute: ERP.net can only filter it with "Equals" (its short value)`,
		);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(0);
	});
});

describe('writing stored attributes', () => {
	it('should send the CustomPropertyValue shape from the resource mapper', async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[1];
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			fieldsInput: 'mapper',
			columns: {
				mappingMode: 'defineBelow',
				value: { [SEGMENT]: 'Distributor', [REGION]: 'Тракия' },
				schema: [],
				matchingColumns: [],
			},
			options: { simplify: true },
		});
		expect(error).toBeUndefined();
		const patch = odataRequests(sandbox(), 'Crm_Sales_Customers').find((entry) => entry.method === 'PATCH');
		expect(JSON.parse(patch?.body ?? '{}')).toEqual({
			[SEGMENT]: { Value: 'Distributor' },
			[REGION]: { Value: 'Тракия' },
		});
		expect(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))).toMatchObject({
			[SEGMENT]: { Value: 'Distributor', Description: { EN: 'Distributor' } },
			[REGION]: { Value: 'Тракия', ValueId: null },
		});
		expect(items[0].json.Id).toBe(customer.Id);
	});

	it('should send a record of another entity as its ValueId and pass a CustomPropertyValue object from JSON', async () => {
		const id = changeableOrderId();
		const country = sandbox()
			.store.list('General_Geography_Countries')
			.find((record) => record.Code === 'DE');
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(id, 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({
				[COUNTRY]: `General_Geography_Countries(${String(country?.Id)})`,
				[NOTE]: { Value: 'Ring twice' },
			}),
		});
		expect(error).toBeUndefined();
		const patch = odataRequests(sandbox(), 'Crm_Sales_SalesOrders').find((entry) => entry.method === 'PATCH');
		expect(JSON.parse(patch?.body ?? '{}')).toEqual({
			[COUNTRY]: { ValueId: country?.Id },
			[NOTE]: { Value: 'Ring twice' },
		});
		expect(sandbox().store.get('Crm_Sales_SalesOrders', id)).toMatchObject({
			[COUNTRY]: { Value: 'DE', ValueId: country?.Id },
		});
	});

	it('should refuse a value outside the allowed values before any write, and keep going with Continue On Fail', async () => {
		const customers = sandbox().store.list('Crm_Sales_Customers').slice(0, 2);
		const { items } = await runErpNet(
			sandbox(),
			{
				operation: 'update',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator('={{ $json.id }}', 'id'),
				fieldsInput: 'json',
				jsonBody: '={{ JSON.stringify({ CustomProperty_Segment: $json.segment }) }}',
			},
			{
				continueOnFail: true,
				input: [
					{ json: { id: customers[0].Id, segment: 'VIP' } },
					{ json: { id: customers[1].Id, segment: 'retail' } },
				],
			},
		);
		expect(items[0].json.error).toBe(
			`"VIP" is not an allowed value of ${SEGMENT}. Allowed: Retail, Wholesale, Distributor`,
		);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json.Id).toBe(customers[1].Id);
		const patches = odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.method === 'PATCH');
		expect(patches).toHaveLength(1);
		expect(sandbox().store.get('Crm_Sales_Customers', String(customers[1].Id))?.[SEGMENT]).toMatchObject({
			Value: 'Retail',
		});
	});

	it("should report ERP.net's refusal of a value longer than the definition's MaskLength", async () => {
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(changeableOrderId(), 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ [NOTE]: 'x'.repeat(41) }),
		});
		expect(error?.message).toContain("stored attribute 'delivery.note' is too long");
	});

	it('should refuse a CustomPropertyValue with unknown members', async () => {
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(sandbox().store.list('Crm_Sales_Customers')[0].Id), 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ [REGION]: { Text: 'x' } }),
		});
		expect(error?.message).toBe(
			`${REGION} is a stored attribute: its value has only Value, ValueId and Description, not Text`,
		);
	});
});

describe('stored attributes in the editor', () => {
	it('should type resource-mapper fields from their definitions, with allowed values loaded from the instance', async () => {
		const customers = await callResourceMapping('getColumnsForUpdate', editorContext('Crm_Sales_Customers'));
		const segment = customers.fields.find((field) => field.id === SEGMENT);
		expect(segment).toMatchObject({
			type: 'options',
			displayName: `${SEGMENT} (stored attribute "Customer segment", one of its allowed values)`,
		});
		expect(segment?.options?.map((option) => option.value)).toEqual(['Retail', 'Wholesale', 'Distributor']);
		expect(customers.fields.find((field) => field.id === REGION)).toMatchObject({
			type: 'string',
			displayName: `${REGION} (stored attribute "Region", text)`,
		});
		const orders = await callResourceMapping('getColumnsForUpdate', editorContext('Crm_Sales_SalesOrders'));
		expect(orders.fields.find((field) => field.id === COUNTRY)?.displayName).toBe(
			`${COUNTRY} (stored attribute "Ship to country", a record of General_Geography_Countries: GUID, ID or its code)`,
		);
	});

	it('should offer them in Fields to Return and Conditions', async () => {
		const selectable = await callLoadOptions('getSelectableFields', editorContext('Crm_Sales_Customers', 'getAll'));
		expect(selectable.find((option) => option.value === SEGMENT)?.description).toBe(
			'stored attribute "Customer segment", one of its allowed values (Retail, Wholesale, Distributor)',
		);
		const filterable = await callLoadOptions('getFilterableFields', editorContext('Crm_Sales_Customers', 'getAll'));
		expect(filterable.map((option) => option.value)).toEqual(expect.arrayContaining([SEGMENT, REGION]));
	});
});

describe('a stored attribute created after the first model read', () => {
	function define(code: string, name: string) {
		sandbox().store.insert('Systems_Bpm_CustomProperties', {
			Code: code,
			EntityName: 'Crm_Sales_Customers',
			Name: { EN: name },
			PropertyType: 'Text',
			LimitToAllowedValues: false,
			IsActive: true,
		});
	}
	const defineSize = () => define('size (cm)', 'Size');

	it('should reset the instance model once and read the new attribute', async () => {
		expect((await runErpNet(sandbox(), getMany({ select: ['Number', SEGMENT] }))).error).toBeUndefined();
		defineSize();
		const { items, error } = await runErpNet(sandbox(), getMany({ select: ['Number', SIZE] }));
		expect(error).toBeUndefined();
		expect(items[0].json).toHaveProperty(SIZE, null);
		expect(resets()).toHaveLength(1);
		const models = sandbox().requests.filter((entry) => entry.path === '/api/domain/currentmodel/Crm_Sales_Customers');
		expect(models).toHaveLength(3);
	});

	it('should offer it in the editor after a reset', async () => {
		await callLoadOptions('getSelectableFields', editorContext('Crm_Sales_Customers', 'getAll'));
		defineSize();
		const selectable = await callLoadOptions('getSelectableFields', editorContext('Crm_Sales_Customers', 'getAll'));
		expect(selectable.map((option) => option.value)).toContain(SIZE);
		expect(resets()).toHaveLength(1);
	});

	it('should not reset the model for a stored attribute nobody defined, and say what to check', async () => {
		const { error } = await runErpNet(sandbox(), getMany({ select: ['Number', 'CustomProperty_colour'] }));
		expect(error?.message).toBe('Crm_Sales_Customers has no stored attribute CustomProperty_colour');
		expect(error?.description).toContain('No active stored attribute with this name is defined');
		expect(resets()).toHaveLength(0);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(0);
	});

	it('should reset at most once a minute', async () => {
		defineSize();
		await runErpNet(sandbox(), getMany({ select: [SIZE] }));
		define('weight', 'Weight');
		const { error } = await runErpNet(sandbox(), getMany({ select: ['CustomProperty_weight'] }));
		expect(error?.message).toBe('Crm_Sales_Customers has no stored attribute CustomProperty_weight');
		expect(error?.description).toContain('try again in a minute');
		expect(resets()).toHaveLength(1);
	});
});
