/**
 * The ERP.net Instant Trigger in `n8n start`: the shipped example "New sales order to Slack, instantly" published,
 * Slack replaced by a local receiver. Publishing registers the push in the sandbox (web hook template + business
 * rule); orders are then created and changed through the sandbox's Domain API, and the sandbox pushes to n8n's
 * production URL as ERP.net does (https://docs.erp.net/tech/advanced/user-business-rules/action-types/webhook.html),
 * with some pushes dropped (a full queue discards them), one repeated (a retry after a lost answer), and those made
 * while n8n is stopped failing. Every new order must reach Slack exactly once; unpublishing must leave no web hook
 * template or business rule behind.
 */
import { EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME, loadExampleWorkflows } from '../../scripts/examples';
import type { PushLogEntry } from '../../sandbox/src';
import { ApiOrders } from './helpers/api-orders';
import { startCollector, type Collector } from './helpers/collector';
import { N8nInstance, type N8nServer, type WorkflowJson } from './helpers/n8n';
import { startE2eSandbox, type Sandbox, sandboxCredential } from './helpers/sandbox';

const WORKFLOW_ID = 'erpnetExOrderSlack';
const WEBHOOKS = 'Systems_Config_WebHooks';
const RULES = 'Systems_Bpm_UserBusinessRules';
const ARRIVAL_MS = 60_000;
/** ERP.net pauses 1 s after each push; shortened so that the test stays quick. */
const PUSH_PAUSE_MS = 100;
/** RetryLogic `Retry` (the node's template): the first attempt and up to 3 retries. */
const ATTEMPTS_WITH_RETRY = 4;

describe('ERP.net Instant Trigger published in n8n start, across a restart', () => {
	let sandbox: Sandbox;
	let collector: Collector;
	let n8n: N8nInstance;
	let server: N8nServer | undefined;
	let orders: ApiOrders;
	const timings: Record<string, number> = {};
	const began = Date.now();

	const ours = (set: string) => sandbox.store.list(set).filter((record) => String(record.Code).startsWith('n8n_'));
	const arrivedIds = () => collector.received.map((body) => String(body.id).toLowerCase());
	const webhooks = () => sandbox.control.webhooks;
	const statuses = (push: PushLogEntry) =>
		push.attempts.map((attempt) => [attempt.kind, attempt.status ?? attempt.error]);

	async function waitFor<T>(label: string, check: () => T | undefined): Promise<T> {
		const deadline = Date.now() + ARRIVAL_MS;
		for (;;) {
			const value = check();
			if (value !== undefined) return value;
			if (Date.now() > deadline) throw new Error(`${label}: timed out\n${server?.output().slice(-3000) ?? ''}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/** The registration n8n made: one template and one rule, the template pointing at n8n's production URL. */
	async function registered(): Promise<Record<string, unknown>> {
		return await waitFor('registration', () => {
			const templates = ours(WEBHOOKS);
			const url = server ? `${server.url}/webhook/` : '';
			return templates.length === 1 && String(templates[0].URL).startsWith(url) && ours(RULES).length === 1
				? templates[0]
				: undefined;
		});
	}

	async function arrival(label: string, ids: string[]): Promise<void> {
		const t0 = Date.now();
		await waitFor(label, () => (ids.every((id) => arrivedIds().includes(id.toLowerCase())) ? true : undefined));
		timings[label] = Date.now() - t0;
	}

	/** The sandbox's pushes queued since `since` pushes, once the queue has sent them all. */
	async function pushesSince(since: number): Promise<PushLogEntry[]> {
		await webhooks().idle();
		return webhooks().pushes().slice(since);
	}

	async function createOrders(count: number): Promise<string[]> {
		const ids: string[] = [];
		for (let index = 0; index < count; index++) ids.push(await orders.create());
		return ids;
	}

	beforeAll(async () => {
		sandbox = await startE2eSandbox();
		webhooks().configure({ pauseMs: PUSH_PAUSE_MS });
		collector = await startCollector();
		orders = new ApiOrders(sandbox);
		n8n = N8nInstance.create('instant');
		await n8n.importCredentials([sandboxCredential(sandbox, EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME)]);
		const example = loadExampleWorkflows().find((workflow) => workflow.id === WORKFLOW_ID);
		if (!example) throw new Error(`the example ${WORKFLOW_ID} is missing`);
		const workflow = JSON.parse(JSON.stringify(example)) as WorkflowJson;
		const post = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.httpRequest');
		if (!post) throw new Error('the example lost its Slack node');
		post.parameters.url = collector.url;
		await n8n.importWorkflows([workflow]);
		expect((await n8n.cli(['publish:workflow', `--id=${WORKFLOW_ID}`])).code).toBe(0);
	});

	afterAll(async () => {
		await server?.stop();
		await collector?.close();
		await sandbox?.close();
		n8n?.remove();
		timings.total = Date.now() - began;
		process.stderr.write(`[e2e instant trigger] timings (ms): ${JSON.stringify(timings)}\n`);
	});

	test('every new order reaches Slack exactly once with dropped and repeated pushes and across a restart; unpublishing removes the push', async () => {
		server = await n8n.start();
		timings.firstStart = server.startMs;
		const first = await registered();
		expect(String(first.Headers)).toMatch(/^x-n8n-erpnet-secret: [0-9a-f]{64}$/m);

		// without the secret n8n answers 401 and runs nothing
		const unsigned = await fetch(String(first.URL), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		expect(unsigned.status).toBe(401);

		// round 1: three orders while the queue is held; the pushes of the first two are lost, the third one's push
		// reads all three
		let since = webhooks().pushes().length;
		webhooks().pause();
		const round1 = await createOrders(3);
		webhooks().dropPushes({ next: 2 });
		webhooks().resume();
		await arrival('round1', round1);
		const pushes1 = await pushesSince(since);
		webhooks().clearFaults();
		expect(pushes1.map((push) => [push.objectId, push.outcome])).toEqual([
			[round1[0], 'dropped'],
			[round1[1], 'dropped'],
			[round1[2], 'delivered'],
		]);
		expect(pushes1[2].url).toBe(String(first.URL));
		expect(statuses(pushes1[2])).toEqual([['first', 200]]);
		expect(pushes1[2].headers).toContainEqual(['Content-Type', 'application/json']);

		// round 2: an update (not a new order: filtered out), then a new order whose push is sent 3 times
		since = webhooks().pushes().length;
		await orders.update(round1[1]);
		await webhooks().idle();
		webhooks().repeatPushes({ next: 1, times: 2 });
		const round2 = await createOrders(1);
		await arrival('round2', round2);
		const pushes2 = await pushesSince(since);
		webhooks().clearFaults();
		expect(pushes2.map((push) => [push.objectId, push.outcome, statuses(push)])).toEqual([
			[round1[1], 'delivered', [['first', 200]]],
			[
				round2[0],
				'delivered',
				[
					['first', 200],
					['repeat', 200],
					['repeat', 200],
				],
			],
		]);

		// round 3: orders created while n8n is down: their pushes fail (with retries), the orders arrive at its start
		await server.stop();
		server = undefined;
		since = webhooks().pushes().length;
		const round3 = await createOrders(2);
		const pushes3 = await pushesSince(since);
		expect(pushes3.map((push) => [push.objectId, push.outcome, push.url])).toEqual(
			round3.map((id) => [id, 'failed', String(first.URL)]),
		);
		for (const push of pushes3) {
			expect(push.attempts).toHaveLength(ATTEMPTS_WITH_RETRY);
			expect(push.attempts.every((attempt) => attempt.status === undefined && attempt.error)).toBe(true);
		}
		server = await n8n.start();
		timings.secondStart = server.startMs;
		await arrival('round3 (restart)', round3);
		const second = await registered();
		expect(second.Code).toBe(first.Code);

		// round 4: a push after the restart, to the new production URL, reads only what is new
		since = webhooks().pushes().length;
		const round4 = await createOrders(1);
		await arrival('round4', round4);
		const pushes4 = await pushesSince(since);
		expect(pushes4.map((push) => [push.objectId, push.outcome, push.url, statuses(push)])).toEqual([
			[round4[0], 'delivered', String(second.URL), [['first', 200]]],
		]);
		await new Promise((resolve) => setTimeout(resolve, 3000));

		const expected = [...round1, ...round2, ...round3, ...round4].map((id) => id.toLowerCase());
		expect([...arrivedIds()].sort()).toEqual([...expected].sort());
		expect(collector.received.find((body) => String(body.id).toLowerCase() === round2[0].toLowerCase())).toMatchObject({
			text: expect.stringMatching(/^New sales order E2E-TRG-/),
			documentNo: expect.stringMatching(/^E2E-TRG-/),
		});

		// unpublishing deletes the template and the rule
		const deactivated = await server.rest.request('POST', `/rest/workflows/${WORKFLOW_ID}/deactivate`, {});
		expect(deactivated.status).toBe(200);
		await waitFor('clean-up', () => (ours(WEBHOOKS).length === 0 && ours(RULES).length === 0 ? true : undefined));
	});
});
