/**
 * Call Method through the real n8n engine against the sandbox (https://docs.erp.net/dev/domain-api/operations/index.html;
 * `Methods` of the JSON model).
 */
import type { IDataObject } from 'n8n-workflow';

import { erpNetCredentials, locator, odataRequests, runErpNet, useSandbox } from '../../../../helpers/erpnet';
import { callLoadOptions, callResourceMapping } from '../../../../helpers/n8n';

const sandbox = useSandbox({ sizes: { customers: 20, products: 20, salesOrders: 20 } });

beforeEach(() => {
	sandbox().control.reset();
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function first(entitySet: string): IDataObject {
	return sandbox().store.list(entitySet)[0] as IDataObject;
}

describe('Call Method', () => {
	const loadParameters = (method: string) => ({
		resource: 'entity',
		operation: 'callMethod',
		entitySet: locator('Crm_Sales_SalesOrders'),
		method,
	});

	it("should list the entity set's methods from the model and type their parameters", async () => {
		const options = await callLoadOptions('getMethods', {
			credentials: erpNetCredentials(sandbox()),
			parameters: loadParameters(''),
		});
		expect(options.map((option) => option.value)).toEqual(
			expect.arrayContaining(['ChangeState', 'MakeVoid', 'GetPrintout', 'GetPropertyAllowedValues']),
		);
		expect(options.find((option) => option.value === 'GetPropertyAllowedValues')?.description).toMatch(/^Function/);
		const fields = await callResourceMapping('getMethodParameters', {
			credentials: erpNetCredentials(sandbox()),
			parameters: loadParameters('GetPropertyAllowedValues'),
		});
		expect(fields.fields.map((field) => [field.id, field.type])).toEqual([
			['propertyName', 'string'],
			['search', 'string'],
			['top', 'number'],
			['skip', 'number'],
		]);
	});

	it('should call a function with GET and the OData parameter syntax', async () => {
		const order = first('Crm_Sales_SalesOrders');
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(order.Id), 'id'),
			method: 'GetPropertyAllowedValues',
			methodParameters: { mappingMode: 'defineBelow', value: { propertyName: 'State', search: "it's plan", top: 3 } },
		});
		expect(error).toBeUndefined();
		const get = odataRequests(sandbox()).find((entry) => entry.path.includes('GetPropertyAllowedValues'));
		expect(get?.method).toBe('GET');
		expect(decodeURIComponent(get?.path ?? '')).toBe(
			`/api/domain/odata/Crm_Sales_SalesOrders(${String(order.Id)})/GetPropertyAllowedValues(propertyName='State',search='it''s plan',top=3)`,
		);
		expect(items).toEqual([]);
		const all = await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(order.Id), 'id'),
			method: 'GetPropertyAllowedValues',
			methodParameters: { mappingMode: 'defineBelow', value: { propertyName: 'State', top: 10 } },
		});
		expect(all.items.map((item) => item.json.Value)).toEqual([
			'New',
			'Adjustment',
			'Planned',
			'FirmPlanned',
			'Released',
			'Completed',
			'Closed',
		]);
	});

	it('should POST an action with its parameters as JSON, entity IDs as references', async () => {
		const order = sandbox()
			.store.list('Crm_Sales_SalesOrders')
			.find((record) => record.State === 'Planned' && record.Void === false) as IDataObject;
		const user = first('Systems_Security_Users');
		const changed = await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(order.Id), 'id'),
			method: 'ChangeState',
			methodParameters: { mappingMode: 'defineBelow', value: { newState: 'FirmPlanned' } },
		});
		expect(changed.error).toBeUndefined();
		expect(changed.items[0].json).toEqual({
			success: true,
			method: 'ChangeState',
			id: order.Id,
			entitySet: 'Crm_Sales_SalesOrders',
		});
		expect(sandbox().store.get('Crm_Sales_SalesOrders', String(order.Id))?.State).toBe('FirmPlanned');
		await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(order.Id), 'id'),
			method: 'CreateNotification',
			methodParameters: {
				mappingMode: 'defineBelow',
				value: { user: `Systems_Security_Users(${String(user.Id)})`, notificationClass: 'NT_X', subject: 's' },
			},
		});
		const post = odataRequests(sandbox())
			.filter((entry) => entry.method === 'POST')
			.pop();
		expect(JSON.parse(post?.body ?? '{}')).toEqual({
			user: { '@odata.id': `Systems_Security_Users(${String(user.Id)})` },
			notificationClass: 'NT_X',
			subject: 's',
		});
	});

	it('should output a primitive result as value, and refuse a method the model does not list', async () => {
		const order = sandbox()
			.store.list('Crm_Sales_SalesOrders')
			.find((record) => record.State === 'Released') as IDataObject;
		const printout = await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(order.Id), 'id'),
			method: 'GetPrintout',
			methodParameters: { mappingMode: 'defineBelow', value: { fileFormat: 'txt' } },
		});
		expect(Buffer.from(String(printout.items[0].json.value), 'base64').toString('utf8')).toContain(
			String(order.DocumentNo),
		);
		const unknown = await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(first('Crm_Sales_Customers').Id), 'id'),
			method: 'ChangeState',
		});
		expect(unknown.error?.message).toMatch(/has no method "ChangeState"/);
		expect(odataRequests(sandbox()).filter((entry) => entry.path.endsWith('/ChangeState'))).toHaveLength(0);
	});

	it('should hide unsafe methods from the AI-tool variant and refuse them there', async () => {
		const model = sandbox().store.model;
		const set = model.getSet('Crm_Sales_SalesOrders');
		const methods = set?.definition.methods ?? [];
		methods.push({
			name: 'ExecuteScript',
			description: '',
			returnType: 'void',
			returnsCollection: false,
			declaringType: 'EntityObject',
			isAction: true,
			parameters: [],
		});
		try {
			const regular = await callLoadOptions('getMethods', {
				credentials: erpNetCredentials(sandbox()),
				parameters: loadParameters(''),
			});
			expect(regular.map((option) => option.value)).toContain('ExecuteScript');
			const tool = await callLoadOptions('getMethods', {
				credentials: erpNetCredentials(sandbox()),
				parameters: loadParameters(''),
				nodeTypeName: 'n8n-nodes-erpnet.erpNetTool',
			});
			expect(tool.map((option) => option.value)).not.toContain('ExecuteScript');
			expect(tool.map((option) => option.value)).toContain('ChangeState');
			const order = first('Crm_Sales_SalesOrders');
			const { error } = await runErpNet(
				sandbox(),
				{
					operation: 'callMethod',
					entitySet: locator('Crm_Sales_SalesOrders'),
					recordId: locator(String(order.Id), 'id'),
					method: 'ExecuteScript',
				},
				{ nodeTypeName: 'n8n-nodes-erpnet.erpNetTool' },
			);
			expect(error?.message).toMatch(/cannot be called by an AI agent/);
		} finally {
			methods.pop();
		}
	});
});
