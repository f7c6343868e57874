import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode } from 'n8n-workflow';
import { NodeApiError, UserError, Workflow } from 'n8n-workflow';

import { authenticateRequest, requestTargetUrl } from '../../core/auth/authenticate';
import { requestAccessToken } from '../../core/auth/tokenExchange';
import { interpretTokenResponse, redactSecrets, type TokenHttpResponse } from '../../core/auth/tokenResponse';
import {
	buildTokenRequestBody,
	credentialFingerprint,
	readTokenSettings,
	settingsFingerprint,
	type ErpNetTokenSettings,
} from '../../core/auth/tokenSettings';
import { transportErrorToUserError } from '../../core/auth/tokenTransportErrors';
import {
	domainApiRoot,
	INSTANCE_URL_EXPRESSION,
	isLoopbackHost,
	normalizeInstanceUrl,
	tokenEndpoint,
} from '../../core/instanceUrl';
import { ErpNetApi } from '../../credentials/ErpNetApi.credentials';
import { TestNodeTypes } from '../helpers/n8n';
import { ErpNetProbe } from '../helpers/nodes/ErpNetProbe.node';

const SECRET = 'p&ss=w+rd% ü/€';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.secret-token-value.signature';

const credentials = (overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
	instanceUrl: 'https://demodb.my.erp.net',
	clientId: 'my.company/n8n',
	clientSecret: SECRET,
	scope: 'read update',
	accessToken: '',
	tokenFingerprint: '',
	...overrides,
});

const settings = (overrides: ICredentialDataDecryptedObject = {}): ErpNetTokenSettings =>
	readTokenSettings(credentials(overrides));

const testNode: INode = {
	id: 'n',
	name: 'ERP.net',
	type: 'n8n-nodes-erpnet.erpNet',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Runs `fn`, expects it to throw, returns the error. */
async function caught(fn: () => unknown): Promise<Error & { description?: string }> {
	try {
		await fn();
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('expected an error');
}

function expectNoLeak(error: unknown, ...secrets: string[]) {
	const wrapped = new NodeApiError(testNode, error as never);
	const texts = [
		JSON.stringify(error),
		JSON.stringify(wrapped),
		(error as Error).message,
		String((error as { description?: unknown }).description ?? ''),
		String((error as Error).stack ?? ''),
		JSON.stringify(wrapped.messages),
		String(wrapped.description ?? ''),
	].join('\n');
	for (const secret of secrets) {
		expect(texts).not.toContain(secret);
		expect(texts).not.toContain(encodeURIComponent(secret));
		expect(texts).not.toContain(new URLSearchParams({ s: secret }).toString().slice(2));
	}
}

/** n8n wraps hook errors in NodeApiError, which rewrites messages containing e.g. "ECONNREFUSED". */
function expectSurvivesNodeApiError(error: Error & { description?: string | null }) {
	const wrapped = new NodeApiError(testNode, error as never);
	expect(wrapped.message).toBe(error.message);
	expect(wrapped.description).toBe(error.description);
	expect(wrapped.httpCode).toBeNull();
}

describe('normalizeInstanceUrl', () => {
	it.each([
		['https://demodb.my.erp.net', 'https://demodb.my.erp.net'],
		['demodb.my.erp.net', 'https://demodb.my.erp.net'],
		['  https://demodb.my.erp.net/  ', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net///', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/id', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/id/', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/id/connect/token', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/ID/.well-known/openid-configuration', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/api', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/api/domain/odata/', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers?$top=10', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/sys/auto-discovery', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/#/home', 'https://demodb.my.erp.net'],
		['HTTPS://DemoDB.My.ERP.net/Api/Domain/OData', 'https://demodb.my.erp.net'],
		['demodb.my.erp.net:8443/api/domain/odata', 'https://demodb.my.erp.net:8443'],
		['https://demodb.my.erp.net:443', 'https://demodb.my.erp.net'],
		['https://erp.example.com/tenant1/api/domain/odata/', 'https://erp.example.com/tenant1'],
		['https://erp.example.com/identity/', 'https://erp.example.com/identity'],
		['http://127.0.0.1:5680', 'http://127.0.0.1:5680'],
		['http://127.0.0.1:5680/id/connect/token', 'http://127.0.0.1:5680'],
		['http://localhost:5680/', 'http://localhost:5680'],
		['http://LOCALHOST:5680', 'http://localhost:5680'],
		['http://[::1]:5680/api/domain/odata/', 'http://[::1]:5680'],
		['http://127.1.2.3:80', 'http://127.1.2.3'],
		['localhost:5680', 'https://localhost:5680'],
	])('%j → %s', (raw, expected) => {
		expect(normalizeInstanceUrl(raw)).toBe(expected);
	});

	it.each([
		['', /empty/],
		['   ', /empty/],
		['http://demodb.my.erp.net', /must use https:\/\/ \(got http:\/\/demodb\.my\.erp\.net\)/],
		['http://10.0.0.5:8080/', /must use https:\/\//],
		['http://127.0.0.1.nip.io', /must use https:\/\//],
		['ftp://demodb.my.erp.net', /must start with https:\/\//],
		['https://user:pass@demodb.my.erp.net', /must not contain a user name or password/],
		['https://demo db.my.erp.net', /not a valid URL/],
		['https://', /not a valid URL|no host/],
	])('rejects %j', (raw, message) => {
		let error: unknown;
		try {
			normalizeInstanceUrl(raw);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(UserError);
		expect((error as Error).message).toMatch(message);
		expect((error as UserError).description).toMatch(/https:\/\/demodb\.my\.erp\.net/);
	});

	it('never echoes a password pasted into the URL', () => {
		const error = (() => {
			try {
				normalizeInstanceUrl('https://user:hunter2@demodb.my.erp.net');
			} catch (e) {
				return e as UserError;
			}
			throw new Error('expected an error');
		})();
		expect(`${error.message} ${error.description}`).not.toContain('hunter2');
	});

	it('recognises loopback hosts only', () => {
		expect(isLoopbackHost('localhost')).toBe(true);
		expect(isLoopbackHost('127.0.0.1')).toBe(true);
		expect(isLoopbackHost('[::1]')).toBe(true);
		expect(isLoopbackHost('127.0.0.256')).toBe(false);
		expect(isLoopbackHost('localhost.example.com')).toBe(false);
		expect(isLoopbackHost('0.0.0.0')).toBe(false);
	});

	it('derives the Domain API root and the token endpoint', () => {
		expect(domainApiRoot('demodb.my.erp.net/')).toBe('https://demodb.my.erp.net/api/domain/odata/');
		expect(domainApiRoot('https://erp.example.com/tenant1/id')).toBe('https://erp.example.com/tenant1/api/domain/odata/');
		expect(tokenEndpoint('https://demodb.my.erp.net/api/domain/odata/')).toBe('https://demodb.my.erp.net/id/connect/token');
	});
});

describe('the credential description (public contract)', () => {
	const credential = new ErpNetApi();
	const property = (name: string) => credential.properties.find((p) => p.name === name);

	it('keeps its names', () => {
		expect(credential.name).toBe('erpNetApi');
		expect(credential.displayName).toBe('ERP.net API');
		expect(credential.properties.map((p) => p.name)).toEqual(
			expect.arrayContaining(['instanceUrl', 'clientId', 'clientSecret', 'scope', 'accessToken']),
		);
		expect(credential.icon).toEqual({ light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' });
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
	});

	it('declares the fields as the contract says', () => {
		expect(property('instanceUrl')).toMatchObject({ type: 'string', default: '', required: true });
		expect(property('clientId')).toMatchObject({ type: 'string', default: '', required: true });
		expect(property('clientSecret')).toMatchObject({ type: 'string', typeOptions: { password: true } });
		expect(property('scope')).toMatchObject({ type: 'string', default: 'read update' });
		expect(property('accessToken')).toEqual(
			expect.objectContaining({ type: 'hidden', default: '', typeOptions: { expirable: true, password: true } }),
		);
	});

	it('has exactly one expirable field, the access token, so n8n runs the hook for it', () => {
		const expirable = credential.properties.filter((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		expect(expirable.map((p) => p.name)).toEqual(['accessToken']);
		expect(property('tokenFingerprint')).toEqual(
			expect.objectContaining({ type: 'hidden', default: '', typeOptions: { password: true } }),
		);
	});

	it('tests with a cheap authenticated Domain API request', () => {
		expect(credential.test.request).toMatchObject({
			method: 'GET',
			url: '/api/domain/odata/General_Currencies_Currencies?$top=1&$select=Id',
		});
		expect(credential.test.request.baseURL).toBe(INSTANCE_URL_EXPRESSION);
	});
});

describe('the test request base URL expression', () => {
	// Evaluated by n8n's real expression engine, the way RoutingNode resolves `routing.request` values.
	const nodeTypes = new TestNodeTypes().register('probe', new ErpNetProbe());
	const node: INode = { ...testNode, type: 'probe' };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

	it.each([
		'https://demodb.my.erp.net',
		'demodb.my.erp.net',
		' https://demodb.my.erp.net/ ',
		'https://demodb.my.erp.net/id/connect/token',
		'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers?$top=1',
		'https://erp.example.com/tenant1/API/domain',
		'http://127.0.0.1:5680/',
		'http://localhost:5680/id',
		'demodb.my.erp.net:8443/sys/auto-discovery',
	])('matches normalizeInstanceUrl for %j', (instanceUrl) => {
		const value = workflow.expression.getSimpleParameterValue(
			node,
			INSTANCE_URL_EXPRESSION,
			'internal',
			{ $credentials: { instanceUrl } } as never,
			undefined,
			'',
		);
		expect(String(value).toLowerCase()).toBe(normalizeInstanceUrl(instanceUrl));
	});
});

describe('token request', () => {
	it('form-encodes every field so that any secret survives', () => {
		for (const secret of [SECRET, 'a b', 'x&client_secret=y', '100%', '+=+', 'ключ', '🔑 key', '"quoted"\n']) {
			const body = buildTokenRequestBody(settings({ clientSecret: secret }));
			const form = new URLSearchParams(body);
			expect(form.get('client_secret')).toBe(secret);
			expect([...form.keys()]).toEqual(['grant_type', 'client_id', 'client_secret', 'scope']);
			expect(form.getAll('client_secret')).toHaveLength(1);
		}
	});

	it('sends exactly the documented fields', () => {
		const form = new URLSearchParams(buildTokenRequestBody(settings({ clientId: ' n8n.sandbox/service ' })));
		expect(Object.fromEntries(form)).toEqual({
			grant_type: 'client_credentials',
			client_id: 'n8n.sandbox/service',
			client_secret: SECRET,
			scope: 'read update',
		});
	});

	it('omits an empty scope (ERP.net then grants all scopes of the trusted application)', () => {
		expect(new URLSearchParams(buildTokenRequestBody(settings({ scope: '  ' }))).has('scope')).toBe(false);
		expect(new URLSearchParams(buildTokenRequestBody(settings({ scope: ' read   update ' }))).get('scope')).toBe(
			'read update',
		);
	});

	it('posts the form to {instance}/id/connect/token without following redirects', async () => {
		const calls: IHttpRequestOptions[] = [];
		const helpers = {
			httpRequest: async (options: IHttpRequestOptions) => {
				calls.push(options);
				return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 } };
			},
		};
		const result = await requestAccessToken(helpers as never, credentials({ instanceUrl: 'demodb.my.erp.net/api/domain/odata/' }));

		expect(result).toEqual({ accessToken: TOKEN, tokenFingerprint: credentialFingerprint(credentials()) });
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({
			method: 'POST',
			url: 'https://demodb.my.erp.net/id/connect/token',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		});
		expect(typeof calls[0].body).toBe('string');
		expect(new URLSearchParams(calls[0].body as string).get('client_secret')).toBe(SECRET);
		expect(calls[0].timeout).toBeGreaterThan(0);
	});

	it('is what the credential class runs as preAuthentication', async () => {
		const helpers = {
			httpRequest: async () => ({ statusCode: 200, headers: {}, body: JSON.stringify({ access_token: TOKEN }) }),
		};
		const output = await new ErpNetApi().preAuthentication.call({ helpers } as never, credentials());
		expect(output).toEqual({ accessToken: TOKEN, tokenFingerprint: credentialFingerprint(credentials()) });
	});

	it.each([
		[{ instanceUrl: '' }, /instance URL is empty/],
		[{ instanceUrl: 'http://demodb.my.erp.net' }, /must use https/],
		[{ clientId: '  ' }, /has no Client ID/],
		[{ clientSecret: '' }, /has no Client Secret/],
	])('checks the settings before sending anything (%j)', async (overrides, message) => {
		let called = false;
		const helpers = { httpRequest: async () => ((called = true), {}) };
		const error = await caught(() => requestAccessToken(helpers as never, credentials(overrides)));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toMatch(message);
		expect(called).toBe(false);
	});
});

describe('token response errors', () => {
	const s = settings();
	const respond = (statusCode: number, body: unknown, headers: IDataObject = { 'content-type': 'application/json' }) =>
		caught(() => interpretTokenResponse({ statusCode, headers, body } as TokenHttpResponse, s));

	it.each([
		[
			'invalid_client',
			"ERP.net rejected the client ID or secret (invalid_client). Check the trusted application's ApplicationUri and secret.",
		],
		['invalid_scope', /rejected the requested scope "read update" \(invalid_scope\)\. Request only scopes listed in the trusted application's Scope/],
		['unauthorized_client', /\(unauthorized_client\)\. Set SystemUserAllowed and assign a SystemUser/],
		['unsupported_grant_type', /\(unsupported_grant_type\)\. Check that the Instance URL points to an ERP\.net instance/],
		['invalid_request', /\(invalid_request\)\. Check that Client ID and Client Secret are both filled in/],
		['invalid_grant', /\(invalid_grant\)/],
		['temporarily_unavailable', /refused to issue an access token \(temporarily_unavailable\)/],
	])('%s', async (code, message) => {
		const error = await respond(400, { error: code, error_description: 'server says so' });
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
		expect(error).toBeInstanceOf(UserError);
		expect(error.description).toContain('server says so');
		expectSurvivesNodeApiError(error);
		expectNoLeak(error, SECRET);
	});

	it('maps OAuth errors whatever the status (401 invalid_client)', async () => {
		const error = await respond(401, { error: 'invalid_client' });
		expect(error.message).toMatch(/invalid_client/);
	});

	it('redacts the secret if the server echoes it in error_description', async () => {
		for (const echoed of [SECRET, encodeURIComponent(SECRET), new URLSearchParams({ s: SECRET }).toString().slice(2)]) {
			const error = await respond(400, { error: 'invalid_client', error_description: `bad secret ${echoed}` });
			expect(error.description).toContain('bad secret ***');
			expectNoLeak(error, SECRET);
		}
	});

	it('a 404 says the instance URL is wrong', async () => {
		const error = await respond(404, { error: { message: 'No resource matches the request path' } });
		expect(error.message).toBe('The ERP.net token endpoint was not found (HTTP 404). Check the Instance URL.');
		expect(error.description).toContain('https://demodb.my.erp.net/id/connect/token');
	});

	it('an HTML page says the instance URL is wrong', async () => {
		const error = await respond(200, '<!doctype html><html><title>Login</title></html>', { 'content-type': 'text/html; charset=utf-8' });
		expect(error.message).toBe('The ERP.net token endpoint did not answer with JSON. Check the Instance URL.');
		expect(error.description).toContain('text/html');
	});

	it('non-JSON text with a JSON content type is still not JSON', async () => {
		const error = await respond(200, 'not json', { 'content-type': 'application/json' });
		expect(error.message).toMatch(/did not answer with JSON/);
	});

	it('a JSON answer without access_token is an error, never an empty token', async () => {
		for (const body of [{}, { access_token: '' }, { access_token: '   ' }, { access_token: 42 }, { token: TOKEN }]) {
			const error = await respond(200, body);
			expect(error.message).toBe('ERP.net answered the token request without an access token.');
		}
	});

	it('accepts a JSON string or Buffer body', () => {
		expect(interpretTokenResponse({ statusCode: 200, body: JSON.stringify({ access_token: TOKEN }) }, s)).toEqual({ accessToken: TOKEN });
		expect(interpretTokenResponse({ statusCode: 200, body: Buffer.from(JSON.stringify({ access_token: TOKEN })) }, s)).toEqual({
			accessToken: TOKEN,
		});
	});

	it('refuses a non-Bearer token type without echoing the token', async () => {
		const error = await respond(200, { access_token: TOKEN, token_type: 'MAC' });
		expect(error.message).toMatch(/not a Bearer token/);
		expectNoLeak(error, SECRET, TOKEN);
	});

	it('a redirect names the target but does not follow it', async () => {
		const error = await respond(302, '', { location: 'https://login.example.com/sso?session=abc' });
		expect(error.message).toBe('The ERP.net token endpoint redirected the request (HTTP 302). Check the Instance URL.');
		expect(error.description).toContain('https://login.example.com/sso');
		expect(error.description).not.toContain('session=abc');
	});

	it.each([
		[500, /identity server failed to issue a token \(HTTP 500\)/],
		[503, /\(HTTP 503\)/],
		[429, /too many token requests \(HTTP 429\)/],
		[403, /did not issue an access token \(HTTP 403\)/],
	])('HTTP %i', async (status, message) => {
		const error = await respond(status, { message: 'whatever' });
		expect(error.message).toMatch(message);
		expectSurvivesNodeApiError(error);
	});
});

describe('transport errors (replaced, never wrapped)', () => {
	const s = settings();
	/** An axios-like error carrying the request options, like the ones helpers.httpRequest throws. */
	const axiosError = (code: string, message = `connect ${code}`) =>
		Object.assign(new Error(message), {
			code,
			isAxiosError: true,
			config: { url: s.tokenUrl, data: buildTokenRequestBody(s), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
			request: { body: buildTokenRequestBody(s) },
		});

	it.each([
		['ENOTFOUND', 'The ERP.net host "demodb.my.erp.net" could not be found. Check the Instance URL for typos.'],
		['EAI_AGAIN', 'The ERP.net host "demodb.my.erp.net" could not be found. Check the Instance URL for typos.'],
		['ECONNREFUSED', 'The connection to demodb.my.erp.net was refused. Check the Instance URL and that the instance is running.'],
		['DEPTH_ZERO_SELF_SIGNED_CERT', /^The TLS certificate of demodb\.my\.erp\.net is not trusted: the server uses a self-signed certificate\./],
		['SELF_SIGNED_CERT_IN_CHAIN', /not trusted: the server uses a certificate chain with a self-signed certificate/],
		['CERT_HAS_EXPIRED', /not trusted: the server uses an expired certificate/],
		['ERR_TLS_CERT_ALTNAME_INVALID', /issued for a different host name/],
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /cannot be verified/],
		['EPROTO', /The secure \(TLS\) connection to demodb\.my\.erp\.net failed/],
		['ERR_SSL_WRONG_VERSION_NUMBER', /The secure \(TLS\) connection/],
		['ETIMEDOUT', /did not answer in time/],
		['ECONNABORTED', /did not answer in time/],
		['ECONNRESET', /failed before ERP\.net answered/],
		['EWHATEVER', /could not be requested from demodb\.my\.erp\.net/],
	])('%s', (code, message) => {
		const error = transportErrorToUserError(axiosError(code), s);
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
		expect(error).toBeInstanceOf(UserError);
		expect(error.cause).toBeUndefined();
		expect(error.description).toContain(code);
		expectSurvivesNodeApiError(error);
		expectNoLeak(error, SECRET);
	});

	it('finds codes on causes and AggregateError children', () => {
		const aggregate = Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''), {});
		expect(transportErrorToUserError(aggregate, s).message).toMatch(/refused/);
		const nested = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'CERT_HAS_EXPIRED' }) });
		expect(transportErrorToUserError(nested, s).message).toMatch(/expired certificate/);
	});

	it('recognises a timeout by its message', () => {
		expect(transportErrorToUserError(new Error('timeout of 30000ms exceeded'), s).message).toMatch(/did not answer in time/);
	});

	it('requestAccessToken replaces what httpRequest throws', async () => {
		const thrown = axiosError('ECONNREFUSED');
		const helpers = {
			httpRequest: async () => {
				throw thrown;
			},
		};
		const error = await caught(() => requestAccessToken(helpers as never, credentials()));
		expect(error).not.toBe(thrown);
		expect(error.message).toMatch(/refused/);
		expectNoLeak(error, SECRET);
	});
});

describe('redactSecrets', () => {
	it('removes plain, form- and URI-encoded spellings', () => {
		const text = `a ${SECRET} b ${encodeURIComponent(SECRET)} c ${new URLSearchParams({ s: SECRET }).toString().slice(2)}`;
		expect(redactSecrets(text, [SECRET])).toBe('a *** b *** c ***');
		expect(redactSecrets('nothing', ['', 'x'])).toBe('nothing');
	});
});

describe('fingerprint', () => {
	const base = credentials();

	it('changes with every setting that decides the token', () => {
		const fingerprints = [
			base,
			credentials({ instanceUrl: 'https://other.my.erp.net' }),
			credentials({ clientId: 'other' }),
			credentials({ clientSecret: 'other' }),
			credentials({ scope: 'read' }),
		].map((c) => credentialFingerprint(c));
		expect(new Set(fingerprints).size).toBe(5);
	});

	it('ignores differences that normalise away', () => {
		const fingerprint = credentialFingerprint(base);
		expect(credentialFingerprint(credentials({ instanceUrl: 'demodb.my.erp.net/' }))).toBe(fingerprint);
		expect(credentialFingerprint(credentials({ scope: ' read  update ' }))).toBe(fingerprint);
		expect(credentialFingerprint(credentials({ clientId: ' my.company/n8n ' }))).toBe(fingerprint);
		expect(credentialFingerprint(credentials({ accessToken: 'anything' }))).toBe(fingerprint);
	});

	it('is versioned, one-way and does not equal ERP.net\'s ApplicationSecretHash', () => {
		const fingerprint = settingsFingerprint(settings());
		expect(fingerprint).toMatch(/^v1:[A-Za-z0-9_-]{43}$/);
		expect(fingerprint).not.toContain(SECRET);
		// base64(sha256(secret)) is what ERP.net stores; the fingerprint must not reveal it.
		const { createHash } = jest.requireActual<typeof import('crypto')>('crypto');
		const erpHash = createHash('sha256').update(SECRET, 'utf8').digest('base64');
		expect(fingerprint).not.toContain(erpHash.replace(/=+$/, ''));
	});

	it('is undefined for invalid settings', () => {
		expect(credentialFingerprint(credentials({ instanceUrl: 'http://example.com' }))).toBeUndefined();
	});
});

describe('authenticate', () => {
	const fingerprint = credentialFingerprint(credentials()) as string;
	const withToken = credentials({ accessToken: TOKEN, tokenFingerprint: fingerprint });
	const request = (options: Partial<IHttpRequestOptions> & Record<string, unknown> = {}) =>
		({ url: 'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers', method: 'GET', ...options }) as IHttpRequestOptions;

	it('adds the Bearer token for the instance', async () => {
		const result = await authenticateRequest(withToken, request({ headers: { Accept: 'application/json' } }));
		expect(result.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${TOKEN}` });
	});

	it('is the function form on the credential class', async () => {
		const { authenticate } = new ErpNetApi();
		expect(typeof authenticate).toBe('function');
		const result = await (authenticate as typeof authenticateRequest)(withToken, request());
		expect(result.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
	});

	it('combines baseURL and url (credential test) and understands legacy uri', async () => {
		expect((await authenticateRequest(withToken, request({ url: '/api/domain/odata/X', baseURL: 'https://demodb.my.erp.net' }))).headers?.Authorization).toBe(
			`Bearer ${TOKEN}`,
		);
		expect((await authenticateRequest(withToken, request({ url: undefined, uri: 'https://demodb.my.erp.net/api/domain/odata/X' }))).headers?.Authorization).toBe(
			`Bearer ${TOKEN}`,
		);
		expect(requestTargetUrl(request({ url: 'X', baseURL: 'https://h/api/domain/odata/' }))).toBe('https://h/api/domain/odata/X');
	});

	it('replaces any Authorization header the caller set', async () => {
		const result = await authenticateRequest(withToken, request({ headers: { authorization: 'Basic abc', AUTHORIZATION: 'x' } }));
		expect(result.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
	});

	it('sends no token while it is empty', async () => {
		const result = await authenticateRequest(credentials({ tokenFingerprint: fingerprint }), request({ headers: { authorization: 'stale' } }));
		expect(result.headers).toEqual({});
	});

	it.each([
		['the secret', { clientSecret: 'new-secret' }],
		['the client ID', { clientId: 'other.app' }],
		['the scope', { scope: 'read' }],
		['the instance path', { instanceUrl: 'https://demodb.my.erp.net/tenant2' }],
	])('withholds a token issued before %s was edited (so ERP.net answers 401 and n8n refreshes)', async (_what, edit) => {
		const result = await authenticateRequest({ ...withToken, ...edit }, request({ url: request().url.replace('demodb.my.erp.net', 'demodb.my.erp.net') }));
		expect(result.headers?.Authorization).toBeUndefined();
	});

	it('withholds a token stored without a fingerprint (older credentials) once', async () => {
		const result = await authenticateRequest(credentials({ accessToken: TOKEN }), request());
		expect(result.headers?.Authorization).toBeUndefined();
	});

	it.each([
		'https://evil.example.com/api/domain/odata/X',
		'http://demodb.my.erp.net/api/domain/odata/X',
		'https://demodb.my.erp.net:8443/api/domain/odata/X',
		'https://demodb.my.erp.net.evil.example.com/api',
	])('refuses to send the token to %s', async (url) => {
		const error = await caught(() => authenticateRequest(withToken, request({ url })));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toMatch(/sends its access token only to https:\/\/demodb\.my\.erp\.net, not to /);
		expectNoLeak(error, SECRET, TOKEN);
		expectSurvivesNodeApiError(error);
	});

	it('refuses when the instance URL became invalid', async () => {
		const error = await caught(() => authenticateRequest({ ...withToken, instanceUrl: 'http://demodb.my.erp.net' }, request()));
		expect(error.message).toMatch(/must use https/);
	});
});
