/**
 * `n8n start` (regular mode) with the packed package and a published webhook workflow: a burst of concurrent
 * webhook executions on one credential shares one ERP.net session: one token request, one request in flight at a
 * time, no 429 (figures from the sandbox's counters), every execution answers with every record.
 * In the same n8n process, a second credential with two sessions and short-lived tokens: errors that echo the
 * tokens of session 2 and renewed tokens (never stored in the credential) reach neither the executions nor the log.
 */
import { unwrap } from '../../scripts/n8n-rest';
import { burst, burstWorkflow, CUSTOMERS, waitForActivation } from './helpers/burst';
import { echoSentTokens, LIVE_TOKENS_PATH, liveTokensWorkflow, tokenSpellings } from './helpers/live-tokens';
import { N8nInstance, type N8nServer } from './helpers/n8n';
import { startE2eSandbox, type Sandbox, sandboxCredential } from './helpers/sandbox';

const CRED = { id: 'e2eBurstCred01', name: 'ERP.net sandbox (burst)' };
const WF_ID = 'e2eBurstWebhook01';
const CALLS = 20;
const CUSTOMER_COUNT = 1500;
const LIVE_CRED = { id: 'e2eLiveTokCred01', name: 'ERP.net sandbox (2 sessions)' };
const LIVE_WF_ID = 'e2eLiveTokens01';
/** Short enough that the pool renews its tokens between two bursts, long enough to outlast one burst. */
const TOKEN_LIFETIME_SECONDS = 5;
const LIVE_CALLS = 6;

async function callLiveTokens(baseUrl: string, calls: number): Promise<Array<{ status: number; text: string }>> {
	return Promise.all(
		Array.from({ length: calls }, async () => {
			const response = await fetch(`${baseUrl}/webhook/${LIVE_TOKENS_PATH}`, { signal: AbortSignal.timeout(120000) });
			return { status: response.status, text: await response.text() };
		}),
	);
}

describe('n8n start: a burst of webhook executions on one credential', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let server: N8nServer | undefined;
	let echoedCustomer: string;

	beforeAll(async () => {
		sandbox = await startE2eSandbox({ sizes: { customers: CUSTOMER_COUNT }, latencyMs: 20 });
		echoedCustomer = String(sandbox.store.list(CUSTOMERS)[0].Id);
		n8n = N8nInstance.create('burst');
		const twoSessions = sandboxCredential(sandbox, LIVE_CRED.id, LIVE_CRED.name);
		await n8n.importCredentials([
			sandboxCredential(sandbox, CRED.id, CRED.name),
			{ ...twoSessions, data: { ...twoSessions.data, sessionsPerProcess: 2 } },
		]);
		await n8n.importWorkflows([burstWorkflow(WF_ID, CRED), liveTokensWorkflow(LIVE_WF_ID, LIVE_CRED, echoedCustomer)]);
		for (const id of [WF_ID, LIVE_WF_ID]) {
			const published = await n8n.cli(['publish:workflow', `--id=${id}`]);
			if (published.code !== 0) throw new Error(`publish:workflow failed:\n${published.stdout}\n${published.stderr}`);
		}
		// a loaded machine (CI running several n8n processes) may need more than the default 2 minutes
		server = await n8n.start(300000);
		await waitForActivation(server.output, WF_ID, server.url);
		await waitForActivation(server.output, LIVE_WF_ID, server.url, LIVE_TOKENS_PATH);
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
		process.stderr.write(
			`[e2e burst] ${JSON.stringify({ ...counters, sessions: counters.sessions.map((s) => [s.requests, s.maxInFlight]) })}\n`,
		);
		expect(counters.tokenRequests).toBe(1);
		expect(counters.sessionsOpened).toBe(1);
		expect(counters.maxInFlightPerSession).toBe(1);
		expect(counters.tooManyRequests).toBe(0);
		expect(counters.sessions[0].requests).toBe(CALLS * 2);
	});

	test('errors echoing the tokens of session 2 and of renewed tokens: in no execution, answer or log line', async () => {
		const t0 = Date.now();
		const logStart = server!.output().length;
		sandbox.control.setTokenLifetime(TOKEN_LIFETIME_SECONDS);
		const echo = echoSentTokens(sandbox, echoedCustomer);
		let answers: Array<{ status: number; text: string }>;
		try {
			answers = await callLiveTokens(server!.url, LIVE_CALLS);
			// past the renewal point of both sessions' tokens: the pool renews them itself
			await new Promise((resolve) => setTimeout(resolve, TOKEN_LIFETIME_SECONDS * 1000));
			answers.push(...(await callLiveTokens(server!.url, LIVE_CALLS)));
		} finally {
			echo.uninstall();
			sandbox.control.setTokenLifetime(3600);
		}

		// every call failed its read and its $batch part on an echo and answered with the item's error
		expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
		expect(echo.sent).toHaveLength(LIVE_CALLS * 2 * 2);
		expect(echo.batchEchoes).toBe(LIVE_CALLS * 2);
		for (const answer of answers) expect(answer.text).toMatch(/error/i);
		// both sessions in the first burst (two tokens at once), renewed tokens in the second
		const issued = [...new Set(echo.issued)];
		expect(new Set(echo.sent.slice(0, LIVE_CALLS * 2)).size).toBe(2);
		expect(issued.length).toBeGreaterThanOrEqual(3);
		expect(echo.sent.filter((token) => !issued.includes(token))).toEqual([]);

		interface ExecutionSummary {
			id: string;
			status: string;
		}
		const filter = encodeURIComponent(JSON.stringify({ workflowId: LIVE_WF_ID }));
		const list = await server!.rest.request('GET', `/rest/executions?filter=${filter}`);
		expect(list.status).toBe(200);
		const { results } = unwrap<{ results: ExecutionSummary[] }>(list.body);
		expect(results).toHaveLength(LIVE_CALLS * 2);
		const executions = await Promise.all(results.map((e) => server!.rest.request('GET', `/rest/executions/${e.id}`)));
		for (const execution of executions) expect(execution.status).toBe(200);
		const seen = [
			...answers.map((answer) => answer.text),
			...executions.map((execution) => execution.text),
			server!.output().slice(logStart),
		].join('\n');
		const leaked = issued.flatMap(tokenSpellings).filter((spelling) => seen.includes(spelling));
		process.stderr.write(
			`[e2e live tokens] ${JSON.stringify({ ms: Date.now() - t0, issued: issued.length, leaked: leaked.length })}\n`,
		);
		expect(leaked).toEqual([]);
		// the execution data holds the nodes' errors (redacted), not only the summary
		for (const execution of executions) expect(execution.text).toContain('***');
	});
});
