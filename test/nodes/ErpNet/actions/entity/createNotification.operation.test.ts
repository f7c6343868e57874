/**
 * Create Notification on any record through the real n8n engine against the sandbox
 * (https://docs.erp.net/dev/domain-api/common-tasks/create-notification.html).
 */
import type { IDataObject } from 'n8n-workflow';

import { erpNetCredentials, locator, odataRequests, runErpNet, useSandbox } from '../../../../helpers/erpnet';
import { callListSearch } from '../../../../helpers/n8n';

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
		expect(items[0].json).toMatchObject({
			notified: true,
			id: customer.Id,
			user: `Systems_Security_Users(${String(user.Id)})`,
			priority: 'High',
		});
		const post = odataRequests(sandbox()).find((entry) => entry.method === 'POST');
		expect(post?.path).toBe(`/api/domain/odata/Crm_Sales_Customers(${String(customer.Id)})/CreateNotification`);
		expect(JSON.parse(post?.body ?? '{}')).toEqual({
			user: { '@odata.id': `Systems_Security_Users(${String(user.Id)})` },
			notificationClass: 'NT_SOC_NEW_POST',
			subject: 'Hello from n8n',
			priority: 'High',
		});
		expect(sandbox().control.notifications()).toEqual([
			expect.objectContaining({ subject: 'Hello from n8n', dataObject: `Crm_Sales_Customers(${String(customer.Id)})` }),
		]);
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
		const { items } = await runErpNet(
			sandbox(),
			{ ...parameters, options: { batching: 'independent' } },
			{ continueOnFail: true, input },
		);
		expect(items.map((item) => item.json.notified ?? item.json.error)).toEqual([
			true,
			expect.stringMatching(/does not exist/),
			true,
		]);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
		expect(
			sandbox()
				.control.notifications()
				.map((notification) => notification.subject),
		).toEqual(['one', 'three']);
		expect(odataRequests(sandbox()).filter((entry) => entry.path.endsWith('$batch'))).toHaveLength(1);
	});

	it('should refuse a Subject whose expression gives nothing, not send the text "undefined"', async () => {
		const customer = first('Crm_Sales_Customers');
		const user = first('Systems_Security_Users');
		const { error } = await runErpNet(sandbox(), {
			operation: 'createNotification',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			user: locator(String(user.Id), 'id'),
			notificationClass: 'NT_SOC_NEW_POST',
			subject: '={{ $json.missingSubject }}',
		});
		expect(error?.message).toBe('Fill in Subject to create the notification');
		expect(odataRequests(sandbox()).filter((entry) => entry.method === 'POST')).toEqual([]);
		expect(sandbox().control.notifications()).toEqual([]);
	});

	it('should list users for the user locator', async () => {
		const result = await callListSearch('searchUsers', { credentials: erpNetCredentials(sandbox()) });
		expect(result.results.length).toBeGreaterThan(0);
		expect(result.results.map((entry) => entry.value)).toContain(String(first('Systems_Security_Users').Id));
	});
});
