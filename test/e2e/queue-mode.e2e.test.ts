/**
 * n8n queue mode (main + 2 workers, PostgreSQL and Redis from Debian's packages, started here on free loopback
 * ports) with the packed package: a burst of concurrent webhook executions of one credential. Each worker
 * process keeps its own ERP.net session: no token is used by two processes at once, requests on a token go
 * one at a time, no 429, and at most one token request per worker.
 */
import { burst, burstWorkflow, CUSTOMERS, waitForActivation } from './helpers/burst';
import { startQueueCluster, startQueueServices, type QueueCluster, type QueueServices } from './helpers/queue-mode';
import { domainRequests, startE2eSandbox, tokenRequests, type Sandbox, sandboxCredential } from './helpers/sandbox';

const CRED = { id: 'e2eQueueCred01', name: 'ERP.net sandbox (queue)' };
const WF_ID = 'e2eQueueBurst01';
const WORKERS = 2;
const CALLS = 20;
/** Two pages of 1,000 for every execution. */
const CUSTOMER_COUNT = 1500;

describe('n8n queue mode: main + 2 workers, a burst of webhook executions on one credential', () => {
	let sandbox: Sandbox;
	let services: QueueServices | undefined;
	let cluster: QueueCluster | undefined;
	const timings: Record<string, number> = {};

	beforeAll(
		async () => {
			let t0 = Date.now();
			sandbox = await startE2eSandbox({ sizes: { customers: CUSTOMER_COUNT }, latencyMs: 20 });
			services = await startQueueServices();
			timings.services = Date.now() - t0;
			t0 = Date.now();
			cluster = await startQueueCluster(services, WORKERS, async (main) => {
				await main.importCredentials([sandboxCredential(sandbox, CRED.id, CRED.name)]);
				await main.importWorkflows([burstWorkflow(WF_ID, CRED)]);
				const published = await main.cli(['publish:workflow', `--id=${WF_ID}`]);
				if (published.code !== 0) throw new Error(`publish:workflow failed:\n${published.stdout}\n${published.stderr}`);
			});
			await waitForActivation(cluster.main.output, WF_ID, cluster.main.url);
			timings.cluster = Date.now() - t0;
		},
		15 * 60 * 1000,
	);

	afterAll(async () => {
		await cluster?.stop();
		await services?.stop();
		await sandbox?.close();
		process.stderr.write(`[e2e queue] timings (ms): ${JSON.stringify(timings)}\n`);
	});

	test('20 concurrent webhook executions all complete with every record; one session per worker, never shared', async () => {
		const allIds = new Set(sandbox.store.list(CUSTOMERS).map((customer) => String(customer.Id)));
		// warm-up: a few executions so that both workers have taken jobs
		const warmUp = await burst(cluster!.main.url, 4);
		expect(warmUp.failures).toEqual([]);
		const warmUpCounters = sandbox.counters();
		sandbox.control.resetCounters();
		const since = sandbox.requests.length;

		const t0 = Date.now();
		const result = await burst(cluster!.main.url, CALLS);
		timings.burst = Date.now() - t0;

		expect(result.failures).toEqual([]);
		expect(result.statuses).toEqual(Array(CALLS).fill(200));
		for (const ids of result.records) {
			expect(ids).toHaveLength(CUSTOMER_COUNT);
			expect(new Set(ids)).toEqual(allIds);
		}
		const counters = sandbox.counters();
		process.stderr.write(`[e2e queue] warm-up ${JSON.stringify({ ...warmUpCounters, sessions: undefined })}\n`);
		process.stderr.write(
			`[e2e queue] burst ${JSON.stringify({ ...counters, sessions: counters.sessions.map((s) => [s.requests, s.maxInFlight]) })}\n`,
		);
		expect(counters.tooManyRequests).toBe(0);
		expect(counters.maxInFlightPerSession).toBeLessThanOrEqual(1);
		// tokens: at most one per worker over the whole run (warm-up included), each used one request at a time
		expect(warmUpCounters.tokenRequests + counters.tokenRequests).toBeLessThanOrEqual(WORKERS);
		const tokens = new Set(domainRequests(sandbox, since).map((entry) => entry.tokenJti));
		expect(tokens.size).toBeLessThanOrEqual(WORKERS);
		expect(tokenRequests(sandbox, since).length).toBe(counters.tokenRequests);
	});
});
