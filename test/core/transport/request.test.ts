/**
 * One request to the instance (core/transport/request.ts): only under the Domain API root, with a timeout, reads
 * retried after a dropped connection or a gateway error, 429 retried for every method, a write whose outcome is
 * unknown never repeated, same-root read redirects followed, and a `Retry-After` that never means "retry now".
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { erpNetApiRequest, retryAfterMs } from '../../../core/transport/request';
import { locator, odataRequests, runErpNet } from '../../helpers/erpnet';
import { caught, sandboxContext, useCleanSandbox } from './fixtures';

const sandbox = useCleanSandbox({ customers: 30, products: 5, salesOrders: 1 });

const readAll = (options: IDataObject = {}) => ({
	operation: 'getAll',
	entitySet: locator('Crm_Sales_Customers'),
	returnAll: true,
	options: { select: ['Number'], ...options },
});

const customersUrl = (query = '') => `${sandbox().odataRoot}Crm_Sales_Customers${query}`;

describe('retryAfterMs', () => {
	it.each([['0'], [0], ['-5'], [''], ['  '], ['soon'], [new Date(Date.now() - 60_000).toUTCString()]])(
		'should give no wait of its own for %p (the exponential backoff applies)',
		(value) => {
			expect(retryAfterMs({ 'retry-after': value })).toBeUndefined();
		},
	);

	it('should honour a positive number of seconds and a future date, capped at a minute', () => {
		expect(retryAfterMs({ 'retry-after': '2' })).toBe(2000);
		expect(retryAfterMs({ 'retry-after': '0.001' })).toBe(100);
		expect(retryAfterMs({ 'retry-after': '3600' })).toBe(60_000);
		expect(retryAfterMs({ 'retry-after': new Date(Date.now() + 30_000).toUTCString() })).toBeGreaterThan(20_000);
	});

	it('should give no wait without a Retry-After header', () => {
		expect(retryAfterMs(undefined)).toBeUndefined();
		expect(retryAfterMs({})).toBeUndefined();
	});
});

describe('where a request may go', () => {
	it("should refuse a URL outside the instance's Domain API, sending nothing there", async () => {
		const context = await sandboxContext(sandbox());

		const error = await caught(() =>
			erpNetApiRequest.call(context, { method: 'GET', url: `${sandbox().url}/id/connect/userinfo`, itemIndex: 2 }),
		);

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe("Refusing to send the ERP.net token outside the instance's Domain API");
		expect(error.description).toContain(`${sandbox().url}/api/domain/`);
		expect(sandbox().requests.filter((entry) => entry.path.startsWith('/id/connect/userinfo'))).toHaveLength(0);
	});

	it('should follow a redirect of a read within the Domain API, with the token', async () => {
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 301,
			headers: { Location: customersUrl('?$top=2&$select=Number') },
			body: '',
		});
		const context = await sandboxContext(sandbox());

		const answer = (await erpNetApiRequest.call(context, { method: 'GET', url: customersUrl('?$top=1') })) as {
			value: IDataObject[];
		};

		expect(answer.value).toHaveLength(2);
		const reads = odataRequests(sandbox(), 'Crm_Sales_Customers');
		expect(reads.map((entry) => entry.status)).toEqual([301, 200]);
		expect(reads[1].headers.authorization).toMatch(/^Bearer /);
	});

	it('should stop following redirects of a read after three', async () => {
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 302,
			times: 10,
			headers: { Location: customersUrl('?$top=1') },
			body: '',
		});
		const context = await sandboxContext(sandbox());

		const error = await caught(() => erpNetApiRequest.call(context, { method: 'GET', url: customersUrl() }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^ERP\.net redirected the read more than 3 times \(the last: HTTP 302 to http/);
		expect(error.message).not.toContain('outside');
		expect(error.description).toMatch(/^The redirects within the Domain API did not come to an end/);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(4);
	});
});

describe('answers', () => {
	it('should resolve a raw request with the body as text and the headers', async () => {
		const context = await sandboxContext(sandbox());

		const answer = (await erpNetApiRequest.call(context, {
			method: 'GET',
			url: `${sandbox().odataRoot}Crm_Sales_Customers/$count`,
			headers: { Accept: 'text/plain' },
			raw: true,
		})) as { body: unknown; headers: Record<string, string> };

		expect(answer.body).toBe(String(sandbox().store.count('Crm_Sales_Customers')));
		expect(answer.headers['content-type']).toMatch(/^text\/plain/);
	});

	it("should pass on the credential's own error (a wrong secret) as a NodeApiError for the item", async () => {
		const context = await sandboxContext(sandbox(), { clientSecret: 'not-the-secret' });

		const error = await caught(() =>
			erpNetApiRequest.call(context, { method: 'GET', url: customersUrl(), itemIndex: 3 }),
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/invalid_client/);
		expect(error.context).toMatchObject({ itemIndex: 3 });
		expect(odataRequests(sandbox())).toHaveLength(0);
	});
});

describe('timeouts and retries', () => {
	it('should give a clear error when ERP.net hangs, after the configured timeout', async () => {
		sandbox().control.injectFault({ pathIncludes: '/Crm_Sales_Customers', kind: 'hang', times: 5 });
		const started = Date.now();
		const { error } = await runErpNet(sandbox(), readAll({ timeout: 1 }));

		expect(error?.message).toBe('ERP.net did not answer within 1 seconds');
		expect(Date.now() - started).toBeLessThan(15_000);
	});

	it('should not retry a read that timed out', async () => {
		sandbox().control.injectFault({ pathIncludes: '/Crm_Sales_Customers', kind: 'hang', times: 5 });
		const context = await sandboxContext(sandbox());

		const error = await caught(() =>
			erpNetApiRequest.call(context, { method: 'GET', url: customersUrl(), timeoutMs: 300 }),
		);

		expect(error.message).toMatch(/^ERP\.net did not answer within/);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(1);
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

	it('should retry a write answered 429, which ERP.net never carried out', async () => {
		sandbox().control.injectFault({
			method: 'POST',
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 429,
			times: 1,
			headers: { 'retry-after': '0.1' },
		});
		const party = sandbox().store.list('General_Contacts_Companies')[0];
		const { error } = await runErpNet(sandbox(), {
			operation: 'create',
			entitySet: locator('Crm_Sales_Customers'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ Number: 'RETRY-429', Party: String(party.Id) }),
		});

		expect(error).toBeUndefined();
		const posts = odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.method === 'POST');
		expect(posts.map((entry) => entry.status)).toEqual([429, 201]);
		expect(
			sandbox()
				.store.list('Crm_Sales_Customers')
				.filter((record) => record.Number === 'RETRY-429'),
		).toHaveLength(1);
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
});
