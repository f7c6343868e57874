/**
 * Redirects (core/transport/redirects.ts): where a 3xx answer points, and the error for one that is not followed.
 * A redirect never carries the token to another origin, and a write is never re-sent anywhere.
 */
import { NodeApiError } from 'n8n-workflow';

import { MAX_REDIRECTS, redirectError, redirectLocation } from '../../../core/transport/redirects';
import { locator, runErpNet } from '../../helpers/erpnet';
import { getCustomer, otherOrigin, testNode, useCleanSandbox } from './fixtures';

const REQUEST_URL = 'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers?$top=5';

describe('redirectLocation', () => {
	it.each([[undefined], [200], [204], [400], [404], [500]])('should be undefined for status %p', (status) => {
		expect(redirectLocation({ status, headers: { location: 'https://elsewhere.example/' } }, REQUEST_URL)).toBe(
			undefined,
		);
	});

	it('should resolve a relative Location against the request URL, whatever the case of the header name', () => {
		expect(redirectLocation({ status: 301, headers: { Location: 'Crm_Sales_Customers/' } }, REQUEST_URL)).toBe(
			'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers/',
		);
		expect(redirectLocation({ status: 307, headers: { location: ' /login?next=x ' } }, REQUEST_URL)).toBe(
			'https://demodb.my.erp.net/login?next=x',
		);
	});

	it('should take the first of several Location values', () => {
		expect(
			redirectLocation(
				{ status: 302, headers: { location: ['https://a.example/x', 'https://b.example/y'] } },
				REQUEST_URL,
			),
		).toBe('https://a.example/x');
	});

	it('should say when a redirect has no Location header', () => {
		expect(redirectLocation({ status: 302, headers: {} }, REQUEST_URL)).toBe('(no Location header)');
		expect(redirectLocation({ status: 302 }, REQUEST_URL)).toBe('(no Location header)');
		expect(redirectLocation({ status: 302, headers: { location: '  ' } }, REQUEST_URL)).toBe('(no Location header)');
	});

	it('should keep at most 200 characters of a Location that is not a URL', () => {
		const location = `http://[${'x'.repeat(300)}`;
		expect(redirectLocation({ status: 302, headers: { location } }, REQUEST_URL)).toBe(location.slice(0, 200));
	});
});

describe('redirectError', () => {
	it('should say that a redirected write was not followed nor re-sent, for its item', () => {
		const error = redirectError(
			testNode,
			{ method: 'PATCH', url: REQUEST_URL, itemIndex: 4 },
			'https://elsewhere.example/api/x?token=abc',
			307,
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'ERP.net redirected the write (HTTP 307) to https://elsewhere.example/api/x; it was not followed',
		);
		expect(error.description).toMatch(/^A redirected write is never re-sent/);
		expect(error.httpCode).toBe('307');
		expect(error.context.itemIndex).toBe(4);
		expect(`${error.message} ${error.description}`).not.toContain('token=abc');
	});

	it('should say that a read was redirected outside the Domain API and the token stayed home', () => {
		const error = redirectError(testNode, { method: 'GET', url: REQUEST_URL }, 'https://elsewhere.example/x', 302);

		expect(error.message).toBe(
			"ERP.net redirected the read (HTTP 302) to https://elsewhere.example/x, outside the instance's Domain API; it was not followed",
		);
		expect(error.description).toMatch(/^The access token is only sent to the Domain API/);
	});

	it('should say that a read stopped at the redirect limit, not that it left the Domain API', () => {
		const error = redirectError(testNode, { method: 'GET', url: REQUEST_URL, itemIndex: 2 }, REQUEST_URL, 302, true);

		expect(error.message).toBe(
			`ERP.net redirected the read more than ${MAX_REDIRECTS} times (the last: HTTP 302 to ${REQUEST_URL.split('?')[0]}); it was not followed`,
		);
		expect(error.description).toMatch(/^The redirects within the Domain API did not come to an end/);
		expect(error.context.itemIndex).toBe(2);
	});

	it('should keep its message when the target names a network code (n8n would put its own text there)', () => {
		const error = redirectError(testNode, { method: 'GET', url: REQUEST_URL }, 'https://enotfound.example/x', 302);

		expect(error.message).toMatch(/^ERP\.net redirected the read \(HTTP 302\) to https:\/\/enotfound\.example\/x/);
	});

	it('should call a redirected write a write even at the redirect limit', () => {
		const error = redirectError(testNode, { method: 'POST', url: REQUEST_URL }, REQUEST_URL, 307, true);

		expect(error.message).toMatch(/^ERP\.net redirected the write \(HTTP 307\)/);
	});
});

describe('redirects through the node', () => {
	const sandbox = useCleanSandbox({ customers: 6, products: 3, salesOrders: 1 });

	const customerId = () => String(sandbox().store.list('Crm_Sales_Customers')[0].Id);

	it('should not carry the token to another origin when a read is redirected', async () => {
		const other = await otherOrigin();
		try {
			sandbox().control.injectFault({
				kind: 'status',
				method: 'GET',
				pathIncludes: 'Crm_Sales_Customers',
				status: 302,
				headers: { Location: `${other.url}/api/domain/odata/Crm_Sales_Customers` },
				body: '',
			});
			const { error } = await runErpNet(sandbox(), getCustomer(customerId()));
			expect(other.received.filter((request) => request.headers.authorization)).toHaveLength(0);
			expect(error?.message).toContain(other.url);
		} finally {
			await other.close();
		}
	});

	it('should not follow a redirect of a write at all, and say where it was sent', async () => {
		const other = await otherOrigin();
		try {
			sandbox().control.injectFault({
				kind: 'status',
				method: 'PATCH',
				pathIncludes: 'Crm_Sales_Customers',
				status: 307,
				headers: { Location: `${other.url}/api/domain/odata/Crm_Sales_Customers(${customerId()})` },
				body: '',
			});
			const { error } = await runErpNet(sandbox(), {
				operation: 'update',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator(customerId(), 'id'),
				fieldsInput: 'json',
				jsonBody: '{"GracePeriodDays": 11}',
			});
			expect(other.received).toHaveLength(0);
			expect(error?.message).toMatch(/redirect/i);
			expect(`${error?.message} ${error?.description}`).toContain(other.url);
		} finally {
			await other.close();
		}
	});
});
