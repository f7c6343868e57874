/**
 * Instance auto-discovery and the reference-token credential in a real n8n 2.41.1 (`n8n execute`, the packed
 * package): the sandbox serves its Domain API on a second origin that only `/sys/auto-discovery` names, and the
 * node reaches it with the client-credentials credential and with an `enrt_` reference token; the sandbox's log
 * shows where each token went.
 */
import { N8nInstance, chainWorkflow, type ExecuteResult } from './helpers/n8n';
import { describeLog, startE2eSandbox, type RequestLogEntry, type Sandbox, sandboxCredential } from './helpers/sandbox';

const CLIENT_CRED_ID = 'e2eDiscCred01';
const TOKEN_CRED_ID = 'e2eDiscRefTok01';
const REVOKED_CRED_ID = 'e2eDiscRefTok02';

const getThree = {
	resource: 'entity',
	operation: 'getAll',
	entitySet: { __rl: true, mode: 'name', value: 'Crm_Sales_Customers' },
	returnAll: false,
	limit: 3,
	options: {},
};

function expectOk(result: ExecuteResult): void {
	if (!result.ok) {
		throw new Error(
			`execution failed (n8n exit code ${result.cli.code}, signal ${result.cli.signal}): ${result.error?.message}\n${result.error?.description ?? ''}\n${result.cli.stderr.slice(-2000)}\n${result.cli.stdout.slice(-2000)}`,
		);
	}
}

/** Log entries that carried a token, as `origin path`. */
function tokenBearing(entries: RequestLogEntry[]): string[] {
	return entries
		.filter((entry) => entry.headers.authorization || entry.headers['x-api-key'])
		.map((entry) => `${entry.origin} ${entry.path}`);
}

describe('auto-discovery and the reference-token credential in a real n8n', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let apiOrigin: string;
	let referenceToken: string;
	let revokedToken: string;

	beforeAll(async () => {
		sandbox = await startE2eSandbox({
			domainApiSite: 'separate',
			sizes: { customers: 25, products: 5, salesOrders: 2 },
		});
		apiOrigin = new URL(sandbox.apiSiteUrl!).origin;
		referenceToken = sandbox.control.issueReferenceToken().token;
		revokedToken = sandbox.control.issueReferenceToken().token;
		sandbox.control.revokeReferenceToken(revokedToken);
		const tokenCredential = (id: string, name: string, token: string) => ({
			id,
			name,
			type: 'erpNetReferenceTokenApi',
			data: { instanceUrl: sandbox.url, referenceToken: token },
		});
		n8n = N8nInstance.create('discovery');
		await n8n.importCredentials([
			sandboxCredential(sandbox, CLIENT_CRED_ID, 'ERP.net (client credentials)'),
			tokenCredential(TOKEN_CRED_ID, 'ERP.net (reference token)', referenceToken),
			tokenCredential(REVOKED_CRED_ID, 'ERP.net (revoked reference token)', revokedToken),
		]);
		const node = (credentialType: string, id: string, name: string, authentication?: string) => ({
			name: 'ERP.net',
			type: 'n8n-nodes-erpnet.erpNet',
			typeVersion: 1,
			parameters: authentication ? { authentication, ...getThree } : getThree,
			credentials: { [credentialType]: { id, name } },
		});
		await n8n.importWorkflows([
			chainWorkflow('e2eDiscClient', 'Discovered API, client credentials', [
				node('erpNetApi', CLIENT_CRED_ID, 'ERP.net (client credentials)'),
			]),
			chainWorkflow('e2eDiscToken', 'Discovered API, reference token', [
				node('erpNetReferenceTokenApi', TOKEN_CRED_ID, 'ERP.net (reference token)', 'referenceToken'),
			]),
			chainWorkflow('e2eDiscRevoked', 'Revoked reference token', [
				node('erpNetReferenceTokenApi', REVOKED_CRED_ID, 'ERP.net (revoked reference token)', 'referenceToken'),
			]),
		]);
	});

	afterAll(async () => {
		await sandbox?.close();
		n8n?.remove();
	});

	test('client credentials: discovery without a token, the token from the Identity, the data from the second origin', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eDiscClient');
		expectOk(result);
		expect(result.items('ERP.net')).toHaveLength(3);

		const log = sandbox.requests.slice(since);
		const summary = describeLog(log);
		expect(log.filter((entry) => entry.path === '/sys/auto-discovery' && !entry.headers.authorization)).toHaveLength(1);
		expect(log.filter((entry) => entry.path === '/id/connect/token').map((entry) => entry.origin)).toEqual([
			new URL(sandbox.url).origin,
		]);
		const carried = tokenBearing(log);
		expect(carried.length).toBeGreaterThan(0);
		expect(carried.every((line) => line.startsWith(`${apiOrigin} /domain/odata/`))).toBe(true);
		expect(summary).not.toMatch(/\/api\/domain\//);
	});

	test('reference token: sent as Bearer to the discovered Domain API only, no token request', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eDiscToken');
		expectOk(result);
		expect(result.items('ERP.net')).toHaveLength(3);

		const log = sandbox.requests.slice(since);
		expect(log.filter((entry) => entry.path === '/id/connect/token')).toHaveLength(0);
		const withToken = log.filter((entry) => entry.headers.authorization === `Bearer ${referenceToken}`);
		expect(withToken.length).toBeGreaterThan(0);
		expect(tokenBearing(log)).toEqual(withToken.map((entry) => `${apiOrigin} ${entry.path}`));
	});

	test('a discovered Identity on another domain: refused before the secret is sent, the error names both hosts', async () => {
		sandbox.control.injectFault({
			kind: 'status',
			pathIncludes: '/sys/auto-discovery',
			status: 200,
			body: { WebSites: [{ Type: 'ID', Status: 'Working', Url: 'https://id.example.net/id' }] },
		});
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eDiscClient');
		expect(result.ok).toBe(false);
		expect(result.error?.message).toContain(
			`auto-discovery for ${new URL(sandbox.url).host} names a site on another domain: Identity at id.example.net`,
		);
		expect(sandbox.requests.slice(since).filter((entry) => entry.path.includes('/connect/token'))).toHaveLength(0);
		expect(JSON.stringify(result.run) + result.cli.stdout + result.cli.stderr).not.toContain(sandbox.clientSecret);
	});

	test('revoked reference token: the error says to issue a new one and does not contain the token', async () => {
		const result = await n8n.execute('e2eDiscRevoked');
		expect(result.ok).toBe(false);
		expect(result.error?.message).toBe(
			'ERP.net rejected the reference token (401): it was revoked. Issue a new reference token.',
		);
		expect(JSON.stringify(result.run)).not.toContain(revokedToken);
		expect(result.cli.stdout + result.cli.stderr).not.toContain(revokedToken);
	});
});
