/**
 * Failed requests as item errors (core/transport/errors.ts): what is known of a failure, redacted of the secrets,
 * and a NodeApiError whose message says what to fix, with no token, header or request echo
 * (https://docs.erp.net/dev/domain-api/data-manipulation/error-handling.html).
 */
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	WRITE_OUTCOME_UNKNOWN,
	describeFailure,
	redactFailure,
	toErpNetError,
	nodeApiError,
	toNodeError,
	type HttpFailure,
} from '../../../core/transport/errors';
import type { ErpNetRequestOptions } from '../../../core/transport/types';
import { testNode } from './fixtures';

const URL_ = 'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers';
const read: ErpNetRequestOptions = { method: 'GET', url: URL_, action: 'read Crm_Sales_Customers', itemIndex: 2 };
const write: ErpNetRequestOptions = { method: 'POST', url: URL_, action: 'create a record in Crm_Sales_Customers' };

const explain = (failure: HttpFailure, request: ErpNetRequestOptions = read, attempts = 0) =>
	toErpNetError(testNode, failure, request, attempts);

describe('describeFailure', () => {
	it("should take the status, body, headers and code from n8n's error and its axios cause", () => {
		const error = {
			message: 'outer',
			httpCode: '500',
			cause: {
				code: 'ERR_BAD_RESPONSE',
				message: 'Request failed with status code 404',
				response: { status: 404, data: { error: { message: 'x' } }, headers: { 'retry-after': '1' } },
			},
		};
		expect(describeFailure(error)).toEqual({
			status: 404,
			body: { error: { message: 'x' } },
			headers: { 'retry-after': '1' },
			code: 'ERR_BAD_RESPONSE',
			causeMessage: 'Request failed with status code 404',
		});
	});

	it('should fall back on the error itself when there is no cause', () => {
		expect(describeFailure({ httpCode: '503', context: { data: 'busy' }, code: 'X', message: 'm' })).toEqual({
			status: 503,
			body: 'busy',
			headers: undefined,
			code: 'X',
			causeMessage: 'm',
		});
		expect(describeFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({
			status: undefined,
			code: 'ECONNRESET',
			causeMessage: 'socket hang up',
		});
		expect(describeFailure({ httpCode: 'not a number' }).status).toBeUndefined();
	});
});

describe('redactFailure', () => {
	it('should redact the body, the header values and the cause message, and keep status and code', () => {
		const token = 'aaa.bbb.signature-part';
		const redacted = redactFailure(
			{
				status: 500,
				code: 'E',
				body: { error: { message: `bad ${token}`, info: 'the-secret-value' } },
				headers: { 'x-echo': `Bearer ${token}`, 'content-type': 'application/json' },
				causeMessage: `failed with the-secret-value`,
			},
			[token, 'signature-part', 'the-secret-value'],
		);

		const text = JSON.stringify(redacted);
		for (const secret of [token, 'signature-part', 'the-secret-value']) expect(text).not.toContain(secret);
		expect(redacted).toMatchObject({ status: 500, code: 'E', headers: { 'content-type': 'application/json' } });
		expect(redactFailure({ status: 400 }, ['x']).causeMessage).toBeUndefined();
	});
});

describe('toErpNetError', () => {
	it("should show ERP.net's own message with its code, type and info, for the item", () => {
		const error = explain({
			status: 400,
			body: { error: { message: 'Invalid value', code: 7, type: 'ValidationException', info: 'Field X' } },
		});

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Invalid value');
		expect(error.description).toBe('ERP.net error code 7; type ValidationException; info: Field X');
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(2);
	});

	it("should add a hint to ERP.net's business errors", () => {
		const error = explain({ status: 400, body: { error: { message: 'The document is already in state Released' } } });
		expect(error.description).toBe('The document is already in that state; nothing was changed.');
	});

	it('should read the error envelope without its wrapper, as text and as bytes', () => {
		expect(explain({ status: 400, body: { message: 'Flat message' } }).message).toBe('Flat message');
		expect(explain({ status: 400, body: '{"error":{"message":"From text"}}' }).message).toBe('From text');
		const bytes = new TextEncoder().encode('{"error":{"message":"From bytes"}}');
		expect(explain({ status: 400, body: bytes }).message).toBe('From bytes');
	});

	it('should name the new entity set when ERP.net says the old one was renamed', () => {
		const error = explain({
			status: 404,
			body: {
				error: {
					message:
						"The entity set name 'Crm_Customers' is no more supported. The new name of this entity is 'Crm_Sales_Customers'",
				},
			},
		});
		expect(error.message).toBe("The entity set 'Crm_Customers' was renamed to 'Crm_Sales_Customers' in ERP.net");
		expect(error.description).toMatch(/^Use 'Crm_Sales_Customers' instead\./);
	});

	it.each([
		[401, 'ERP.net did not accept the access token (401), even after requesting a new one', /trusted application/],
		[403, 'ERP.net refused to read Crm_Sales_Customers (403)', /scope "update"/],
		[404, 'Not found: read Crm_Sales_Customers (404)', /case-sensitive/],
	])('should say what to fix for HTTP %i', (status, message, description) => {
		const error = explain({ status, body: '' });
		expect(error.message).toBe(message);
		expect(error.description).toMatch(description);
	});

	it('should say that a reference token was rejected, and why when ERP.net says so', () => {
		const error = explain(
			{ status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="expired"' } },
			{ ...read, credentialType: 'erpNetReferenceTokenApi' },
		);
		expect(error.message).toBe(
			'ERP.net rejected the reference token (401): it has expired. Issue a new reference token.',
		);
	});

	it('should count the retries of a rate limit that was still exceeded', () => {
		expect(explain({ status: 429 }, read, 8).message).toBe(
			"ERP.net's rate limit was still exceeded after 8 retries (429)",
		);
	});

	it('should warn that a write behind a gateway error may have been carried out, and show the proxy text', () => {
		const error = explain({ status: 504, body: '<html>Gateway Timeout</html>' }, write);
		expect(error.message).toBe('ERP.net could not create a record in Crm_Sales_Customers (HTTP 504)');
		expect(error.description).toBe(`${WRITE_OUTCOME_UNKNOWN} <html>Gateway Timeout</html>`);
		expect(explain({ status: 504, body: 'x' }, read).description).toBe('x');
		expect(explain({ status: 500, body: 'y'.repeat(400) }, read).description).toHaveLength(300);
	});

	it('should name the method and path when the request does not say what it does', () => {
		expect(explain({ status: 500 }, { method: 'DELETE', url: `${URL_}(1)?x=secret` }).message).toBe(
			'ERP.net could not DELETE /api/domain/odata/Crm_Sales_Customers(1) (HTTP 500)',
		);
	});

	describe('without an answer', () => {
		it('should say that ERP.net did not answer within the timeout, and that a write may have been carried out', () => {
			const timedOut = explain({ code: 'ECONNABORTED' }, { ...write, timeoutMs: 30_000 });
			expect(timedOut.message).toBe('ERP.net did not answer within 30 seconds');
			expect(timedOut.description).toContain(WRITE_OUTCOME_UNKNOWN);
			expect(timedOut.httpCode).toBeNull();

			const readTimedOut = explain({ causeMessage: 'timeout of 120000ms exceeded' });
			expect(readTimedOut.message).toBe('ERP.net did not answer within 120 seconds');
			expect(readTimedOut.description).not.toContain(WRITE_OUTCOME_UNKNOWN);
		});

		it('should name the host of an untrusted TLS certificate', () => {
			expect(explain({ code: 'CERT_HAS_EXPIRED' }).message).toBe(
				'The TLS certificate of demodb.my.erp.net is not trusted (CERT_HAS_EXPIRED)',
			);
		});

		// n8n's NodeApiError puts its own text (no host; "retry" even for a write) in place of a message that names
		// a network code: the message n8n shows must still be this node's.
		it.each(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
			'should name the host and say to check the instance URL for %s, in the message n8n shows',
			(code) => {
				const error = explain({ code });
				expect(error.message).toBe('Could not reach ERP.net at demodb.my.erp.net');
				expect(error.description).toBe(
					`The connection failed (${code}). Check the instance URL in the credential, e.g. https://yourdb.my.erp.net.`,
				);
			},
		);

		it("should keep ERP.net's message and a host name that contain a network code's letters", () => {
			const business = explain({ status: 500, body: { error: { message: 'Cannot delete: EPERM rule on Stores' } } });
			expect(business.message).toBe('Cannot delete: EPERM rule on Stores');

			const request = { ...read, url: 'https://eaccess-demo.my.erp.net/api/domain/odata/Crm_Sales_Customers' };
			expect(explain({ code: 'ECONNRESET' }, request).message).toBe(
				'The connection to ERP.net at eaccess-demo.my.erp.net failed',
			);
		});

		it.each(['ECONNRESET', 'EPIPE', 'ECONNABORTED_BY_PEER'])(
			'should keep its message about a lost connection (%s), and for a write say the outcome is unknown',
			(code) => {
				const error = explain({ code }, write);
				expect(error.message).toBe('The connection to ERP.net at demodb.my.erp.net failed');
				expect(error.message).not.toMatch(/retry/i);
				expect(error.description).toBe(`(${code}) ${WRITE_OUTCOME_UNKNOWN}`);
			},
		);

		it('should warn that a write on a cut connection may have been carried out', () => {
			const error = explain({ code: 'ECONNRESET', causeMessage: 'socket hang up' }, write);
			expect(error.description).toBe(`(ECONNRESET) socket hang up ${WRITE_OUTCOME_UNKNOWN}`);
		});
	});

	it('should keep a JSON body in the error, and never the request options', () => {
		const error = explain(
			{ status: 400, body: { error: { message: 'Bad' } } },
			{ ...read, headers: { Authorization: 'x' } },
		);
		expect((error.errorResponse as JsonObject).body).toEqual({ error: { message: 'Bad' } });
		expect(JSON.stringify(error)).not.toContain('Authorization');
	});
});

describe('nodeApiError', () => {
	it('should show the message given even when it names a network code, with its description and item', () => {
		const message = 'ERP.net refused the part: ECONNREFUSED from the mail server';
		const error = nodeApiError(testNode, { message }, { message, description: 'why', itemIndex: 3 });

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(message);
		expect(error.description).toBe('why');
		expect(error.context.itemIndex).toBe(3);
		expect(new NodeApiError(testNode, { message }, { message }).message).not.toBe(message);
	});
});

describe('toNodeError', () => {
	it("should pass n8n's errors on unchanged and wrap anything else for the item", () => {
		const api = new NodeApiError(testNode, { message: 'api' });
		const operation = new NodeOperationError(testNode, 'operation');
		expect(toNodeError(testNode, api, 1)).toBe(api);
		expect(toNodeError(testNode, operation, 1)).toBe(operation);

		const wrapped = toNodeError(testNode, new Error('plain'), 3);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('plain');
		expect(wrapped.context.itemIndex).toBe(3);
	});
});
