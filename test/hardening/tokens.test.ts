/**
 * Issue 10, classes 5, 6, 7 and 11: no token or secret in any output, redirects never carry the token or a
 * write elsewhere, the token only goes under the instance's Domain API root, and a narrower granted scope is
 * reported.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';

import { hashClientSecret } from '../../sandbox/src/identity/secret-hash';
import { erpNetCredentials, locator, odataRequests, runErpNet, useSandbox } from '../helpers/erpnet';
import {
	CredentialStore,
	callListSearch,
	callLoadOptions,
	callResourceMapping,
	serializeForLeakCheck,
	testCredential,
} from '../helpers/n8n';

const sandbox = useSandbox({ sizes: { customers: 6, products: 3, salesOrders: 1 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

const getCustomer = (id: string) => ({
	operation: 'get',
	entitySet: locator('Crm_Sales_Customers'),
	recordId: locator(id, 'id'),
});
const customerId = () => String(sandbox().store.list('Crm_Sales_Customers')[0].Id);

/** Runs once to get a token into a credential store, and hands back both. */
async function storeWithToken(): Promise<{ store: CredentialStore; token: string }> {
	const store = new CredentialStore();
	const first = await runErpNet(sandbox(), getCustomer(customerId()), { credentialStore: store });
	expect(first.error).toBeUndefined();
	return { store, token: String(store.data('erpNetApi').accessToken) };
}

function expectNoSecret(haystack: string, token: string, secret: string) {
	const signature = token.split('.')[2];
	for (const value of [
		token,
		signature,
		secret,
		encodeURIComponent(secret),
		encodeURIComponent(secret).toLowerCase(),
	]) {
		expect(haystack).not.toContain(value);
	}
}

/** A server on another origin that records what reaches it. */
async function otherOrigin(): Promise<{
	url: string;
	received: Array<{ method?: string; headers: IncomingHttpHeaders; body: string }>;
	close(): Promise<void>;
}> {
	const received: Array<{ method?: string; headers: IncomingHttpHeaders; body: string }> = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			received.push({ method: req.method, headers: req.headers, body });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[],"Number":"elsewhere"}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://localhost:${(server.address() as AddressInfo).port}`,
		received,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

describe('no token or secret in any output', () => {
	it('should redact the token, its signature and the secret from a Domain API error body, in every form', async () => {
		const { store, token } = await storeWithToken();
		const secret = sandbox().clientSecret;
		const signature = token.split('.')[2];
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 500,
			body: {
				error: {
					message: `Bad token ${token} (signature ${signature})`,
					info: `client_secret=${encodeURIComponent(secret).toLowerCase()} raw:  ${secret}`,
					code: 0,
				},
			},
		});
		const { error, thrownError, run } = await runErpNet(sandbox(), getCustomer(customerId()), {
			credentialStore: store,
		});
		expect(error).toBeDefined();
		expectNoSecret(serializeForLeakCheck(error, thrownError, run), token, secret);
	});

	it('should redact a proxy text body that is not JSON, with whitespace collapsed', async () => {
		const { store, token } = await storeWithToken();
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 502,
			times: 10,
			headers: { 'Content-Type': 'text/html' },
			body: `<html>\n\t<p>Upstream said:\n   Authorization: Bearer ${token}\n</p></html>`,
		});
		const { error, thrownError, run } = await runErpNet(sandbox(), getCustomer(customerId()), {
			credentialStore: store,
		});
		expect(error).toBeDefined();
		expectNoSecret(serializeForLeakCheck(error, thrownError, run), token, sandbox().clientSecret);
	});

	it('should redact tokens the credential never stored: those of sessions 2..N', async () => {
		const credentials = erpNetCredentials(sandbox(), { sessionsPerProcess: '2', scope: 'read' });
		const store = new CredentialStore();
		// The first read holds session 1 for a second; a second execution meanwhile gets session 2 and its own token,
		// which the first read's 500 then echoes (the body is read when the delayed answer is sent).
		const echo = { error: { message: '', code: 0 } };
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 500,
			delayMs: 1500,
			body: echo,
		});
		const tokens = new Set<string>();
		const stop = sandbox().control.onRequest((entry) => {
			const token = entry.headers.authorization?.replace(/^Bearer /, '');
			if (!token || !entry.path.includes('Crm_Sales_Customers')) return;
			tokens.add(token);
			echo.error.message = `Session tokens seen: ${[...tokens].join(', ')}`;
		});
		try {
			const first = runErpNet(sandbox(), getCustomer(customerId()), { credentials, credentialStore: store });
			await new Promise((resolve) => setTimeout(resolve, 500));
			const second = await runErpNet(sandbox(), getCustomer(customerId()), { credentials, credentialStore: store });
			expect(second.error).toBeUndefined();
			const { error, thrownError, run } = await first;
			expect(error).toBeDefined();
			expect(tokens.size).toBe(2);
			const stored = String(store.data('erpNetApi').accessToken);
			const unstored = [...tokens].filter((token) => token !== stored);
			expect(unstored).toHaveLength(1);
			expectNoSecret(serializeForLeakCheck(error, thrownError, run), unstored[0], sandbox().clientSecret);
		} finally {
			stop();
		}
	});

	it('should redact the token from a failed $batch part', async () => {
		const { store, token } = await storeWithToken();
		const boundary = 'batchresponse_leak';
		sandbox().control.injectFault({
			kind: 'status',
			method: 'POST',
			pathIncludes: '$batch',
			status: 200,
			headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
			body: [
				`--${boundary}`,
				'Content-Type: multipart/mixed; boundary=cs',
				'',
				'--cs',
				'Content-Type: application/http',
				'Content-ID: 1',
				'',
				'HTTP/1.1 500 Internal Server Error',
				'Content-Type: application/json',
				'',
				JSON.stringify({ error: { message: `Rejected ${token}`, code: 1 } }),
				'--cs--',
				`--${boundary}--`,
				'',
			].join('\r\n'),
		});
		const { error, thrownError, run } = await runErpNet(
			sandbox(),
			{
				operation: 'create',
				entitySet: locator('Crm_Sales_Customers'),
				fieldsInput: 'json',
				jsonBody: '{"Number":"LEAK"}',
				options: { batching: 'independent' },
			},
			{ credentialStore: store },
		);
		expect(error).toBeDefined();
		expectNoSecret(serializeForLeakCheck(error, thrownError, run), token, sandbox().clientSecret);
	});
});

describe("a short secret (ERP.net's demo secret DEMO)", () => {
	const DEMO = 'DEMO';
	let originalHash: unknown;
	const application = () =>
		sandbox()
			.store.list('Systems_Security_TrustedApplications')
			.find((record) => record.ApplicationUri === sandbox().clientId)!;

	beforeAll(() => {
		originalHash = application().ApplicationSecretHash;
		sandbox().store.patch('Systems_Security_TrustedApplications', String(application().Id), {
			ApplicationSecretHash: hashClientSecret(DEMO),
		});
	});
	afterAll(() => {
		sandbox().store.patch('Systems_Security_TrustedApplications', String(application().Id), {
			ApplicationSecretHash: originalHash,
		});
	});

	it('should be redacted where an error echoes the form body or a header, and leave data named DEMO unchanged', async () => {
		const credentials = erpNetCredentials(sandbox(), { clientSecret: DEMO });
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 500,
			headers: { 'Content-Type': 'text/plain', 'X-Echo-Secret': DEMO },
			body: `Upstream failed for grant_type=client_credentials&client_id=x&client_secret=${DEMO}&scope=read\nX-Client-Secret: ${DEMO}\n{"client_secret":"${DEMO}"}\nproduct DEMO stand`,
		});
		const failed = await runErpNet(sandbox(), getCustomer(customerId()), { credentials });
		const leaked = serializeForLeakCheck(failed.error, failed.thrownError, failed.run);
		expect(leaked).toContain('product DEMO stand');
		expect(leaked).toContain('client_secret=***');
		for (const echo of [
			`client_secret=${DEMO}`,
			`X-Client-Secret: ${DEMO}`,
			`"client_secret":"${DEMO}"`,
			`\\"client_secret\\":\\"${DEMO}\\"`,
		]) {
			expect(leaked).not.toContain(echo);
		}

		const id = customerId();
		const updated = await runErpNet(
			sandbox(),
			{
				operation: 'update',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator(id, 'id'),
				fieldsInput: 'json',
				jsonBody: '{"Number":"DEMO stand"}',
				options: { batching: 'independent' },
			},
			{ credentials },
		);
		expect(updated.error).toBeUndefined();
		expect(updated.items[0].json.Number).toBe('DEMO stand');
		expect(sandbox().store.get('Crm_Sales_Customers', id)?.Number).toBe('DEMO stand');
	});
});

describe('redirects', () => {
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

describe('same instance only', () => {
	it('should not follow a next link to a sibling path of an instance served under a path prefix', async () => {
		// The credential's instance is {sandbox}/tenant-a; a next link to {sandbox}/tenant-b must not get the token.
		const token = await fetch(`${sandbox().url}/id/connect/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sandbox().clientId,
				client_secret: sandbox().clientSecret,
			}),
		}).then(async (response) => (await response.json()) as { access_token: string });
		sandbox().control.injectFault({
			kind: 'status',
			pathIncludes: '/tenant-a/id/connect/token',
			status: 200,
			body: { ...token, token_type: 'Bearer' },
		});
		sandbox().control.injectFault({
			kind: 'status',
			pathIncludes: '/tenant-a/api/domain/odata/Crm_Sales_Customers',
			status: 200,
			body: {
				value: [{ '@odata.id': `Crm_Sales_Customers(${customerId()})`, Number: 'A' }],
				'@odata.nextLink': `${sandbox().url}/tenant-b/api/domain/odata/Crm_Sales_Customers?$top=1000&$skiptoken=x`,
			},
		});
		const { thrownError } = await runErpNet(
			sandbox(),
			{ operation: 'getAll', entitySet: locator('Crm_Sales_Customers'), returnAll: true },
			{ credentials: erpNetCredentials(sandbox(), { instanceUrl: `${sandbox().url}/tenant-a` }) },
		);
		expect(thrownError).toBeDefined();
		expect(sandbox().requests.filter((entry) => entry.path.startsWith('/tenant-b'))).toHaveLength(0);
	});

	it('should validate the entity set name in list searches before building a URL', async () => {
		const result = await callListSearch('searchRecords', {
			credentials: erpNetCredentials(sandbox()),
			parameters: { entitySet: locator('../../id/connect/token#') },
		}).catch((error: Error) => error);
		expect(result).toBeInstanceOf(Error);
		expect(odataRequests(sandbox())).toHaveLength(0);
		expect(
			sandbox().requests.filter((entry) => entry.headers.authorization && !entry.path.startsWith('/api/domain/')),
		).toHaveLength(0);
	});
});

describe('entity set names in load options and resource mapping', () => {
	it.each([
		[
			'load options',
			() =>
				callLoadOptions('getSelectableFields', {
					credentials: erpNetCredentials(sandbox()),
					parameters: { resource: 'entity', operation: 'getAll', entitySet: locator('../../id/connect/token#') },
				}),
		],
		[
			'resource mapping',
			() =>
				callResourceMapping('getColumns', {
					credentials: erpNetCredentials(sandbox()),
					parameters: { resource: 'entity', operation: 'create', entitySet: locator('currentmodel/../../../sys/x') },
				}),
		],
	])('should refuse an invalid entity set name in %s before building a URL', async (_where, call) => {
		const result = await (call as () => Promise<unknown>)().catch((error: Error) => error);
		expect(result).toBeInstanceOf(Error);
		expect((result as Error).message).toMatch(/not a valid ERP\.net entity set name/);
		expect(sandbox().requests.filter((entry) => entry.path.startsWith('/api/domain/'))).toHaveLength(0);
	});
});

describe('granted scope', () => {
	async function grantOnly(scope: string) {
		const response = await fetch(`${sandbox().url}/id/connect/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: 'n8n.sandbox/readonly',
				client_secret: 'readonly-secret',
			}),
		});
		const granted = (await response.json()) as { access_token: string };
		sandbox().control.injectFault({
			kind: 'status',
			method: 'POST',
			pathIncludes: '/id/connect/token',
			status: 200,
			times: 5,
			body: { access_token: granted.access_token, token_type: 'Bearer', expires_in: 3600, scope },
		});
	}

	it('should say in the credential test that ERP.net granted less than requested', async () => {
		await grantOnly('read');
		const result = await testCredential({ credentials: erpNetCredentials(sandbox()) });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/update/);
	});

	it('should fail a write naming the missing scope', async () => {
		await grantOnly('read');
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(customerId(), 'id'),
			fieldsInput: 'json',
			jsonBody: '{"GracePeriodDays": 12}',
		});
		expect(`${error?.message} ${error?.description}`).toMatch(/'update'|"update"/);
		expect(`${error?.message} ${error?.description}`).toMatch(/scope/i);
	});
});
