/**
 * The ERP.net Trigger in `n8n start`: the shipped example "When a sales order changes, post it to a webhook",
 * published with n8n's standard Poll Times (every minute: n8n refuses anything shorter, see isSubMinuteCron in
 * n8n-workflow), posting to a local receiver. Sales orders are created and changed between polls, also while
 * n8n is stopped and restarted (the trigger's state lives in the workflow's static data in n8n's database),
 * with the sandbox's clock 7 minutes behind n8n's, timestamps in whole seconds (equal timestamps), a late
 * commit, a write between the pages of a running scan (3 records per page) and date-truncated filters.
 * Every change must arrive exactly once: no loss, no duplicate
 * (https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html). Then, while the workflow stays
 * published: the secret is rotated in ERP.net and in the n8n credential (REST API), and the credential is moved
 * to another ERP.net instance; the next polls use them, without publishing the workflow again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME, loadExampleWorkflows } from '../../scripts/examples';
import { unwrap } from '../../scripts/n8n-rest';
import { startCollector, type Collector } from './helpers/collector';
import { N8nInstance, type N8nServer, type WorkflowJson } from './helpers/n8n';
import { ORDERS, OrderChanges, type ExpectedChange } from './helpers/order-changes';
import { hashClientSecret } from '../../sandbox/src/identity';
import { TRUSTED_APPLICATIONS_SET } from '../../sandbox/src/identity/trusted-applications';
import { startE2eSandbox, type Sandbox, sandboxCredential } from './helpers/sandbox';

const WORKFLOW_ID = 'erpnetExOrderHook';
/** The server (ERP.net) is behind n8n: a trigger using n8n's clock would start its window in the future. */
const SERVER_CLOCK_OFFSET_MS = -7 * 60_000;
/** One poll is at most a minute away; n8n under load and the execution add to it. */
const ONE_POLL_MS = 150_000;

interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
}

const pairOf = (id: unknown, changedAt: unknown) =>
	`${String(id).toLowerCase()}@${new Date(String(changedAt)).toISOString()}`;

describe('ERP.net Trigger published in n8n start, across a restart', () => {
	let sandbox: Sandbox;
	let otherInstance: Sandbox | undefined;
	let collector: Collector;
	let n8n: N8nInstance;
	let server: N8nServer | undefined;
	let changes: OrderChanges;
	let triggerName: string;
	const timings: Record<string, number> = {};
	const began = Date.now();

	const arrived = () => collector.received.map((body) => pairOf(body.id, body.changedAt));

	async function assertNoFailedExecution(): Promise<ExecutionSummary[]> {
		if (!server) return [];
		const response = await server.rest.request(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }))}`,
		);
		if (response.status !== 200) throw new Error(`GET /rest/executions: HTTP ${response.status} ${response.text}`);
		const { results } = unwrap<{ results: ExecutionSummary[] }>(response.body);
		const failed = results.find((execution) => execution.status === 'error' || execution.status === 'crashed');
		if (failed) {
			const details = await server.rest.request('GET', `/rest/executions/${failed.id}`);
			throw new Error(`execution ${failed.id} of the trigger workflow failed: ${details.text.slice(0, 3000)}`);
		}
		return results;
	}

	/** Waits until every change in `wanted` has arrived at the webhook (and no execution failed). */
	async function waitForArrival(label: string, wanted: ExpectedChange[]): Promise<void> {
		const t0 = Date.now();
		const deadline = t0 + ONE_POLL_MS;
		for (;;) {
			await assertNoFailedExecution();
			const got = new Set(arrived());
			const missing = wanted.filter((change) => !got.has(pairOf(change.id, change.changedAt)));
			if (missing.length === 0) break;
			if (Date.now() > deadline) {
				throw new Error(
					`${label}: after ${ONE_POLL_MS / 1000} s still missing ${missing.map((c) => `${c.what} @ ${c.changedAt}`).join(', ')}; ` +
						`received ${JSON.stringify(collector.received)}\n${server?.output().slice(-3000) ?? ''}`,
				);
			}
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		timings[label] = Date.now() - t0;
	}

	/** The trigger's first scan (the activation poll of Start From: Now) has been answered. */
	async function waitForFirstScan(): Promise<void> {
		const deadline = Date.now() + ONE_POLL_MS;
		const isScan = () =>
			sandbox.requests.some(
				(r) =>
					r.path.endsWith(`/${ORDERS}`) &&
					decodeURIComponent(r.query.replace(/\+/g, ' ')).includes('AggregateLastUpdateTimeUtc ge'),
			);
		while (!isScan()) {
			if (Date.now() > deadline) throw new Error('the trigger never read the sales orders');
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	async function storedTriggerState(): Promise<{
		watermarkUtc?: string;
		seen: Record<string, string>;
		scan?: unknown;
	}> {
		const out = path.join(n8n.userFolder, 'exported-workflow.json');
		const cli = await n8n.cli(['export:workflow', `--id=${WORKFLOW_ID}`, `--output=${out}`]);
		if (cli.code !== 0 || !fs.existsSync(out))
			throw new Error(`export:workflow failed (exit ${cli.code}):\n${cli.stdout}\n${cli.stderr}`);
		const [exported] = JSON.parse(fs.readFileSync(out, 'utf8')) as Array<{
			staticData?: Record<string, { incrementalPull?: unknown }> | string | null;
		}>;
		const staticData = typeof exported.staticData === 'string' ? JSON.parse(exported.staticData) : exported.staticData;
		const state = staticData?.[`node:${triggerName}`]?.incrementalPull;
		if (!state) throw new Error(`no trigger state in the database: ${JSON.stringify(exported.staticData)}`);
		return state as { watermarkUtc?: string; seen: Record<string, string> };
	}

	/** Edits the credential as the editor saves it (PATCH with the redacted data; only `patch` changes). */
	async function editCredential(patch: Record<string, string>): Promise<void> {
		if (!server) throw new Error('n8n is not running');
		const stored = await server.rest.request('GET', `/rest/credentials/${EXAMPLE_CREDENTIAL_ID}?includeData=true`);
		const credential = unwrap<{ name: string; type: string; data: Record<string, unknown> }>(stored.body);
		const response = await server.rest.request('PATCH', `/rest/credentials/${EXAMPLE_CREDENTIAL_ID}`, {
			name: credential.name,
			type: credential.type,
			data: { ...credential.data, ...patch },
		});
		if (response.status !== 200) throw new Error(`PATCH /rest/credentials: HTTP ${response.status} ${response.text}`);
	}

	/** Waits for the next read of the sales orders by the trigger on `instance`, from the log's position `since`. */
	async function nextOrdersRead(instance: Sandbox, since: number): Promise<void> {
		const deadline = Date.now() + ONE_POLL_MS;
		while (!instance.requests.slice(since).some((r) => r.path.endsWith(`/${ORDERS}`) && r.status === 200)) {
			if (Date.now() > deadline) throw new Error('the trigger did not read the sales orders');
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	/** Waits for the next poll on `instance` to end (its reads, then 3 s without a request). */
	async function afterNextPoll(instance: Sandbox): Promise<void> {
		await nextOrdersRead(instance, instance.requests.length);
		for (let count = -1; count !== instance.requests.length; ) {
			count = instance.requests.length;
			await new Promise((resolve) => setTimeout(resolve, 3000));
		}
	}

	beforeAll(async () => {
		sandbox = await startE2eSandbox({ clock: { offsetMs: SERVER_CLOCK_OFFSET_MS, resolutionMs: 1000 } });
		sandbox.control.setMaxPageSize(3);
		sandbox.control.setAggregateTimeFilter('date');
		collector = await startCollector();
		changes = new OrderChanges(sandbox);
		n8n = N8nInstance.create('trigger');
		await n8n.importCredentials([sandboxCredential(sandbox, EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME)]);
		const example = loadExampleWorkflows().find((workflow) => workflow.id === WORKFLOW_ID);
		if (!example) throw new Error(`the example ${WORKFLOW_ID} is missing`);
		const workflow = JSON.parse(JSON.stringify(example)) as WorkflowJson;
		const post = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.httpRequest');
		const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-erpnet.erpNetTrigger');
		if (!post || !trigger) throw new Error('the example lost its nodes');
		expect(trigger.parameters.pollTimes).toEqual({ item: [{ mode: 'everyMinute' }] });
		triggerName = trigger.name;
		post.parameters.url = collector.url;
		await n8n.importWorkflows([workflow]);
		const published = await n8n.cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
		expect(published.code).toBe(0);
	});

	afterAll(async () => {
		await server?.stop();
		await collector?.close();
		await sandbox?.close();
		await otherInstance?.close();
		n8n?.remove();
		timings.total = Date.now() - began;
		process.stderr.write(`[e2e trigger] timings (ms): ${JSON.stringify(timings)}\n`);
	});

	test('every change made between polls, also across a restart of n8n, is posted exactly once', async () => {
		const seededIds = changes.existingIds();
		const seeded = (index: number) => seededIds[index];
		// every order is changed at most once per round (a second change in the same round would hide the first)
		const used = new Set([0, 1, 2, 4, 5, 7, 8].map(seeded));
		const [withLines, otherWithLines] = changes.ordersWithLines().filter((id) => !used.has(id));
		expect(otherWithLines).toBeDefined();
		// before the workflow runs: Start From "Now" leaves it out
		sandbox.store.patch(ORDERS, seeded(0), { Notes: 'before the trigger started' });
		const before = pairOf(seeded(0), sandbox.store.get(ORDERS, seeded(0))?.AggregateLastUpdateTimeUtc);

		server = await n8n.start();
		timings.firstStart = server.startMs;
		await waitForFirstScan();
		// the first scan remembers what is there; changes stamped after the second of its Date header count
		await new Promise((resolve) => setTimeout(resolve, 2000));

		// round 1, picked up by a scheduled poll
		const round1 = [
			changes.create(),
			changes.create(),
			changes.update(seeded(1)),
			changes.update(seeded(2)),
			changes.updateLine(withLines),
		];
		await waitForArrival('round1', round1);

		// round 2: again the same order, a commit that lands 2 minutes late (inside the 5-minute overlap), a
		// new order, and a change written while the scan reads its pages (behind or ahead of its cursor)
		const round2 = [changes.update(seeded(1)), changes.lateCommit(seeded(4), 120_000), changes.create()];
		let betweenPages: ExpectedChange | undefined;
		const cancelBetweenPages = sandbox.control.beforeNextPage(() => {
			betweenPages = changes.update(seeded(5), 'between pages:');
		});
		await waitForArrival('round2', round2);
		cancelBetweenPages();
		expect(betweenPages).toBeDefined();

		// round 3: changes after the last poll before the restart, and while n8n is down
		const round3 = [changes.create(), changes.update(seeded(2))];
		const stopped = Date.now();
		await server.stop();
		server = undefined;
		const stored = await storedTriggerState();
		expect(stored.watermarkUtc).toEqual(expect.any(String));
		for (const change of [...round1, ...round2]) expect(stored.seen[change.id]).toBeDefined();
		round3.push(changes.update(seeded(7)), changes.lateCommit(seeded(8), 180_000), changes.updateLine(otherWithLines));

		// after the restart: the activation poll picks up round 3 from the stored state
		server = await n8n.start();
		timings.secondStart = server.startMs;
		await waitForArrival('round3 (restart)', [...round3, betweenPages!]);
		timings.downtime = Date.now() - stopped;

		// round 4: a scheduled poll after the restart; its window (watermark - 5 minutes) still covers every earlier
		// change, so a duplicate would show here
		const round4 = [changes.create(), changes.update(seeded(1)), changes.update(seeded(4))];
		await waitForArrival('round4', round4);
		// let the execution that posted round 4 finish
		const settleBy = Date.now() + 60_000;
		while (
			(await assertNoFailedExecution()).some(
				(execution) => execution.status === 'running' || execution.status === 'new',
			)
		) {
			if (Date.now() > settleBy) throw new Error('an execution of the trigger workflow did not finish');
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}

		const expected = changes.expected.map((change) => pairOf(change.id, change.changedAt));
		expect(new Set(expected).size).toBe(expected.length);
		expect([...arrived()].sort()).toEqual([...expected].sort());
		expect(arrived()).not.toContain(before);
		const events = new Map(collector.received.map((body) => [pairOf(body.id, body.changedAt), body.event]));
		for (const change of changes.expected)
			expect([change.what, events.get(pairOf(change.id, change.changedAt))]).toEqual([change.what, change.event]);
		// the posted item is the record plus the envelope, as the example maps it
		const created = collector.received.find((body) => body.event === 'created');
		expect(created).toMatchObject({ documentNo: expect.stringMatching(/^E2E-TRG-/), customer: expect.any(String) });
	});

	test('a secret rotation and a move to another instance reach the published trigger at its next polls', async () => {
		expect(server).toBeDefined();
		const began = Date.now();
		const seeded = changes.existingIds();
		// right after a poll, so that no poll runs between the rotation in ERP.net and the edit in n8n
		await afterNextPoll(sandbox);
		const rotated = 'e2e-rotated-secret-Kp4';
		const app = sandbox.store
			.list(TRUSTED_APPLICATIONS_SET)
			.find((record) => record.ApplicationUri === sandbox.clientId);
		sandbox.store.patch(TRUSTED_APPLICATIONS_SET, app?.Id as string, {
			ApplicationSecretHash: hashClientSecret(rotated),
		});
		sandbox.control.revokeAllTokens();
		await editCredential({ clientSecret: rotated });
		const round5 = [changes.create(), changes.update(seeded[3])];
		await waitForArrival('round5 (secret rotated)', round5);
		const tokens = sandbox.requests.filter((r) => r.path.endsWith('/id/connect/token'));
		expect(tokens[tokens.length - 1].status).toBe(200);

		// the credential moved to another instance (its own data): that instance's own Start From (Now)
		otherInstance = await startE2eSandbox({
			seed: 11,
			clock: { offsetMs: SERVER_CLOCK_OFFSET_MS, resolutionMs: 1000 },
		});
		const otherChanges = new OrderChanges(otherInstance);
		const before = otherChanges.update(otherChanges.existingIds()[0], 'before the move:');
		otherChanges.expected.length = 0;
		await editCredential({ instanceUrl: otherInstance.url, clientSecret: otherInstance.clientSecret });
		await nextOrdersRead(otherInstance, 0);
		await new Promise((resolve) => setTimeout(resolve, 500));
		const movedAt = sandbox.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const round6 = [otherChanges.create(), otherChanges.update(otherChanges.existingIds()[2])];
		await waitForArrival('round6 (another instance)', round6);
		expect(sandbox.requests.slice(movedAt).filter((r) => r.path.startsWith('/api/domain/'))).toEqual([]);
		expect(arrived()).not.toContain(pairOf(before.id, before.changedAt));
		await assertNoFailedExecution();
		timings.credentialEdits = Date.now() - began;
	});
});
