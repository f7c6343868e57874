/**
 * Record-level actions of every entity through the real n8n engine against the sandbox: Create Notification
 * (common-tasks/create-notification.md) and Call Method (operations/index.md; `Methods` of the JSON model).
 */
import type { IDataObject } from 'n8n-workflow';

import { erpNetCredentials, locator, odataRequests, runErpNet, useSandbox } from '../../../../helpers/erpnet';
import { callListSearch, callLoadOptions, callResourceMapping } from '../../../../helpers/n8n';

const sandbox = useSandbox({ sizes: { customers: 20, products: 20, salesOrders: 20 } });

beforeEach(() => {
	sandbox().control.reset();
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function first(entitySet: string): IDataObject {
	return sandbox().store.list(entitySet)[0] as IDataObject;
}

describe('Create Notification', () => {
	it('should POST the documented body for any record and output what was sent', async () => {
		const customer = first('Crm_Sales_Customers');
		const user = first('Systems_Security_Users');
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'createNotification',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			user: locator(String(user.Id), 'id'),
			notificationClass: 'NT_SOC_NEW_POST',
			subject: 'Hello from n8n',
			priority: 'High',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ notified: true, id: customer.Id, user: `Systems_Security_Users(${String(user.Id)})`, priority: 'High' });
		const post = odataRequests(sandbox()).find((entry) => entry.method === 'POST');
		expect(post?.path).toBe(`/api/domain/odata/Crm_Sales_Customers(${String(customer.Id)})/CreateNotification`);
		expect(JSON.parse(post?.body ?? '{}')).toEqual({
			user: { '@odata.id': `Systems_Security_Users(${String(user.Id)})` },
			notificationClass: 'NT_SOC_NEW_POST',
			subject: 'Hello from n8n',
			priority: 'High',
		});
		expect(sandbox().control.notifications()).toEqual([expect.objectContaining({ subject: 'Hello from n8n', dataObject: `Crm_Sales_Customers(${String(customer.Id)})` })]);
	});

	it('should report an unknown user, continue on fail, and batch notifications', async () => {
		const customer = first('Crm_Sales_Customers');
		const user = String(first('Systems_Security_Users').Id);
		const parameters = {
			operation: 'createNotification',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			user: locator('={{ $json.user }}', 'id'),
			notificationClass: 'NT_SOC_NEW_POST',
			subject: '={{ $json.subject }}',
		};
		const input = [
			{ user, subject: 'one' },
			{ user: '00000000-0000-0000-0000-000000000001', subject: 'two' },
			{ user, subject: 'three' },
		];
		const { items } = await runErpNet(sandbox(), { ...parameters, options: { batching: 'independent' } }, { continueOnFail: true, input });
		expect(items.map((item) => item.json.notified ?? item.json.error)).toEqual([true, expect.stringMatching(/does not exist/), true]);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
		expect(sandbox().control.notifications().map((notification) => notification.subject)).toEqual(['one', 'three']);
		expect(odataRequests(sandbox()).filter((entry) => entry.path.endsWith('$batch'))).toHaveLength(1);
	});

	it('should list users for the user locator', async () => {
		const result = await callListSearch('searchUsers', { credentials: erpNetCredentials(sandbox()) });
		expect(result.results.length).toBeGreaterThan(0);
		expect(result.results.map((entry) => entry.value)).toContain(String(first('Systems_Security_Users').Id));
	});
});

describe('Call Method', () => {
	const loadParameters = (method: string) => ({ resource: 'entity', operation: 'callMethod', entitySet: locator('Crm_Sales_SalesOrders'), method });

	it('should list the entity set\'s methods from the model and type their parameters', async () => {
		const options = await callLoadOptions('getMethods', { credentials: erpNetCredentials(sandbox()), parameters: loadParameters('') });
		expect(options.map((option) => option.value)).toEqual(expect.arrayContaining(['ChangeState', 'MakeVoid', 'GetPrintout', 'GetPropertyAllowedValues']));
		expect(options.find((option) => option.value === 'GetPropertyAllowedValues')?.description).toMatch(/^Function/);
		const fields = await callResourceMapping('getMethodParameters', { credentials: erpNetCredentials(sandbox()), parameters: loadParameters('GetPropertyAllowedValues') });
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
		expect(all.items.map((item) => item.json.Value)).toEqual(['New', 'Adjustment', 'Planned', 'FirmPlanned', 'Released', 'Completed', 'Closed']);
	});

	it('should POST an action with its parameters as JSON, entity IDs as references', async () => {
		const order = sandbox().store.list('Crm_Sales_SalesOrders').find((record) => record.State === 'Planned' && record.Void === false) as IDataObject;
		const user = first('Systems_Security_Users');
		const changed = await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(order.Id), 'id'),
			method: 'ChangeState',
			methodParameters: { mappingMode: 'defineBelow', value: { newState: 'FirmPlanned' } },
		});
		expect(changed.error).toBeUndefined();
		expect(changed.items[0].json).toEqual({ success: true, method: 'ChangeState', id: order.Id, entitySet: 'Crm_Sales_SalesOrders' });
		expect(sandbox().store.get('Crm_Sales_SalesOrders', String(order.Id))?.State).toBe('FirmPlanned');
		await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(order.Id), 'id'),
			method: 'CreateNotification',
			methodParameters: { mappingMode: 'defineBelow', value: { user: `Systems_Security_Users(${String(user.Id)})`, notificationClass: 'NT_X', subject: 's' } },
		});
		const post = odataRequests(sandbox()).filter((entry) => entry.method === 'POST').pop();
		expect(JSON.parse(post?.body ?? '{}')).toEqual({ user: { '@odata.id': `Systems_Security_Users(${String(user.Id)})` }, notificationClass: 'NT_X', subject: 's' });
	});

	it('should output a primitive result as value, and refuse a method the model does not list', async () => {
		const order = sandbox().store.list('Crm_Sales_SalesOrders').find((record) => record.State === 'Released') as IDataObject;
		const printout = await runErpNet(sandbox(), {
			operation: 'callMethod',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(order.Id), 'id'),
			method: 'GetPrintout',
			methodParameters: { mappingMode: 'defineBelow', value: { fileFormat: 'txt' } },
		});
		expect(Buffer.from(String(printout.items[0].json.value), 'base64').toString('utf8')).toContain(String(order.DocumentNo));
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
		methods.push({ name: 'ExecuteScript', description: '', returnType: 'void', returnsCollection: false, declaringType: 'EntityObject', isAction: true, parameters: [] });
		try {
			const regular = await callLoadOptions('getMethods', { credentials: erpNetCredentials(sandbox()), parameters: loadParameters('') });
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
				{ operation: 'callMethod', entitySet: locator('Crm_Sales_SalesOrders'), recordId: locator(String(order.Id), 'id'), method: 'ExecuteScript' },
				{ nodeTypeName: 'n8n-nodes-erpnet.erpNetTool' },
			);
			expect(error?.message).toMatch(/cannot be called by an AI agent/);
		} finally {
			methods.pop();
		}
	});
});
