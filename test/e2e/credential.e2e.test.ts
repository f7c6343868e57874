/**
 * The `erpNetApi` credential on its own, through n8n's HTTP Request node with the predefined credential type,
 * in a real n8n (2.41.1, and 1.123.81) run by its CLI: the exact token request, the token persisted and reused by
 * the next execution, a refresh after the sandbox revokes it, and a clear error for a wrong secret.
 */
import { N8nInstance, chainWorkflow, type WorkflowJson } from './helpers/n8n';
import {
	bearer,
	describeLog,
	domainRequests,
	startE2eSandbox,
	tokenRequests,
	type Sandbox,
	sandboxCredential,
} from './helpers/sandbox';

const CRED_ID = 'e2eCredGood01';
const BAD_CRED_ID = 'e2eCredBad01';
const WF_ID = 'e2eHttpCred01';
const BAD_WF_ID = 'e2eHttpCredBad01';
const WRONG_SECRET = 'not-the-secret-Zq9';

function httpRequestWorkflow(id: string, credentialId: string, credentialName: string, url: string): WorkflowJson {
	return chainWorkflow(id, `HTTP Request with erpNetApi (${id})`, [
		{
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'erpNetApi',
				options: {},
			},
			credentials: { erpNetApi: { id: credentialId, name: credentialName } },
		},
	]);
}

describe('erpNetApi credential in a real n8n (HTTP Request node, predefined credential type)', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	const timings: Record<string, number> = {};

	beforeAll(async () => {
		sandbox = await startE2eSandbox();
		n8n = N8nInstance.create('credential');
		const url = `${sandbox.url}/api/domain/odata/General_Currencies_Currencies?$top=2`;
		await n8n.importCredentials([
			sandboxCredential(sandbox, CRED_ID, 'ERP.net sandbox'),
			{
				id: BAD_CRED_ID,
				name: 'ERP.net wrong secret',
				type: 'erpNetApi',
				data: {
					instanceUrl: sandbox.url,
					clientId: sandbox.clientId,
					clientSecret: WRONG_SECRET,
					scope: 'read update',
					accessToken: '',
				},
			},
		]);
		await n8n.importWorkflows([
			httpRequestWorkflow(WF_ID, CRED_ID, 'ERP.net sandbox', url),
			httpRequestWorkflow(BAD_WF_ID, BAD_CRED_ID, 'ERP.net wrong secret', url),
		]);
	});

	afterAll(async () => {
		await sandbox?.close();
		n8n?.remove();
		process.stderr.write(`[e2e credential] timings (ms): ${JSON.stringify(timings)}\n`);
	});

	let firstToken = '';

	test('first execution: exactly one token request with the documented form, then the API call with that Bearer token', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute(WF_ID);
		timings.firstExecution = result.cli.tookMs;
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);

		const tokens = tokenRequests(sandbox, since);
		expect(tokens).toHaveLength(1);
		const [token] = tokens;
		expect(token.status).toBe(200);
		expect(token.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		const form = new URLSearchParams(token.body);
		expect([...form.keys()].sort()).toEqual(['client_id', 'client_secret', 'grant_type', 'scope']);
		expect(form.get('grant_type')).toBe('client_credentials');
		expect(form.get('client_id')).toBe(sandbox.clientId);
		expect(form.get('client_secret')).toBe(sandbox.clientSecret);
		expect(form.get('scope')).toBe('read update');
		// the token request itself carries no Authorization header
		expect(token.headers.authorization).toBeUndefined();

		const api = domainRequests(sandbox, since);
		expect(api).toHaveLength(1);
		expect(api[0].method).toBe('GET');
		expect(api[0].status).toBe(200);
		firstToken = bearer(api[0]);
		expect(firstToken).not.toBe('');
		// the secret goes to the token endpoint only
		for (const entry of sandbox.requests.slice(since)) {
			if (entry.path === '/id/connect/token') continue;
			expect(`${entry.url} ${JSON.stringify(entry.headers)} ${entry.body}`).not.toContain(sandbox.clientSecret);
		}
		expect(result.items('HTTP Request').length).toBeGreaterThan(0);
	});

	test('the token is persisted in the credential (export:credentials --decrypted)', async () => {
		const data = await n8n.exportCredential(CRED_ID);
		expect(data.accessToken).toBe(firstToken);
		expect(data.clientSecret).toBe(sandbox.clientSecret);
	});

	test('second execution reuses the stored token: no token request', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute(WF_ID);
		timings.secondExecution = result.cli.tookMs;
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		expect(tokenRequests(sandbox, since)).toHaveLength(0);
		const api = domainRequests(sandbox, since);
		expect(api).toHaveLength(1);
		expect(bearer(api[0])).toBe(firstToken);
		expect(api[0].status).toBe(200);
	});

	test('after the sandbox revokes every token: 401, one token request, the retry succeeds and the new token is stored', async () => {
		sandbox.control.revokeAllTokens();
		const since = sandbox.requests.length;
		const result = await n8n.execute(WF_ID);
		timings.refreshExecution = result.cli.tookMs;
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		const log = sandbox.requests.slice(since);
		const summary = describeLog(log);
		expect(tokenRequests(sandbox, since)).toHaveLength(1);
		const api = domainRequests(sandbox, since);
		expect(api.map((r) => r.status)).toEqual([401, 200]);
		expect(bearer(api[0])).toBe(firstToken);
		const newToken = bearer(api[1]);
		expect(newToken).not.toBe('');
		expect(newToken).not.toBe(firstToken);
		// order: failed call, auto-discovery (each `n8n execute` is a new process, so its discovery cache is empty),
		// token request, retried call
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET ${api[0].path}`,
			'GET /sys/auto-discovery',
			'POST /id/connect/token',
			`GET ${api[1].path}`,
		]);
		expect(summary).not.toContain(' -> 0');
		const data = await n8n.exportCredential(CRED_ID);
		expect(data.accessToken).toBe(newToken);
	});

	test('a wrong secret fails the execution with the clear invalid_client message, without the secret', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute(BAD_WF_ID);
		timings.wrongSecretExecution = result.cli.tookMs;
		expect(result.ok).toBe(false);
		expect(result.error?.message).toContain('ERP.net rejected the client ID or secret (invalid_client)');
		// The HTTP Request node uses n8n-core's legacy requestWithAuthentication, which runs preAuthentication
		// again after ANY failure (not only a 401), so a rejected secret is tried exactly twice.
		const tokens = tokenRequests(sandbox, since);
		expect(tokens.map((t) => t.status)).toEqual([400, 400]);
		// never reaches the Domain API without a token
		expect(domainRequests(sandbox, since)).toHaveLength(0);
		expect(JSON.stringify(result.run)).not.toContain(WRONG_SECRET);
		expect(result.cli.stdout + result.cli.stderr).not.toContain(WRONG_SECRET);
		const data = await n8n.exportCredential(BAD_CRED_ID);
		expect(data.accessToken ?? '').toBe('');
	});

	test('an OAuth error code that carries the secret is not shown, only that it was not a plain code', async () => {
		sandbox.control.injectFault({
			kind: 'status',
			method: 'POST',
			pathIncludes: '/id/connect/token',
			status: 400,
			times: 2,
			body: { error: `invalid_client_secret ${WRONG_SECRET}` },
		});
		const result = await n8n.execute(BAD_WF_ID);
		timings.secretInErrorCodeExecution = result.cli.tookMs;
		expect(result.ok).toBe(false);
		expect(result.error?.message).toBe(
			'ERP.net refused to issue an access token (an error code that is not a plain OAuth code, not shown).',
		);
		expect(JSON.stringify(result.run)).not.toContain(WRONG_SECRET);
		expect(result.cli.stdout + result.cli.stderr).not.toContain(WRONG_SECRET);
	});
});
