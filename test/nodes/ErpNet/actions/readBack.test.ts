/**
 * A write that ERP.net carried out, followed by a read that failed: the item reports the write as saved, with
 * the write's own result, and not as a failed write that would invite running it again.
 */
import { locator, odataRequests, runErpNet } from '../../../helpers/erpnet';
import { ordersIn, salesOrders, stored, useDocumentSandbox } from './document/document-fixtures';

const sandbox = useDocumentSandbox();

const failReads = (pathIncludes: string) =>
	sandbox().control.injectFault({
		method: 'GET',
		pathIncludes,
		kind: 'status',
		status: 500,
		body: { error: { message: 'Read failed' } },
	});

describe('a saved write whose read-back failed', () => {
	it("Update: outputs the write's result marked saved, with the read error, and no item error", async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[2];
		failReads(`Crm_Sales_Customers(${String(customer.Id)})`);
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ GracePeriodDays: 11 }),
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			updated: true,
			id: customer.Id,
			entitySet: 'Crm_Sales_Customers',
			saved: true,
		});
		expect(String(items[0].json.readBackError)).toMatch(/^Saved, but could not be read back: .*Read failed/);
		expect(items[0].error).toBeUndefined();
		expect(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))?.GracePeriodDays).toBe(11);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.method === 'PATCH')).toHaveLength(1);
	});

	it("Change State: outputs the document's ID and new state marked saved, and never repeats the action", async () => {
		const [order] = ordersIn(sandbox, 'Planned');
		failReads(`Crm_Sales_SalesOrders(${String(order.Id)})`);
		const { items, error } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'changeState',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			newState: 'Released',
		});

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: order.Id, entitySet: 'Crm_Sales_SalesOrders', saved: true });
		expect(String(items[0].json.readBackError)).toContain('Saved, but could not be read back');
		expect(stored(sandbox, order.Id).State).toBe('Released');
		expect(odataRequests(sandbox()).filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});

	it("Create or Update of a multi-language text: outputs the updated record's ID marked saved", async () => {
		const product = sandbox().store.list('General_Products_Products')[3];
		failReads(`General_Products_Products(${String(product.Id)})`);
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'upsert',
			entitySet: locator('General_Products_Products'),
			matchBy: 'Code',
			matchValue: String(product.PartNumber),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ Name: 'Renamed' }),
		});

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ updated: true, id: product.Id, saved: true });
		expect(String(items[0].json.readBackError)).toContain('Saved, but could not be read back');
		expect(sandbox().store.get('General_Products_Products', String(product.Id))?.Name).toMatchObject({ EN: 'Renamed' });
	});
});
