/**
 * Make Void through the real n8n engine against the sandbox
 * (https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html).
 */
import { locator, odataRequests, runErpNet } from '../../../../helpers/erpnet';
import { ordersIn, salesOrders, useDocumentSandbox } from './document-fixtures';

const sandbox = useDocumentSandbox();

describe('Make Void', () => {
	it('should void with reason and void type and output the voided document', async () => {
		const [order] = ordersIn(sandbox, 'Released');
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
		const [order] = ordersIn(sandbox, 'Planned');
		const empty = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'makeVoid',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			reason: '  ',
		});
		expect(empty.error?.message).toMatch(/reason/);
		expect(odataRequests(sandbox())).toHaveLength(0);
		const parameters = {
			resource: 'document',
			operation: 'makeVoid',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			reason: 'x',
		};
		await runErpNet(sandbox(), parameters);
		const twice = await runErpNet(sandbox(), parameters);
		expect(twice.error?.message).toMatch(/already void/);
	});
});
