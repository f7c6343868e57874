/**
 * Conformance of the sandbox's auto-discovery modes and reference access tokens:
 * - [dev:auth/concepts/identity-server.md] `GET {instance}/sys/auto-discovery` (no token), WebSites[] with Type,
 *   Status, Url and AdditionalProperties.ODataServiceRoot;
 * - [dev:domain-api/querying-data/url-components.md] the API site may have its own address;
 * - [dev:auth/tokens/reference-access-tokens.md] `enrt_` tokens as `Authorization: Bearer` or an API key header,
 *   one method per request, expiration, immediate revocation;
 * - [dev:auth/sessions/token-session-relationship.md] a session opens on a token's first API call and is reused.
 */
import { startSandbox, type Sandbox } from '../../../sandbox/src';

const CURRENCIES = 'General_Currencies_Currencies?$top=1&$select=Id';

async function accessToken(sandbox: Sandbox): Promise<string> {
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
		}).toString(),
	});
	expect(response.status).toBe(200);
	return ((await response.json()) as { access_token: string }).access_token;
}

describe('auto-discovery modes', () => {
	let sandbox: Sandbox;
	let separate: Sandbox;

	beforeAll(async () => {
		[sandbox, separate] = await Promise.all([startSandbox(), startSandbox({ domainApiSite: 'separate' })]);
	});

	afterAll(async () => {
		await Promise.all([sandbox.close(), separate.close()]);
	});

	afterEach(() => {
		sandbox.control.setAutoDiscovery(true);
		sandbox.control.setSiteStatus('DomainAPI', 'Working');
		sandbox.control.setSiteStatus('ID', 'Working');
	});

	it('should point DomainAPI at the second origin, whose ODataServiceRoot serves the Domain API', async () => {
		const discovery = (await (await fetch(`${separate.url}/sys/auto-discovery`)).json()) as {
			WebSites: Array<{
				Type: string;
				Status: string;
				Url: string;
				AdditionalProperties?: { ODataServiceRoot: string };
			}>;
		};
		const api = discovery.WebSites.find((site) => site.Type === 'DomainAPI');
		const id = discovery.WebSites.find((site) => site.Type === 'ID');

		expect(separate.apiSiteUrl).toBeDefined();
		expect(new URL(separate.apiSiteUrl!).origin).not.toBe(new URL(separate.url).origin);
		expect(id).toEqual({ Type: 'ID', Status: 'Working', Url: `${separate.url}/id` });
		expect(api).toEqual({
			Type: 'DomainAPI',
			Status: 'Working',
			Url: separate.apiSiteUrl,
			AdditionalProperties: { ODataServiceRoot: `${separate.apiSiteUrl}/domain/odata/` },
		});
		expect(separate.odataRoot).toBe(api?.AdditionalProperties?.ODataServiceRoot);

		const token = await accessToken(separate);
		const response = await fetch(`${separate.odataRoot}${CURRENCIES}`, {
			headers: { authorization: `Bearer ${token}` },
		});
		expect(response.status).toBe(200);
		expect(((await response.json()) as { value: unknown[] }).value).toHaveLength(1);
	});

	it('should not serve the Domain API on the instance origin when the API site is separate', async () => {
		const token = await accessToken(separate);
		const response = await fetch(`${separate.url}/api/domain/odata/${CURRENCIES}`, {
			headers: { authorization: `Bearer ${token}` },
		});
		expect(response.status).toBe(404);
	});

	it('should log which origin each request was addressed to', async () => {
		await fetch(`${separate.url}/sys/auto-discovery`);
		await fetch(`${separate.odataRoot}${CURRENCIES}`);
		const origins = separate.requests.slice(-2).map((entry) => entry.origin);
		expect(origins).toEqual([new URL(separate.url).origin, new URL(separate.apiSiteUrl!).origin]);
	});

	it('should answer 404 when auto-discovery is off (older versions, proxies)', async () => {
		sandbox.control.setAutoDiscovery(false);
		expect((await fetch(`${sandbox.url}/sys/auto-discovery`)).status).toBe(404);
		const off = await startSandbox({ autoDiscovery: false });
		try {
			expect((await fetch(`${off.url}/sys/auto-discovery`)).status).toBe(404);
		} finally {
			await off.close();
		}
	});

	it('should report the Status a test sets for a site', async () => {
		sandbox.control.setSiteStatus('DomainAPI', 'Stopped');
		const discovery = (await (await fetch(`${sandbox.url}/sys/auto-discovery`)).json()) as {
			WebSites: Array<{ Type: string; Status: string }>;
		};
		expect(discovery.WebSites.map((site) => [site.Type, site.Status])).toEqual([
			['ID', 'Working'],
			['DomainAPI', 'Stopped'],
		]);
	});
});

describe('reference access tokens', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});

	afterAll(async () => {
		await sandbox.close();
	});

	function get(headers: Record<string, string>, path = CURRENCIES) {
		return fetch(`${sandbox.odataRoot}${path}`, { headers });
	}

	it('should issue opaque enrt_ tokens of 64 upper-case hex characters', () => {
		const { token, expiresAt } = sandbox.control.issueReferenceToken();
		expect(token).toMatch(/^enrt_[0-9A-F]{64}$/);
		expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
		expect(() => JSON.parse(Buffer.from(token.split('.')[0], 'base64').toString())).toThrow();
	});

	it.each([
		['Authorization: Bearer', (token: string) => ({ authorization: `Bearer ${token}` })],
		['X-Api-Key', (token: string) => ({ 'X-Api-Key': token })],
		['Api-Key', (token: string) => ({ 'Api-Key': token })],
		['X-API-KEY', (token: string) => ({ 'X-API-KEY': token })],
	])('should accept a reference token sent as %s', async (_name, headers) => {
		const { token } = sandbox.control.issueReferenceToken();
		const response = await get(headers(token));
		expect(response.status).toBe(200);
	});

	it('should refuse a request that uses both Authorization and an API key header (one method per request)', async () => {
		const { token } = sandbox.control.issueReferenceToken();
		const response = await get({ authorization: `Bearer ${token}`, 'X-Api-Key': token });
		expect(response.status).toBe(400);
		expect(response.headers.get('www-authenticate')).toContain('invalid_request');
	});

	it('should answer 401 invalid_token for an expired reference token', async () => {
		const { token } = sandbox.control.issueReferenceToken({ expiresAt: new Date(Date.now() - 1000) });
		const response = await get({ authorization: `Bearer ${token}` });
		expect(response.status).toBe(401);
		expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token".*expired/);
	});

	it('should revoke a reference token immediately', async () => {
		const { token } = sandbox.control.issueReferenceToken();
		expect((await get({ 'X-Api-Key': token })).status).toBe(200);
		expect(sandbox.control.revokeReferenceToken(token)).toBe(true);

		const response = await get({ 'X-Api-Key': token });
		expect(response.status).toBe(401);
		expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token".*revoked/);
	});

	it('should answer 401 for an unknown or malformed token in an API key header', async () => {
		const unknown = `enrt_${'A'.repeat(64)}`;
		expect((await get({ 'X-Api-Key': unknown })).status).toBe(401);
		expect((await get({ 'X-Api-Key': 'not-a-reference-token' })).status).toBe(401);
		expect((await get({ authorization: `Bearer enrt_${'a'.repeat(64)}` })).status).toBe(401);
	});

	it('should apply the scopes the token was issued with (read-only token cannot write)', async () => {
		const { token } = sandbox.control.issueReferenceToken({ scopes: ['read'] });
		const response = await fetch(`${sandbox.odataRoot}General_Currencies_Currencies`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(response.status).toBe(403);
	});

	it('should refuse to issue scopes the trusted application does not allow', () => {
		expect(() => sandbox.control.issueReferenceToken({ clientId: 'n8n.sandbox/readonly', scopes: ['update'] })).toThrow(
			/not allowed/,
		);
	});

	it('should open one session on the first call and reuse it, as for any token', async () => {
		const { token } = sandbox.control.issueReferenceToken();
		const before = sandbox.context.sessions.size;
		await get({ authorization: `Bearer ${token}` });
		await get({ 'X-Api-Key': token });
		expect(sandbox.context.sessions.size).toBe(before + 1);
		const [session] = [...sandbox.context.sessions.values()].slice(-1);
		expect(session.jti).toMatch(/^ref:/);
		expect(JSON.stringify([...sandbox.context.sessions.values()])).not.toContain(token);
	});

	it('should revoke reference tokens too when all tokens are revoked', async () => {
		const { token } = sandbox.control.issueReferenceToken();
		sandbox.control.revokeAllTokens();
		expect((await get({ authorization: `Bearer ${token}` })).status).toBe(401);
	});

	it('should accept reference tokens on a separate API site', async () => {
		const separate = await startSandbox({ domainApiSite: 'separate' });
		try {
			const { token } = separate.control.issueReferenceToken();
			const response = await fetch(`${separate.odataRoot}${CURRENCIES}`, { headers: { 'X-Api-Key': token } });
			expect(response.status).toBe(200);
		} finally {
			await separate.close();
		}
	});
});
