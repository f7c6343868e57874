/**
 * `n8n start` with the package installed: the node and its AI-tool variant in the editor's node types, the
 * credential test endpoint the editor's "Test" button calls, and a published workflow with a Schedule Trigger
 * (the shipped hourly CSV example, set to every few seconds) running on its own.
 */
import * as fs from 'node:fs';

import { EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME, loadExampleWorkflows } from '../../scripts/examples';
import { unwrap } from '../../scripts/n8n-rest';
import { N8nInstance, type N8nServer, type WorkflowJson } from './helpers/n8n';
import {
	describeLog,
	domainRequests,
	startE2eSandbox,
	tokenRequests,
	type Sandbox,
	sandboxCredential,
} from './helpers/sandbox';
import { insertRecentSalesOrder } from './helpers/data';

const SCHEDULE_WF_ID = 'e2eScheduleCsv01';
const SCHEDULE_SECONDS = 3;

interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	description?: string;
	usableAsTool?: boolean;
	codex?: { categories?: string[]; subcategories?: Record<string, string[]> };
	outputs?: unknown;
	properties: Array<{ name: string; default?: unknown; type?: string; options?: Array<{ value?: unknown }> }>;
}

interface CredentialTestAnswer {
	status: 'OK' | 'Error';
	message: string;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

describe('n8n start with the package installed', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let server: N8nServer;
	let newOrderNo: string;
	const timings: Record<string, number> = {};

	beforeAll(async () => {
		sandbox = await startE2eSandbox();
		n8n = N8nInstance.create('server');
		await n8n.importCredentials([sandboxCredential(sandbox, EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME)]);
		// the shipped hourly example, published with a schedule of a few seconds
		const hourly = loadExampleWorkflows().find((w) => w.id === 'erpnetExHourlyCsv');
		if (!hourly) throw new Error('the hourly CSV example is missing');
		const scheduled = JSON.parse(JSON.stringify(hourly)) as WorkflowJson;
		scheduled.id = SCHEDULE_WF_ID;
		scheduled.name = `${hourly.name} (every ${SCHEDULE_SECONDS} s)`;
		const trigger = scheduled.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger');
		if (!trigger) throw new Error('the hourly example has no Schedule Trigger');
		trigger.parameters = { rule: { interval: [{ field: 'seconds', secondsInterval: SCHEDULE_SECONDS }] } };
		await n8n.importWorkflows([scheduled]);
		const published = await n8n.cli(['publish:workflow', `--id=${SCHEDULE_WF_ID}`]);
		expect(published.code).toBe(0);
		newOrderNo = insertRecentSalesOrder(sandbox, { minutesAgo: 5 }).DocumentNo;

		server = await n8n.start();
		timings.n8nStart = server.startMs;
	});

	afterAll(async () => {
		await server?.stop();
		await sandbox?.close();
		n8n?.remove();
		process.stderr.write(`[e2e server] timings (ms): ${JSON.stringify(timings)}\n`);
	});

	test('the editor lists the ERP.net node and its AI-tool variant (usableAsTool)', async () => {
		const response = await server.rest.request<NodeTypeDescription[]>('GET', '/types/nodes.json');
		expect(response.status).toBe(200);
		const types = response.body;
		const node = types.find((t) => t.name === 'n8n-nodes-erpnet.erpNet');
		const tool = types.find((t) => t.name === 'n8n-nodes-erpnet.erpNetTool');
		expect(node).toBeDefined();
		expect(node!.displayName).toBe('ERP.net');
		expect(node!.usableAsTool).toBe(true);
		const operations = node!.properties.find((p) => p.name === 'operation');
		expect(operations?.options?.map((o) => o.value)).toEqual(
			expect.arrayContaining(['getAll', 'get', 'create', 'update', 'delete']),
		);
		// n8n generates the tool variant from the node: an AI "Tools" node with a tool description parameter
		expect(tool).toBeDefined();
		expect(tool!.codex?.categories).toContain('AI');
		expect(tool!.codex?.subcategories?.AI).toContain('Tools');
		const toolDescription = tool!.properties.find((p) => p.name === 'toolDescription');
		expect(toolDescription).toBeDefined();
		// what an AI agent reads about the tool: the node's own description
		expect(toolDescription!.default).toBe(node!.description);
		expect(String(node!.description).length).toBeGreaterThan(30);
		expect(tool!.properties.map((p) => p.name)).toEqual(expect.arrayContaining(['resource', 'operation', 'entitySet']));
	});

	test('the credential list of the editor knows erpNetApi', async () => {
		const response = await server.rest.request<Array<{ name: string; displayName: string }>>(
			'GET',
			'/types/credentials.json',
		);
		expect(response.status).toBe(200);
		expect(response.body.find((c) => c.name === 'erpNetApi')?.displayName).toBe('ERP.net API');
	});

	test('POST /rest/credentials/test succeeds with the stored settings, as the editor sends them (redacted)', async () => {
		const stored = await server.rest.request('GET', `/rest/credentials/${EXAMPLE_CREDENTIAL_ID}?includeData=true`);
		expect(stored.status).toBe(200);
		const credential = unwrap<{ id: string; name: string; type: string; data: Record<string, unknown> }>(stored.body);
		// the secret never leaves the server
		expect(JSON.stringify(credential)).not.toContain(sandbox.clientSecret);
		const since = sandbox.requests.length;
		const t0 = Date.now();
		const response = await server.rest.request('POST', '/rest/credentials/test', {
			credentials: { id: credential.id, name: credential.name, type: credential.type, data: credential.data },
		});
		timings.credentialTestGood = Date.now() - t0;
		expect(response.status).toBe(200);
		expect(unwrap<CredentialTestAnswer>(response.body)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const log = sandbox.requests.slice(since);
		// The published Schedule Trigger workflow (beforeAll) runs on the same credential in this n8n process: the
		// process has one token for the credential (core/session, single-flight), so the test and that run share
		// at most one token request, none if the run already took the token.
		expect(tokenRequests(sandbox, since).length).toBeLessThanOrEqual(1);
		const api = domainRequests(sandbox, since).filter((r) => r.path.includes('/odata/'));
		expect(api.length).toBeGreaterThanOrEqual(1);
		expect(api[api.length - 1].status).toBe(200);
		expect(describeLog(log)).not.toContain(sandbox.clientSecret);
	});

	test('POST /rest/credentials/test fails with the clear invalid_client message for a wrong secret', async () => {
		const stored = await server.rest.request('GET', `/rest/credentials/${EXAMPLE_CREDENTIAL_ID}?includeData=true`);
		const credential = unwrap<{ id: string; name: string; type: string; data: Record<string, unknown> }>(stored.body);
		const since = sandbox.requests.length;
		// the user edits only the secret; the stored token (redacted) is still sent back by the editor
		const response = await server.rest.request('POST', '/rest/credentials/test', {
			credentials: {
				id: credential.id,
				name: credential.name,
				type: credential.type,
				data: { ...credential.data, clientSecret: 'wrong-secret-e2e' },
			},
		});
		expect(response.status).toBe(200);
		const answer = unwrap<CredentialTestAnswer>(response.body);
		expect(answer.status).toBe('Error');
		expect(answer.message).toBe(
			"ERP.net rejected the client ID or secret (invalid_client). Check the trusted application's ApplicationUri and secret.",
		);
		expect(answer.message).not.toContain('wrong-secret-e2e');
		const tokens = tokenRequests(sandbox, since);
		expect(tokens.length).toBeGreaterThanOrEqual(1);
		expect(tokens.every((t) => t.status === 400)).toBe(true);
		// the credential test's own request (the published Schedule Trigger workflow reads other sets meanwhile, with
		// this n8n process's good token): never answered with data
		const testRequests = domainRequests(sandbox, since).filter((r) => r.path.includes('General_Currencies_Currencies'));
		expect(testRequests.filter((r) => r.status === 200)).toEqual([]);
	});

	test('the published Schedule Trigger workflow runs by itself and writes the CSV of the new sales order', async () => {
		interface ExecutionSummary {
			id: string;
			status: string;
			mode: string;
			workflowId: string;
		}
		const t0 = Date.now();
		const execution = await waitFor('a successful scheduled execution', 240000, async () => {
			const response = await server.rest.request(
				'GET',
				`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: SCHEDULE_WF_ID }))}`,
			);
			if (response.status !== 200) throw new Error(`GET /rest/executions: HTTP ${response.status} ${response.text}`);
			const { results } = unwrap<{ results: ExecutionSummary[] }>(response.body);
			const failed = results.find((e) => e.status === 'error' || e.status === 'crashed');
			if (failed) {
				const details = await server.rest.request('GET', `/rest/executions/${failed.id}`);
				throw new Error(`scheduled execution ${failed.id} failed: ${details.text.slice(0, 3000)}`);
			}
			return results.find((e) => e.status === 'success');
		});
		timings.firstScheduledRun = Date.now() - t0;
		expect(execution.mode).toBe('trigger');

		const files = await waitFor('the CSV file', 60000, async () => {
			const found = fs.readdirSync(n8n.filesDir).filter((f) => /^sales-orders-.*\.csv$/.test(f));
			return found.length > 0 ? found : undefined;
		});
		const csv = fs.readFileSync(`${n8n.filesDir}/${files[0]}`, 'utf8');
		const [header, ...rows] = csv.trim().split('\n');
		expect(header).toBe('DocumentNo,DocumentDate,CreationTime,State,Customer,Amount,Currency,Id');
		expect(rows.length).toBeGreaterThanOrEqual(1);
		expect(rows.some((row) => row.startsWith(`${newOrderNo},`))).toBe(true);
		const orders = domainRequests(sandbox).filter((r) => r.path.endsWith('/Crm_Sales_SalesOrders'));
		expect(orders.length).toBeGreaterThanOrEqual(1);
		expect(decodeURIComponent(orders[0].query)).toContain('CreationTime ge ');
	});
});
