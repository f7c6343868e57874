/**
 * Document actions through the real n8n engine against the sandbox: Change State, Make Void, Get Printout
 * (common-tasks/working-with-documents.md, change-language.md; model page "API Methods").
 */
import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet, useSandbox } from '../../../../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 20, products: 20, salesOrders: 40 } });

beforeEach(() => {
	sandbox().control.reset();
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function ordersIn(state: string, count = 1): IDataObject[] {
	const orders = sandbox()
		.store.list('Crm_Sales_SalesOrders')
		.filter((order) => order.State === state && order.Void === false)
		.slice(0, count) as IDataObject[];
	if (orders.length < count) throw new Error(`The seed has fewer than ${count} ${state} orders`);
	return orders;
}

function stored(id: unknown): IDataObject {
	return sandbox().store.get('Crm_Sales_SalesOrders', String(id)) as IDataObject;
}

const salesOrders = locator('Crm_Sales_SalesOrders');

describe('Change State', () => {
	it('should POST the documented body and output the document after the change', async () => {
		const [order] = ordersIn('Planned');
		const { items, error } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'changeState',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			newState: 'Released',
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ Id: order.Id, State: 'Released', ObjectVersion: Number(order.ObjectVersion) + 1 });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const post = odataRequests(sandbox()).find((entry) => entry.method === 'POST');
		expect(post?.path).toBe(`/api/domain/odata/Crm_Sales_SalesOrders(${String(order.Id)})/ChangeState`);
		expect(JSON.parse(post?.body ?? '{}')).toEqual({ newState: 'Released' });
		expect(stored(order.Id).State).toBe('Released');
	});

	it('should send a user status reference', async () => {
		const [order] = ordersIn('Planned');
		const status = '1ee1249e-4ef5-46b4-8409-26b2130d09c7';
		await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'changeState',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			newState: 'FirmPlanned',
			options: { userStatus: status },
		});
		const post = odataRequests(sandbox()).find((entry) => entry.method === 'POST');
		expect(JSON.parse(post?.body ?? '{}')).toEqual({
			newState: 'FirmPlanned',
			userStatus: { '@odata.id': `Systems_Documents_DocumentTypeUserStatuses(${status})` },
		});
	});

	it('should fail with ERP.net\'s message and a hint when the state cannot go back, and never retry the POST', async () => {
		const [order] = ordersIn('Released');
		const { error } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'changeState',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			newState: 'Planned',
		});
		expect(error?.message).toMatch(/cannot be changed from Released to Planned/);
		expect(error?.description).toMatch(/only move forward/);
		expect(odataRequests(sandbox()).filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});

	it('should not repeat the action after an ambiguous failure (connection reset)', async () => {
		const [order] = ordersIn('Planned');
		sandbox().control.injectFault({ method: 'POST', pathIncludes: '/ChangeState', kind: 'reset' });
		const { error } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'changeState',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			newState: 'Released',
		});
		expect(error?.description).toMatch(/may or may not have been carried out/);
		expect(odataRequests(sandbox()).filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});

	it('should continue on fail with one error item per failed input, paired to it', async () => {
		const [planned] = ordersIn('Planned');
		const [released] = ordersIn('Released');
		const { items, error } = await runErpNet(
			sandbox(),
			{
				resource: 'document',
				operation: 'changeState',
				entitySet: salesOrders,
				recordId: locator('={{ $json.id }}', 'id'),
				newState: '={{ $json.state }}',
			},
			{ continueOnFail: true, input: [{ id: released.Id, state: 'FirmPlanned' }, { id: planned.Id, state: 'Released' }] },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.error).toMatch(/cannot be changed/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ Id: planned.Id, State: 'Released' });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('should batch state changes in one $batch request and roll all back in all-or-nothing mode', async () => {
		const planned = ordersIn('Planned', 3);
		const [released] = ordersIn('Released');
		const input = [...planned.map((order) => ({ id: order.Id, state: 'Released' })), { id: released.Id, state: 'Planned' }];
		const parameters = {
			resource: 'document',
			operation: 'changeState',
			entitySet: salesOrders,
			recordId: locator('={{ $json.id }}', 'id'),
			newState: '={{ $json.state }}',
		};
		const atomic = await runErpNet(sandbox(), { ...parameters, options: { batching: 'atomic' } }, { continueOnFail: true, input });
		expect(atomic.items).toHaveLength(4);
		expect(atomic.items.every((item) => typeof item.json.error === 'string')).toBe(true);
		expect(planned.map((order) => stored(order.Id).State)).toEqual(['Planned', 'Planned', 'Planned']);
		expect(odataRequests(sandbox()).filter((entry) => entry.path.endsWith('$batch'))).toHaveLength(1);

		const independent = await runErpNet(sandbox(), { ...parameters, options: { batching: 'independent' } }, { continueOnFail: true, input });
		expect(independent.items.slice(0, 3).map((item) => item.json.State)).toEqual(['Released', 'Released', 'Released']);
		expect(independent.items[3].json.error).toMatch(/cannot be changed/);
		expect(independent.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3]);
	});
});

describe('Make Void', () => {
	it('should void with reason and void type and output the voided document', async () => {
		const [order] = ordersIn('Released');
		const { items, error } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'makeVoid',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			reason: 'Entered twice',
			voidType: 'VoidWithSubDocuments',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ Id: order.Id, Void: true, VoidReason: 'Entered twice' });
		const post = odataRequests(sandbox()).find((entry) => entry.method === 'POST');
		expect(JSON.parse(post?.body ?? '{}')).toEqual({ reason: 'Entered twice', voidType: 'VoidWithSubDocuments' });
	});

	it('should refuse an empty reason before sending anything, and report voiding twice', async () => {
		const [order] = ordersIn('Planned');
		const empty = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'makeVoid',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			reason: '  ',
		});
		expect(empty.error?.message).toMatch(/reason/);
		expect(odataRequests(sandbox())).toHaveLength(0);
		const parameters = { resource: 'document', operation: 'makeVoid', entitySet: salesOrders, recordId: locator(String(order.Id), 'id'), reason: 'x' };
		await runErpNet(sandbox(), parameters);
		const twice = await runErpNet(sandbox(), parameters);
		expect(twice.error?.message).toMatch(/already void/);
	});
});

describe('Get Printout', () => {
	it('should output the PDF as a binary property named after the document number', async () => {
		const [order] = ordersIn('Released');
		const { items, error } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'getPrintout',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fileFormat: 'pdf',
			binaryPropertyName: 'data',
		});
		expect(error).toBeUndefined();
		const binary = items[0].binary?.data;
		expect(binary).toMatchObject({ mimeType: 'application/pdf', fileName: `${String(order.DocumentNo)}.pdf`, fileExtension: 'pdf' });
		expect(Buffer.from(String(binary?.data), 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(items[0].json).toMatchObject({ id: order.Id, documentNo: order.DocumentNo, fileFormat: 'pdf', mimeType: 'application/pdf' });
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('should send the language as Accept-Language and the format and printout in the body', async () => {
		const [order] = ordersIn('Released');
		const { items } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'getPrintout',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fileFormat: 'txt',
			binaryPropertyName: 'printout',
			options: { language: 'de', fileName: 'order.txt' },
		});
		expect(items[0].binary?.printout).toMatchObject({ mimeType: 'text/plain', fileName: 'order.txt' });
		expect(Buffer.from(String(items[0].binary?.printout.data), 'base64').toString('utf8')).toContain('Belegnummer');
		const post = odataRequests(sandbox()).find((entry) => entry.method === 'POST');
		expect(post?.headers['accept-language']).toBe('de');
		expect(JSON.parse(post?.body ?? '{}')).toEqual({ fileFormat: 'txt' });
	});

	it('should accept a raw file body and a bare JSON string as well as the OData value', async () => {
		const [order] = ordersIn('Released');
		const parameters = { resource: 'document', operation: 'getPrintout', entitySet: salesOrders, recordId: locator(String(order.Id), 'id'), fileFormat: 'png', binaryPropertyName: 'data' };
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
		sandbox().control.injectFault({ method: 'POST', pathIncludes: '/GetPrintout', kind: 'status', status: 200, body: png, headers: { 'Content-Type': 'image/png' } });
		const raw = await runErpNet(sandbox(), parameters);
		expect(raw.error).toBeUndefined();
		expect(Buffer.from(String(raw.items[0].binary?.data.data), 'base64').subarray(0, 4)).toEqual(png.subarray(0, 4));
		sandbox().control.injectFault({ method: 'POST', pathIncludes: '/GetPrintout', kind: 'status', status: 200, body: JSON.stringify(png.toString('base64')), headers: { 'Content-Type': 'application/json' } });
		const bare = await runErpNet(sandbox(), parameters);
		expect(Buffer.from(String(bare.items[0].binary?.data.data), 'base64')).toEqual(png);
	});

	it('should fail clearly for a format the server refuses and continue on fail', async () => {
		const [order] = ordersIn('Released');
		const { items, error } = await runErpNet(
			sandbox(),
			{ resource: 'document', operation: 'getPrintout', entitySet: salesOrders, recordId: locator(String(order.Id), 'id'), fileFormat: 'docx', binaryPropertyName: 'data' },
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.error).toMatch(/docx/);
		expect(items[0].binary).toBeUndefined();
	});
});
