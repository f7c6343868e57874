import { locator, odataRequests, runErpNet } from '../../../../helpers/erpnet';
import { useEntitySandbox } from './entity-fixtures';

const sandbox = useEntitySandbox();

describe('Delete', () => {
	it('should delete a record and say so', async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[10];
		const { items, error } = await runErpNet(sandbox(), {
			operation: 'delete',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
		});

		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ deleted: true, id: customer.Id, entitySet: 'Crm_Sales_Customers' });
		expect(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))).toBeUndefined();
	});
});

/** Optimistic locking fails closed (https://docs.erp.net/dev/domain-api/data-sync/optimistic-locking.html). */
describe('Delete: Expected Object Version', () => {
	it('should not delete a record that changed since it was read', async () => {
		// A customer no sales order refers to: ERP.net refuses to delete a referenced one whatever its version.
		const referenced = JSON.stringify(
			sandbox()
				.store.list('Crm_Sales_SalesOrders')
				.map((order) => order.Customer),
		);
		const customer = sandbox()
			.store.list('Crm_Sales_Customers')
			.find((candidate) => !referenced.includes(String(candidate.Id)))!;
		const version = Number(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))?.ObjectVersion);
		const del = (objectVersion: number) =>
			runErpNet(sandbox(), {
				operation: 'delete',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator(String(customer.Id), 'id'),
				options: { objectVersion },
			});

		const stale = await del(version + 1);
		expect(stale.error?.message).toMatch(/changed by another user or process after it was read/);
		expect(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))).toBeDefined();

		const current = await del(version);
		expect(current.error).toBeUndefined();
		expect(sandbox().store.get('Crm_Sales_Customers', String(customer.Id))).toBeUndefined();
	});

	it('should not delete a record whose version changed, with no read-then-delete window', async () => {
		const ordered = new Set(
			sandbox()
				.store.list('Crm_Sales_SalesOrders')
				.map((order) => JSON.stringify(order.Customer)),
		);
		const unreferenced = sandbox()
			.store.list('Crm_Sales_Customers')
			.find((candidate) => ![...ordered].some((ref) => ref.includes(String(candidate.Id))));
		const id = String(unreferenced?.Id);
		const current = Number(sandbox().store.get('Crm_Sales_Customers', id)?.ObjectVersion);
		const stale = await runErpNet(sandbox(), {
			operation: 'delete',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(id, 'id'),
			options: { objectVersion: current + 1 },
		});
		expect(stale.error).toBeDefined();
		expect(sandbox().store.get('Crm_Sales_Customers', id)).toBeDefined();
		// The check and the delete travel together in one changeset: no separate read before the delete.
		expect(odataRequests(sandbox()).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
			'POST /api/domain/odata/$batch',
		]);

		sandbox().control.clearLog();
		const fresh = await runErpNet(sandbox(), {
			operation: 'delete',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(id, 'id'),
			options: { objectVersion: current },
		});
		expect(fresh.error).toBeUndefined();
		expect(fresh.items[0].json).toMatchObject({ deleted: true, id });
		expect(sandbox().store.get('Crm_Sales_Customers', id)).toBeUndefined();
	});
});
