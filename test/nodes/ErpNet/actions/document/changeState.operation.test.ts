/**
 * Change State through the real n8n engine against the sandbox
 * (https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html).
 */
import { locator, odataRequests, runErpNet } from '../../../../helpers/erpnet';
import { ordersIn, stored, salesOrders, useDocumentSandbox } from './document-fixtures';

const sandbox = useDocumentSandbox();

describe('Change State', () => {
	it('should POST the documented body and output the document after the change', async () => {
		const [order] = ordersIn(sandbox, 'Planned');
		const { items, error } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'changeState',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			newState: 'Released',
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			Id: order.Id,
			State: 'Released',
			ObjectVersion: Number(order.ObjectVersion) + 1,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const post = odataRequests(sandbox()).find((entry) => entry.method === 'POST');
		expect(post?.path).toBe(`/api/domain/odata/Crm_Sales_SalesOrders(${String(order.Id)})/ChangeState`);
		expect(JSON.parse(post?.body ?? '{}')).toEqual({ newState: 'Released' });
		expect(stored(sandbox, order.Id).State).toBe('Released');
	});

	it('should send a user status reference', async () => {
		const [order] = ordersIn(sandbox, 'Planned');
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

	it("should fail with ERP.net's message and a hint when the state cannot go back, and never retry the POST", async () => {
		const [order] = ordersIn(sandbox, 'Released');
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
		const [order] = ordersIn(sandbox, 'Planned');
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
		const [planned] = ordersIn(sandbox, 'Planned');
		const [released] = ordersIn(sandbox, 'Released');
		const { items, error } = await runErpNet(
			sandbox(),
			{
				resource: 'document',
				operation: 'changeState',
				entitySet: salesOrders,
				recordId: locator('={{ $json.id }}', 'id'),
				newState: '={{ $json.state }}',
			},
			{
				continueOnFail: true,
				input: [
					{ id: released.Id, state: 'FirmPlanned' },
					{ id: planned.Id, state: 'Released' },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items[0].json.error).toMatch(/cannot be changed/);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1].json).toMatchObject({ Id: planned.Id, State: 'Released' });
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('should batch state changes in one $batch request and roll all back in all-or-nothing mode', async () => {
		const planned = ordersIn(sandbox, 'Planned', 3);
		const [released] = ordersIn(sandbox, 'Released');
		const input = [
			...planned.map((order) => ({ id: order.Id, state: 'Released' })),
			{ id: released.Id, state: 'Planned' },
		];
		const parameters = {
			resource: 'document',
			operation: 'changeState',
			entitySet: salesOrders,
			recordId: locator('={{ $json.id }}', 'id'),
			newState: '={{ $json.state }}',
		};
		const atomic = await runErpNet(
			sandbox(),
			{ ...parameters, options: { batching: 'atomic' } },
			{ continueOnFail: true, input },
		);
		expect(atomic.items).toHaveLength(4);
		expect(atomic.items.every((item) => typeof item.json.error === 'string')).toBe(true);
		expect(planned.map((order) => stored(sandbox, order.Id).State)).toEqual(['Planned', 'Planned', 'Planned']);
		expect(odataRequests(sandbox()).filter((entry) => entry.path.endsWith('$batch'))).toHaveLength(1);

		const independent = await runErpNet(
			sandbox(),
			{ ...parameters, options: { batching: 'independent' } },
			{ continueOnFail: true, input },
		);
		expect(independent.items.slice(0, 3).map((item) => item.json.State)).toEqual(['Released', 'Released', 'Released']);
		expect(independent.items[3].json.error).toMatch(/cannot be changed/);
		expect(independent.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2, 3]);
	});
});
