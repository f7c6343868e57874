/**
 * `n8n start` (regular mode) with the packed package and a published webhook workflow: a burst of concurrent
 * webhook executions on one credential shares one ERP.net session: one token request, one request in flight at a
 * time, no 429 (figures from the sandbox's counters), every execution answers with every record.
 */
import { burst, burstWorkflow, CUSTOMERS, waitForActivation } from './helpers/burst';
import { N8nInstance, type N8nServer } from './helpers/n8n';
import { startE2eSandbox, type Sandbox, sandboxCredential } from './helpers/sandbox';

const CRED = { id: 'e2eBurstCred01', name: 'ERP.net sandbox (burst)' };
const WF_ID = 'e2eBurstWebhook01';
const CALLS = 20;
const CUSTOMER_COUNT = 1500;

describe('n8n start: a burst of webhook executions on one credential', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let server: N8nServer | undefined;

	beforeAll(async () => {
		sandbox = await startE2eSandbox({ sizes: { customers: CUSTOMER_COUNT }, latencyMs: 20 });
		n8n = N8nInstance.create('burst');
		await n8n.importCredentials([sandboxCredential(sandbox, CRED.id, CRED.name)]);
		await n8n.importWorkflows([burstWorkflow(WF_ID, CRED)]);
		const published = await n8n.cli(['publish:workflow', `--id=${WF_ID}`]);
		if (published.code !== 0) throw new Error(`publish:workflow failed:\n${published.stdout}\n${published.stderr}`);
		// a loaded machine (CI running several n8n processes) may need more than the default 2 minutes
		server = await n8n.start(300000);
		await waitForActivation(server.output, WF_ID, server.url);
	});

	afterAll(async () => {
		await server?.stop();
		await sandbox?.close();
		n8n?.remove();
	});

	test(`${CALLS} concurrent webhook calls: 1 token request, 1 session, never 2 requests at once, no 429, every record`, async () => {
		const allIds = new Set(sandbox.store.list(CUSTOMERS).map((customer) => String(customer.Id)));

		const result = await burst(server!.url, CALLS);

		expect(result.failures).toEqual([]);
		for (const ids of result.records) {
			expect(ids).toHaveLength(CUSTOMER_COUNT);
			expect(new Set(ids)).toEqual(allIds);
		}
		const counters = sandbox.counters();
		process.stderr.write(`[e2e burst] ${JSON.stringify({ ...counters, sessions: counters.sessions.map((s) => [s.requests, s.maxInFlight]) })}\n`);
		expect(counters.tokenRequests).toBe(1);
		expect(counters.sessionsOpened).toBe(1);
		expect(counters.maxInFlightPerSession).toBe(1);
		expect(counters.tooManyRequests).toBe(0);
		expect(counters.sessions[0].requests).toBe(CALLS * 2);
	});
});
