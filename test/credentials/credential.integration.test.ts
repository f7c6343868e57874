/**
 * The ERP.net credential through the real n8n engine (WorkflowExecute + httpRequestWithAuthentication +
 * RoutingNode for the credential test) against the sandbox over HTTP. Requests are asserted on the sandbox log.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { RequestLogEntry, Sandbox } from '../../sandbox/src';
import { startSandbox } from '../../sandbox/src';
import { locator, runErpNet } from '../helpers/erpnet';
import { CredentialStore, runNode, serializeForLeakCheck, testCredential, type RunNodeOptions } from '../helpers/n8n';
import { ErpNetProbe } from '../helpers/nodes/ErpNetProbe.node';

const SPECIAL = { clientId: 'n8n.sandbox/special', clientSecret: 'p&ss=w+rd% ü/€' };
const INVALID_CLIENT =
	"ERP.net rejected the client ID or secret (invalid_client). Check the trusted application's ApplicationUri and secret.";

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(() => {
	sandbox.control.clearLog();
	sandbox.control.clearFaults();
});

const credentialsFor = (overrides: ICredentialDataDecryptedObject = {}) => ({
	erpNetApi: {
		instanceUrl: sandbox.url,
		clientId: sandbox.clientId,
		clientSecret: sandbox.clientSecret,
		scope: 'read update',
		...overrides,
	},
});

/** Runs the test-only probe node (one authenticated Domain API GET per item). */
const probe = (options: Omit<RunNodeOptions, 'nodeType'> = {}) =>
	runNode({ nodeType: new ErpNetProbe(), credentials: credentialsFor(), ...options });

const tokenRequests = (): RequestLogEntry[] =>
	sandbox.requests.filter((entry) => entry.path.endsWith('/id/connect/token'));
const apiRequests = (): RequestLogEntry[] => sandbox.requests.filter((entry) => entry.path.startsWith('/api/'));
const bearer = (entry: RequestLogEntry) => entry.headers.authorization?.replace(/^Bearer /, '');

/** Everything n8n produced for a run, scanned for secrets. */
function expectNoLeak(haystack: string, ...secrets: string[]) {
	for (const secret of secrets.filter(Boolean)) {
		expect(haystack).not.toContain(secret);
		expect(haystack).not.toContain(encodeURIComponent(secret));
		expect(haystack).not.toContain(new URLSearchParams({ s: secret }).toString().slice(2));
	}
}

describe('token request', () => {
	it('sends exactly the documented form, with the plain secret, to {instance}/id/connect/token', async () => {
		const { error, items } = await probe();

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const [token] = tokenRequests();
		expect(tokenRequests()).toHaveLength(1);
		expect(token.method).toBe('POST');
		expect(token.path).toBe('/id/connect/token');
		expect(token.query).toBe('');
		expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(token.headers.authorization).toBeUndefined();
		expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({
			grant_type: 'client_credentials',
			client_id: 'n8n.sandbox/service',
			client_secret: 'sandbox-secret',
			scope: 'read update',
		});
		expect(token.status).toBe(200);
	});

	it('keeps a secret with & = + % spaces and non-ASCII characters intact', async () => {
		const { error, credentialStore } = await probe({ credentials: credentialsFor(SPECIAL) });

		expect(error).toBeUndefined();
		const [token] = tokenRequests();
		expect(new URLSearchParams(token.body).get('client_secret')).toBe(SPECIAL.clientSecret);
		expect(new URLSearchParams(token.body).get('client_id')).toBe(SPECIAL.clientId);
		expect(token.body).not.toContain(SPECIAL.clientSecret);
		expect(token.status).toBe(200);
		expect(apiRequests().every((entry) => entry.status === 200)).toBe(true);
		expect(credentialStore.data('erpNetApi').accessToken).toBeTruthy();
	});

	it('accepts a pasted /api/domain/odata/ suffix in the instance URL', async () => {
		const { error } = await probe({ credentials: credentialsFor({ instanceUrl: `${sandbox.url}/api/domain/odata/` }) });

		expect(error).toBeUndefined();
		expect(tokenRequests()[0].path).toBe('/id/connect/token');
	});

	it('omits scope when the credential has none, and ERP.net grants all scopes', async () => {
		const { error } = await probe({ credentials: credentialsFor({ scope: '' }) });

		expect(error).toBeUndefined();
		expect(new URLSearchParams(tokenRequests()[0].body).has('scope')).toBe(false);
	});

	it('never sends the secret anywhere but the token request body', async () => {
		await probe({ input: [{}, {}] });

		for (const entry of sandbox.requests) {
			const outside = JSON.stringify({ ...entry, body: entry.path === '/id/connect/token' ? '' : entry.body });
			expectNoLeak(outside, sandbox.clientSecret);
		}
	});
});

describe('token reuse and refresh', () => {
	it('fetches one token for several items and sends it as Bearer', async () => {
		const { error, items, credentialStore } = await probe({ input: [{ n: 1 }, { n: 2 }, { n: 3 }] });

		expect(error).toBeUndefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(tokenRequests()).toHaveLength(1);
		const stored = credentialStore.data('erpNetApi');
		expect(apiRequests()).toHaveLength(3);
		expect(apiRequests().map(bearer)).toEqual([stored.accessToken, stored.accessToken, stored.accessToken]);
		expect(new Set(apiRequests().map((entry) => entry.tokenJti)).size).toBe(1);
		expect(credentialStore.writes).toHaveLength(1);
		expect(credentialStore.preAuthenticationRuns).toBe(1);
	});

	it('persists the token and reuses it in the next execution', async () => {
		const first = await probe();
		const token = first.credentialStore.data('erpNetApi').accessToken;
		const second = await probe({ credentialStore: first.credentialStore });

		expect(second.error).toBeUndefined();
		expect(tokenRequests()).toHaveLength(1);
		expect(apiRequests().map(bearer)).toEqual([token, token]);
		expect(second.credentialStore.writes).toHaveLength(1);
		// The fingerprint survived n8n dropping undeclared keys: it is a declared hidden field.
		expect(second.credentialStore.data('erpNetApi').tokenFingerprint).toMatch(/^v1:/);
	});

	it('refreshes once after ERP.net revokes the token, and persists the new one', async () => {
		const first = await probe();
		const oldToken = first.credentialStore.data('erpNetApi').accessToken as string;
		sandbox.control.clearLog();
		sandbox.control.revokeAllTokens();

		const second = await probe({ credentialStore: first.credentialStore, input: [{}, {}] });

		expect(second.error).toBeUndefined();
		expect(sandbox.requests.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
			'GET /api/domain/odata/General_Currencies_Currencies 401',
			'POST /id/connect/token 200',
			'GET /api/domain/odata/General_Currencies_Currencies 200',
			'GET /api/domain/odata/General_Currencies_Currencies 200',
		]);
		const newToken = second.credentialStore.data('erpNetApi').accessToken as string;
		expect(newToken).not.toBe(oldToken);
		expect(bearer(apiRequests()[0])).toBe(oldToken);
		expect(apiRequests().slice(1).map(bearer)).toEqual([newToken, newToken]);
		expect(second.credentialStore.writes).toHaveLength(2);
	});

	it('fails with a clear error, not a loop, when the refreshed token is rejected too', async () => {
		const { credentialStore } = await probe();
		sandbox.control.clearLog();
		sandbox.control.injectFault({
			pathIncludes: '/api/domain/odata/',
			kind: 'status',
			status: 401,
			times: 2,
			body: '',
		});

		const { error } = await probe({ credentialStore });

		expect(error?.message).toMatch(/Authorization failed|401/);
		expect(sandbox.requests.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
			'GET /api/domain/odata/General_Currencies_Currencies 401',
			'POST /id/connect/token 200',
			'GET /api/domain/odata/General_Currencies_Currencies 401',
		]);
	});
});

describe('edited credential (fingerprint)', () => {
	it('does not reuse the old token after the client ID and secret were changed', async () => {
		const first = await probe();
		const oldToken = first.credentialStore.data('erpNetApi').accessToken as string;
		first.credentialStore.edit('erpNetApi', SPECIAL);
		sandbox.control.clearLog();

		const second = await probe({ credentialStore: first.credentialStore, credentials: {} });

		expect(second.error).toBeUndefined();
		const log = sandbox.requests;
		expect(log.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
			'GET /api/domain/odata/General_Currencies_Currencies 401',
			'POST /id/connect/token 200',
			'GET /api/domain/odata/General_Currencies_Currencies 200',
		]);
		// The old token is withheld, never sent after the edit.
		expect(log[0].headers.authorization).toBeUndefined();
		expect(log.some((entry) => bearer(entry) === oldToken)).toBe(false);
		expect(new URLSearchParams(log[1].body).get('client_id')).toBe(SPECIAL.clientId);
		expect(second.credentialStore.data('erpNetApi').accessToken).not.toBe(oldToken);
	});

	it('really checks an edited (wrong) secret instead of running on the old token', async () => {
		const first = await probe();
		const oldToken = first.credentialStore.data('erpNetApi').accessToken as string;
		first.credentialStore.edit('erpNetApi', { clientSecret: 'wrong-secret' });
		sandbox.control.clearLog();

		const second = await probe({ credentialStore: first.credentialStore, credentials: {} });

		expect(second.error?.message).toBe(INVALID_CLIENT);
		expect(tokenRequests()).toHaveLength(1);
		expectNoLeak(
			serializeForLeakCheck(second.error, second.run, second.thrownError),
			'wrong-secret',
			oldToken,
			sandbox.clientSecret,
		);
	});

	it('requests the new scope after the scope was edited', async () => {
		const first = await probe();
		first.credentialStore.edit('erpNetApi', { scope: 'read' });
		sandbox.control.clearLog();

		const second = await probe({ credentialStore: first.credentialStore, credentials: {} });

		expect(second.error).toBeUndefined();
		expect(new URLSearchParams(tokenRequests()[0].body).get('scope')).toBe('read');
	});

	it('reuses the token when nothing that matters changed', async () => {
		const first = await probe({ credentials: credentialsFor({ instanceUrl: `${sandbox.url}/` }) });
		first.credentialStore.edit('erpNetApi', { instanceUrl: `${sandbox.url}/id`, scope: ' read  update ' });

		await probe({ credentialStore: first.credentialStore, credentials: {} });

		expect(tokenRequests()).toHaveLength(1);
	});
});

describe('errors say what to fix and never leak the secret or token', () => {
	interface Case {
		name: string;
		credentials?: ICredentialDataDecryptedObject;
		fault?: Parameters<Sandbox['control']['injectFault']>[0];
		message: string | RegExp;
		tokenRequests?: number;
	}

	const cases: Case[] = [
		{ name: 'wrong secret', credentials: { clientSecret: 'not-the-secret' }, message: INVALID_CLIENT },
		{ name: 'unknown client', credentials: { clientId: 'n8n.sandbox/unknown' }, message: INVALID_CLIENT },
		{
			name: 'disabled trusted application',
			credentials: { clientId: 'n8n.sandbox/disabled', clientSecret: 'disabled-secret' },
			message: INVALID_CLIENT,
		},
		{
			name: 'scope not allowed',
			credentials: { clientId: 'n8n.sandbox/readonly', clientSecret: 'readonly-secret' },
			message:
				'ERP.net rejected the requested scope "read update" (invalid_scope). Request only scopes listed in the trusted application\'s Scope field.',
		},
		{
			name: 'no system user',
			credentials: { clientId: 'n8n.sandbox/nouser', clientSecret: 'nouser-secret' },
			message:
				'ERP.net does not allow this trusted application to use the client credentials flow (unauthorized_client). Set SystemUserAllowed and assign a SystemUser.',
		},
		{
			name: 'unsupported_grant_type',
			fault: {
				pathIncludes: '/id/connect/token',
				kind: 'status',
				status: 400,
				body: { error: 'unsupported_grant_type' },
			},
			message:
				'The token endpoint does not support the client credentials grant (unsupported_grant_type). Check that the Instance URL points to an ERP.net instance.',
		},
		{
			name: 'invalid_request',
			fault: { pathIncludes: '/id/connect/token', kind: 'status', status: 400, body: { error: 'invalid_request' } },
			message:
				'ERP.net reported the token request as incomplete (invalid_request). Check that Client ID and Client Secret are both filled in.',
		},
		{
			name: 'an HTML page instead of JSON',
			fault: {
				pathIncludes: '/id/connect/token',
				kind: 'status',
				status: 200,
				body: '<!doctype html><title>Sign in</title>',
				headers: { 'content-type': 'text/html' },
			},
			message: 'The ERP.net token endpoint did not answer with JSON. Check the Instance URL.',
		},
		{
			name: 'JSON without access_token',
			fault: { pathIncludes: '/id/connect/token', kind: 'status', status: 200, body: { token: 'x' } },
			message: 'ERP.net answered the token request without an access token.',
		},
		{
			name: 'a server error',
			fault: { pathIncludes: '/id/connect/token', kind: 'status', status: 503, body: 'busy' },
			message: 'The ERP.net identity server failed to issue a token (HTTP 503). Try again later.',
		},
		{
			name: 'a wrong instance URL path (404)',
			credentials: { instanceUrl: 'SANDBOX/erp/' },
			message: 'The ERP.net token endpoint was not found (HTTP 404). Check the Instance URL.',
		},
		{
			name: 'a plain http:// URL for a remote host',
			credentials: { instanceUrl: 'http://demodb.my.erp.net' },
			message: 'The ERP.net instance URL must use https:// (got http://demodb.my.erp.net).',
			tokenRequests: 0,
		},
	];

	it.each(cases)('$name', async ({ credentials, fault, message, tokenRequests: expectedTokenRequests }) => {
		if (fault) sandbox.control.injectFault(fault);
		const overrides = { ...credentials };
		if (typeof overrides.instanceUrl === 'string')
			overrides.instanceUrl = overrides.instanceUrl.replace('SANDBOX', sandbox.url);
		const secret = String(overrides.clientSecret ?? sandbox.clientSecret);

		const { error, run, items, thrownError } = await probe({ credentials: credentialsFor(overrides) });

		expect(items).toHaveLength(0);
		// n8n-core wraps the hook's UserError into a NodeApiError that keeps its message and description
		// (the http:// case fails earlier, in the probe node's own URL check).
		if (expectedTokenRequests !== 0) expect(thrownError).toBeInstanceOf(NodeApiError);
		expect((thrownError as Error).message).toBe(error?.message);
		if (typeof message === 'string') expect(error?.message).toBe(message);
		else expect(error?.message).toMatch(message);
		expect(error?.description).toBeTruthy();
		expect(tokenRequests()).toHaveLength(expectedTokenRequests ?? 1);
		expect(apiRequests()).toHaveLength(0);
		expectNoLeak(serializeForLeakCheck(error, run, thrownError, JSON.stringify(error)), secret, sandbox.clientSecret);
	});

	it('the same with Continue On Fail: an error item with the clear message', async () => {
		const { error, items, run } = await probe({
			credentials: credentialsFor({ clientSecret: 'not-the-secret' }),
			continueOnFail: true,
			input: [{ n: 1 }],
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toBe(INVALID_CLIENT);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expectNoLeak(serializeForLeakCheck(run, items), 'not-the-secret');
	});

	it('a refused connection (nothing listening)', async () => {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));

		const { error, run, thrownError } = await probe({
			credentials: credentialsFor({ instanceUrl: `http://127.0.0.1:${port}` }),
		});

		expect(error?.message).toBe(
			`The connection to 127.0.0.1:${port} was refused. Check the Instance URL and that the instance is running.`,
		);
		expect(error?.description).toContain('ECONNREFUSED');
		expectNoLeak(serializeForLeakCheck(error, run, thrownError), sandbox.clientSecret);
	});

	it('an unknown host', async () => {
		const { error, run, thrownError } = await probe({
			credentials: credentialsFor({ instanceUrl: 'https://erpnet-test.invalid' }),
		});

		expect(error?.message).toBe(
			'The ERP.net host "erpnet-test.invalid" could not be found. Check the Instance URL for typos.',
		);
		expectNoLeak(serializeForLeakCheck(error, run, thrownError), sandbox.clientSecret);
	});

	it('a self-signed TLS certificate', async () => {
		const tlsSandbox = await startSandbox({ port: 0, tls: true });
		try {
			const { error, run, thrownError } = await probe({ credentials: credentialsFor({ instanceUrl: tlsSandbox.url }) });

			const host = new URL(tlsSandbox.url).host;
			expect(error?.message).toBe(
				`The TLS certificate of ${host} is not trusted: the server uses a self-signed certificate. Check the Instance URL.`,
			);
			expect(tlsSandbox.requests).toHaveLength(0);
			expectNoLeak(serializeForLeakCheck(error, run, thrownError), sandbox.clientSecret);
		} finally {
			await tlsSandbox.close();
		}
	});

	it('https:// against a plain-HTTP server', async () => {
		const { error } = await probe({
			credentials: credentialsFor({ instanceUrl: sandbox.url.replace('http://', 'https://') }),
		});

		expect(error?.message).toMatch(
			/^The secure \(TLS\) connection to 127\.0\.0\.1:\d+ failed\. Check the Instance URL\.$/,
		);
	});

	it('an invalid_client during the refresh after a 401 does not leak the old token', async () => {
		const first = await probe();
		const oldToken = first.credentialStore.data('erpNetApi').accessToken as string;
		sandbox.control.revokeAllTokens();
		sandbox.control.injectFault({
			pathIncludes: '/id/connect/token',
			kind: 'status',
			status: 400,
			body: { error: 'invalid_client' },
		});

		const second = await probe({ credentialStore: first.credentialStore });

		expect(second.error?.message).toBe(INVALID_CLIENT);
		expectNoLeak(serializeForLeakCheck(second.error, second.run, second.thrownError), oldToken, sandbox.clientSecret);
	});

	it('the token is never sent to another origin', async () => {
		const other = await startSandbox({ port: 0 });
		try {
			const first = await probe();
			const token = first.credentialStore.data('erpNetApi').accessToken as string;

			const { error, run, thrownError } = await probe({
				credentialStore: first.credentialStore,
				parameters: { path: `${other.url}/api/domain/odata/General_Currencies_Currencies` },
			});

			expect(error?.message).toBe(
				`The ERP.net credential sends its access token only to ${sandbox.url}, not to ${other.url}.`,
			);
			expect(other.requests).toHaveLength(0);
			expectNoLeak(serializeForLeakCheck(error, run, thrownError), token);
		} finally {
			await other.close();
		}
	});
});

describe('the token stays under the Domain API root', () => {
	it.each(['/sys/auto-discovery', '/id/connect/userinfo', '/api/domain/odata/../../other'])(
		"a request with the credential to %s on the instance's own origin fails before anything is sent",
		async (path) => {
			const first = await probe();
			const token = first.credentialStore.data('erpNetApi').accessToken as string;
			sandbox.control.clearLog();

			const { error, run, thrownError } = await probe({ credentialStore: first.credentialStore, parameters: { path } });

			const target = new URL(path, sandbox.url);
			expect(error?.message).toBe(
				`The ERP.net credential sends its access token only under the instance's Domain API ${sandbox.url}/api/domain/, not to ${target.origin}${target.pathname}.`,
			);
			expect(sandbox.requests).toHaveLength(0);
			expectNoLeak(serializeForLeakCheck(error, run, thrownError), token);
		},
	);
});

describe('credential test ("Test connection")', () => {
	it('succeeds with a Domain API request that needs the token', async () => {
		const result = await testCredential({ credentials: credentialsFor() });

		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests.map((entry) => `${entry.method} ${entry.url} ${entry.status}`)).toEqual([
			'POST /id/connect/token 200',
			'GET /api/domain/odata/General_Currencies_Currencies?$top=1&$select=Id 200',
		]);
		expect(result.credentialStore.data('erpNetApi').accessToken).toBeTruthy();
	});

	it('derives the URL from a pasted Domain API root', async () => {
		const result = await testCredential({
			credentials: credentialsFor({ instanceUrl: `${sandbox.url}/api/domain/odata/` }),
		});

		expect(result.status).toBe('OK');
		expect(apiRequests()[0].path).toBe('/api/domain/odata/General_Currencies_Currencies');
	});

	it('shows the clear message for a wrong secret', async () => {
		const result = await testCredential({ credentials: credentialsFor({ clientSecret: 'nope' }) });

		expect(result).toMatchObject({ status: 'Error', message: INVALID_CLIENT });
		expectNoLeak(serializeForLeakCheck(result.error, result.message), 'nope');
	});

	it('shows the clear message for a wrong instance URL path', async () => {
		const result = await testCredential({ credentials: credentialsFor({ instanceUrl: `${sandbox.url}/erp` }) });

		expect(result.message).toBe('The ERP.net token endpoint was not found (HTTP 404). Check the Instance URL.');
	});

	it('reuses a stored token when nothing changed (n8n does not force a refresh for tests)', async () => {
		const store = (await probe()).credentialStore;
		sandbox.control.clearLog();

		const result = await testCredential({ credentialStore: store });

		expect(result.status).toBe('OK');
		expect(tokenRequests()).toHaveLength(0);
	});

	it('checks an edited secret for real thanks to the fingerprint', async () => {
		const store = (await probe()).credentialStore;
		store.edit('erpNetApi', { clientSecret: 'edited-and-wrong' });
		sandbox.control.clearLog();

		const result = await testCredential({ credentialStore: store });

		expect(result).toMatchObject({ status: 'Error', message: INVALID_CLIENT });
		expect(tokenRequests()).toHaveLength(1);
	});

	it('maps a rejected token to its rule message', async () => {
		sandbox.control.injectFault({
			pathIncludes: '/api/domain/odata/',
			kind: 'status',
			status: 403,
			body: { error: { message: 'forbidden' } },
		});

		const result = await testCredential({ credentials: credentialsFor(), credentialStore: new CredentialStore() });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused access \(HTTP 403\)/);
	});
});

describe('a narrower granted scope', () => {
	async function grantOnly(scope: string) {
		const response = await fetch(`${sandbox.url}/id/connect/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: 'n8n.sandbox/readonly',
				client_secret: 'readonly-secret',
			}),
		});
		const granted = (await response.json()) as { access_token: string };
		sandbox.control.injectFault({
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
		const result = await testCredential({ credentials: credentialsFor() });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/update/);
	});

	it('should fail a write naming the missing scope', async () => {
		await grantOnly('read');
		const { error } = await runErpNet(sandbox, {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(sandbox.store.list('Crm_Sales_Customers')[0].Id), 'id'),
			fieldsInput: 'json',
			jsonBody: '{"GracePeriodDays": 12}',
		});
		expect(`${error?.message} ${error?.description}`).toMatch(/'update'|"update"/);
		expect(`${error?.message} ${error?.description}`).toMatch(/scope/i);
	});
});
