/**
 * Instance auto-discovery and the reference-token credential through the real n8n engine (WorkflowExecute,
 * httpRequestWithAuthentication, RoutingNode for the credential test) against the sandbox over HTTP, in its three
 * discovery modes: the Domain API on a second origin, no discovery (404), and a site that is not Working.
 * Where the token went is asserted on the sandbox's request log.
 */
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { RequestLogEntry, Sandbox } from '../../sandbox/src';
import { startSandbox } from '../../sandbox/src';
import { clearDiscoveryCache } from '../../core/discovery';
import { ErpNetApi } from '../../credentials/ErpNetApi.credentials';
import { ErpNetReferenceTokenApi } from '../../credentials/ErpNetReferenceTokenApi.credentials';
import { locator, runErpNet } from '../helpers/erpnet';
import { CredentialStore, serializeForLeakCheck, testCredential } from '../helpers/n8n';

const CREDENTIAL_TYPES = [new ErpNetApi(), new ErpNetReferenceTokenApi()];
const GET_THREE = { operation: 'getAll', entitySet: locator('Crm_Sales_Customers'), returnAll: false, limit: 3 };

let separate: Sandbox;
let plain: Sandbox;

beforeAll(async () => {
	[separate, plain] = await Promise.all([
		startSandbox({ domainApiSite: 'separate', sizes: { customers: 20, products: 5, salesOrders: 2 } }),
		startSandbox({ sizes: { customers: 20, products: 5, salesOrders: 2 } }),
	]);
});

afterAll(async () => {
	await Promise.all([separate?.close(), plain?.close()]);
});

beforeEach(() => {
	clearDiscoveryCache();
	for (const sandbox of [separate, plain]) {
		sandbox.control.clearLog();
		sandbox.control.setAutoDiscovery(true);
		sandbox.control.setSiteStatus('DomainAPI', 'Working');
		sandbox.control.setSiteStatus('ID', 'Working');
	}
});

const origin = (url: string) => new URL(url).origin;

function clientCredentials(sandbox: Sandbox, overrides: ICredentialDataDecryptedObject = {}) {
	return {
		erpNetApi: {
			instanceUrl: sandbox.url,
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			scope: 'read update',
			...overrides,
		},
	};
}

function referenceToken(sandbox: Sandbox, token: string, overrides: ICredentialDataDecryptedObject = {}) {
	return { erpNetReferenceTokenApi: { instanceUrl: sandbox.url, referenceToken: token, ...overrides } };
}

/** Log entries that carried a token (Authorization or an API key header). */
function withToken(sandbox: Sandbox): RequestLogEntry[] {
	return sandbox.requests.filter(
		(entry) => entry.headers.authorization || entry.headers['x-api-key'] || entry.headers['api-key'],
	);
}

const runWithReferenceToken = (sandbox: Sandbox, token: string, overrides: ICredentialDataDecryptedObject = {}) =>
	runErpNet(
		sandbox,
		{ ...GET_THREE, authentication: 'referenceToken' },
		{
			credentials: referenceToken(sandbox, token, overrides),
			credentialTypes: CREDENTIAL_TYPES,
			credentialStore: new CredentialStore(),
		},
	);

describe('auto-discovery with the Domain API on a second origin', () => {
	it('should read discovery without a token, get the token from the Identity, and send it only to the API origin', async () => {
		const { items, error } = await runErpNet(separate, GET_THREE, { credentials: clientCredentials(separate) });

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		const [discovery] = separate.requests;
		expect(discovery).toMatchObject({
			method: 'GET',
			path: '/sys/auto-discovery',
			origin: origin(separate.url),
			status: 200,
		});
		expect(discovery.headers.authorization).toBeUndefined();
		expect(
			separate.requests.filter((entry) => entry.path === '/id/connect/token').map((entry) => entry.origin),
		).toEqual([origin(separate.url)]);
		const carried = withToken(separate);
		expect(carried.length).toBeGreaterThan(0);
		expect(new Set(carried.map((entry) => entry.origin))).toEqual(new Set([origin(separate.apiSiteUrl!)]));
		expect(carried.every((entry) => entry.path.startsWith('/domain/odata/Crm_Sales_Customers'))).toBe(true);
	});

	it('should read discovery once per process for a bounded time, not once per execution', async () => {
		const store = new CredentialStore();
		await runErpNet(separate, GET_THREE, { credentials: clientCredentials(separate), credentialStore: store });
		await runErpNet(separate, GET_THREE, { credentials: clientCredentials(separate), credentialStore: store });

		expect(separate.requests.filter((entry) => entry.path === '/sys/auto-discovery')).toHaveLength(1);
	});

	it('should pass the credential test on the discovered Domain API', async () => {
		const outcome = await testCredential({
			credentials: clientCredentials(separate),
			credentialTypes: CREDENTIAL_TYPES,
		});

		expect(outcome).toMatchObject({ status: 'OK' });
		const tested = separate.requests.filter((entry) => entry.path.includes('General_Currencies_Currencies'));
		expect(tested.map((entry) => [entry.origin, entry.status])).toEqual([[origin(separate.apiSiteUrl!), 200]]);
	});

	it('should fail with a clear error when the Domain API site is not Working, without sending the token', async () => {
		separate.control.setSiteStatus('DomainAPI', 'Stopped');
		const { error } = await runErpNet(separate, GET_THREE, { credentials: clientCredentials(separate) });

		expect(error?.message).toBe(
			`The ERP.net instance reports a site that is not working: Domain API at ${separate.odataRoot} has status "Stopped".`,
		);
		expect(withToken(separate)).toHaveLength(0);
	});

	it('should report a stopped Identity in the credential test', async () => {
		separate.control.setSiteStatus('ID', 'Stopped');
		const outcome = await testCredential({
			credentials: clientCredentials(separate),
			credentialTypes: CREDENTIAL_TYPES,
		});

		expect(outcome.status).toBe('Error');
		expect(outcome.message).toContain(`Identity (ID) at ${separate.url}/id has status "Stopped"`);
		expect(separate.requests.filter((entry) => entry.path === '/id/connect/token')).toHaveLength(0);
	});
});

describe('instances without auto-discovery', () => {
	it('should fall back to {instance}/id and {instance}/api/domain/odata/ when discovery answers 404', async () => {
		plain.control.setAutoDiscovery(false);
		const { items, error } = await runErpNet(plain, GET_THREE, { credentials: clientCredentials(plain) });

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(plain.requests.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
			'GET /sys/auto-discovery 404',
			'POST /id/connect/token 200',
			expect.stringMatching(/^GET \/api\/domain\/odata\/Crm_Sales_Customers 200$/),
		]);
	});

	it('should reach a Domain API on another origin through the Domain API Root override', async () => {
		separate.control.setAutoDiscovery(false);
		const without = await runErpNet(separate, GET_THREE, { credentials: clientCredentials(separate) });
		expect((without.error as { httpCode?: string } | undefined)?.httpCode).toBe('404');
		expect(without.error?.description).toMatch(/Domain API Root|entity set/);

		clearDiscoveryCache();
		separate.control.clearLog();
		const overridden = await runErpNet(separate, GET_THREE, {
			credentials: clientCredentials(separate, { domainApiRoot: separate.apiSiteUrl! }),
		});
		expect(overridden.error).toBeUndefined();
		expect(overridden.items).toHaveLength(3);
		expect(new Set(withToken(separate).map((entry) => entry.origin))).toEqual(new Set([origin(separate.apiSiteUrl!)]));
	});
});

describe('reference-token credential', () => {
	it('should read records with a reference token on the discovered Domain API, sending it only there', async () => {
		const { token } = separate.control.issueReferenceToken();
		const { items, error, credentialStore } = await runWithReferenceToken(separate, token);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(separate.requests.filter((entry) => entry.path === '/id/connect/token')).toHaveLength(0);
		const carried = withToken(separate);
		expect(carried.map((entry) => [entry.origin, entry.headers.authorization])).toEqual(
			carried.map(() => [origin(separate.apiSiteUrl!), `Bearer ${token}`]),
		);
		expect(credentialStore.data('erpNetReferenceTokenApi').discoveredSites).toContain(separate.odataRoot);
	});

	it.each([
		[
			'expired',
			(sandbox: Sandbox) => sandbox.control.issueReferenceToken({ expiresAt: new Date(Date.now() - 60_000) }).token,
			'it has expired',
		],
		[
			'revoked',
			(sandbox: Sandbox) => {
				const { token } = sandbox.control.issueReferenceToken();
				sandbox.control.revokeReferenceToken(token);
				return token;
			},
			'it was revoked',
		],
	])('should say to issue a new token when it is %s, and never leak it', async (_case, issue, reason) => {
		const token = issue(plain);
		const { error, thrownError, run } = await runWithReferenceToken(plain, token);

		expect(error?.message).toBe(`ERP.net rejected the reference token (401): ${reason}. Issue a new reference token.`);
		expect(error?.description).toMatch(/Issue a new reference token in ERP.net/);
		expect(serializeForLeakCheck(error, thrownError, run)).not.toContain(token);
	});

	it('should refuse a token without the enrt_ prefix before sending anything with it', async () => {
		const notReference = 'eyJhbGciOiJSUzI1NiJ9.not-a-reference-token';
		const { error, thrownError, run } = await runWithReferenceToken(plain, notReference);

		expect(error?.message).toBe('The ERP.net reference token must start with "enrt_".');
		expect(withToken(plain)).toHaveLength(0);
		expect(serializeForLeakCheck(error, thrownError, run)).not.toContain(notReference);
	});

	it('should pass the credential test with a valid token and name the fix for a revoked one', async () => {
		const { token } = separate.control.issueReferenceToken();
		const ok = await testCredential({
			credentials: referenceToken(separate, token),
			credentialTypes: CREDENTIAL_TYPES,
			credentialType: 'erpNetReferenceTokenApi',
		});
		expect(ok.status).toBe('OK');

		separate.control.revokeReferenceToken(token);
		const revoked = await testCredential({
			credentials: referenceToken(separate, token),
			credentialTypes: CREDENTIAL_TYPES,
			credentialType: 'erpNetReferenceTokenApi',
			credentialStore: ok.credentialStore,
		});
		expect(revoked.status).toBe('Error');
		expect(revoked.message).toMatch(/^ERP.net rejected the reference token \(HTTP 401\).*Issue a new reference token/);
	});

	it('should keep one session for a reference token across executions', async () => {
		const { token } = plain.control.issueReferenceToken();
		const sessionsBefore = plain.context.sessions.size;
		await runWithReferenceToken(plain, token);
		await runWithReferenceToken(plain, token);

		expect(plain.context.sessions.size).toBe(sessionsBefore + 1);
	});
});

describe('auto-discovery that points elsewhere', () => {
	it("should not follow a redirect of auto-discovery: the instance's own default paths get the secret, nothing else", async () => {
		const reached: string[] = [];
		const other = createServer((req, res) => {
			reached.push(`${req.method} ${req.url}`);
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ WebSites: [] }));
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
		try {
			const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/sys/auto-discovery`;
			plain.control.injectFault({
				kind: 'status',
				pathIncludes: '/sys/auto-discovery',
				status: 302,
				headers: { Location: target },
			});
			const { items, error } = await runErpNet(plain, GET_THREE, { credentials: clientCredentials(plain) });
			expect(error).toBeUndefined();
			expect(items).toHaveLength(3);
			expect(reached).toEqual([]);
			expect(plain.requests.map((entry) => `${entry.method} ${entry.path} ${entry.status}`).slice(0, 2)).toEqual([
				'GET /sys/auto-discovery 302',
				'POST /id/connect/token 200',
			]);
		} finally {
			await new Promise((resolve) => other.close(resolve));
		}
	});

	it('should refuse a discovered Identity on another host before sending the secret, naming both hosts', async () => {
		plain.control.injectFault({
			kind: 'status',
			pathIncludes: '/sys/auto-discovery',
			status: 200,
			body: { WebSites: [{ Type: 'ID', Status: 'Working', Url: 'https://id.example.net/id' }] },
		});
		const { error, thrownError, run } = await runErpNet(plain, GET_THREE, { credentials: clientCredentials(plain) });
		expect(error?.message).toContain(`names a site on another domain: Identity at id.example.net`);
		expect(error?.message).toContain(`for ${new URL(plain.url).host}`);
		expect(plain.requests.filter((entry) => entry.path.includes('/connect/token'))).toHaveLength(0);
		expect(serializeForLeakCheck(error, thrownError, run)).not.toContain(plain.clientSecret);
	});
});
