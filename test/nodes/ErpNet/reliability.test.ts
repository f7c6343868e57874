import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet, tokenRequests, useSandbox } from '../../helpers/erpnet';
import { CredentialStore, serializeForLeakCheck } from '../../helpers/n8n';

const CUSTOMERS = 3000;
const sandbox = useSandbox({ sizes: { customers: CUSTOMERS, products: 10, salesOrders: 3 } });

beforeEach(() => {
	const { control } = sandbox();
	control.clearLog();
	control.clearFaults();
	control.setRateLimit({ requestsPerMinute: 600, windowMs: 60_000 });
});

const readAll = (options: IDataObject = {}) => ({
	operation: 'getAll',
	entitySet: locator('Crm_Sales_Customers'),
	returnAll: true,
	options: { select: ['Number'], ...options },
});

describe('reliability', () => {
	it('should refresh the token once when it expires in the middle of a long read, without losing or repeating records', async () => {
		const store = new CredentialStore();
		let pages = 0;
		const stop = sandbox().control.onRequest((entry) => {
			if (entry.path === '/api/domain/odata/Crm_Sales_Customers' && ++pages === 2) sandbox().control.revokeAllTokens();
		});
		try {
			const { items, error } = await runErpNet(sandbox(), readAll(), { credentialStore: store });

			expect(error).toBeUndefined();
			expect(items).toHaveLength(CUSTOMERS);
			expect(new Set(items.map((item) => item.json.Id)).size).toBe(CUSTOMERS);
			expect(tokenRequests(sandbox())).toHaveLength(2);
			expect(odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.status === 401)).toHaveLength(1);
		} finally {
			stop();
		}
	});

	it('should stop a read at the page limit with a clear error', async () => {
		const { error } = await runErpNet(sandbox(), readAll({ pageSize: 10, maxPages: 3 }));

		expect(error?.message).toBe('Stopped after 3 pages of Crm_Sales_Customers');
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(3);
	});

	it('should give a clear error when ERP.net hangs, after the configured timeout', async () => {
		sandbox().control.injectFault({ pathIncludes: '/Crm_Sales_Customers', kind: 'hang', times: 5 });
		const started = Date.now();
		const { error } = await runErpNet(sandbox(), readAll({ timeout: 1 }));

		expect(error?.message).toBe('ERP.net did not answer within 1 seconds');
		expect(Date.now() - started).toBeLessThan(15_000);
	});

	it('should retry a read after a dropped connection or a 503', async () => {
		sandbox().control.injectFault({ method: 'GET', pathIncludes: '/Crm_Sales_Customers', kind: 'reset', times: 1 });
		sandbox().control.injectFault({
			method: 'GET',
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 503,
			times: 1,
			headers: { 'retry-after': '0' },
		});
		const { items, error } = await runErpNet(sandbox(), { ...readAll(), returnAll: false, limit: 5 });

		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
	});

	it('should never repeat a write whose outcome is unknown, and say so', async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[0];
		sandbox().control.injectFault({ method: 'PATCH', pathIncludes: '/Crm_Sales_Customers', kind: 'reset', times: 1 });
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ GracePeriodDays: 12 }),
		});

		expect(error?.description).toMatch(/may or may not have been carried out/);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.method === 'PATCH')).toHaveLength(1);
	});

	it('should not retry a write answered 503', async () => {
		sandbox().control.injectFault({
			method: 'POST',
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 503,
			times: 3,
		});
		const { error } = await runErpNet(sandbox(), {
			operation: 'create',
			entitySet: locator('Crm_Sales_Customers'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ Number: 'NOPE-1' }),
		});

		expect((error as { httpCode?: string }).httpCode).toBe('503');
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.method === 'POST')).toHaveLength(1);
	});

	it('should not delete a record that changed since it was read', async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[1];
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

	it('should keep the secret and the token out of everything a failing run produces', async () => {
		const store = new CredentialStore();
		const good = await runErpNet(sandbox(), { ...readAll(), returnAll: false, limit: 1 }, { credentialStore: store });
		expect(good.error).toBeUndefined();
		const token = String(store.data('erpNetApi')?.accessToken);
		expect(token.length).toBeGreaterThan(20);

		const failures = [
			await runErpNet(sandbox(), { ...readAll(), entitySet: locator('Crm_Customers') }, { credentialStore: store }),
			await runErpNet(
				sandbox(),
				{ ...readAll({ filter: 'Active eq true or Active eq false' }) },
				{ credentialStore: store },
			),
			await runErpNet(
				sandbox(),
				{
					operation: 'get',
					entitySet: locator('Crm_Sales_Customers'),
					recordId: locator('00000000-0000-4000-8000-000000000000', 'id'),
				},
				{ credentialStore: store },
			),
			await runErpNet(sandbox(), readAll(), {
				credentials: {
					erpNetApi: {
						instanceUrl: sandbox().url,
						clientId: sandbox().clientId,
						clientSecret: 'wrong-secret-value',
						scope: 'read update',
					},
				},
			}),
		];
		for (const failure of failures) expect(failure.error).toBeDefined();
		const produced = serializeForLeakCheck(
			...failures.flatMap((failure) => [failure.error, failure.thrownError, failure.run, failure.items]),
		);
		expect(produced).not.toContain(sandbox().clientSecret);
		expect(produced).not.toContain('wrong-secret-value');
		expect(produced).not.toContain(token);
	});
});
