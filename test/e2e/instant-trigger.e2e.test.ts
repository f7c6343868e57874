/**
 * The ERP.net Instant Trigger in `n8n start`: the shipped example "New sales order to Slack, instantly" published,
 * Slack replaced by a local receiver. Publishing registers the push in the sandbox (web hook template + business
 * rule); the test then plays ERP.net's push queue: it renders the registered template for a changed order
 * (URL, Headers, Body) and POSTs it to n8n's production URL, leaving some pushes out (a full queue discards them)
 * and sending others twice (retries). Orders are also created while n8n is stopped. Every new order must reach
 * Slack exactly once; unpublishing must leave no web hook template or business rule behind.
 */
import { EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME, loadExampleWorkflows } from '../../scripts/examples';
import { renderPush } from '../nodes/ErpNet/instantTrigger/pushes';
import { startCollector, type Collector } from './helpers/collector';
import { N8nInstance, type N8nServer, type WorkflowJson } from './helpers/n8n';
import { ORDERS, OrderChanges } from './helpers/order-changes';
import { startE2eSandbox, type Sandbox, sandboxCredential } from './helpers/sandbox';

const WORKFLOW_ID = 'erpnetExOrderSlack';
const WEBHOOKS = 'Systems_Config_WebHooks';
const RULES = 'Systems_Bpm_UserBusinessRules';
const ARRIVAL_MS = 60_000;

describe('ERP.net Instant Trigger published in n8n start, across a restart', () => {
	let sandbox: Sandbox;
	let collector: Collector;
	let n8n: N8nInstance;
	let server: N8nServer | undefined;
	let changes: OrderChanges;
	const timings: Record<string, number> = {};
	const began = Date.now();

	const ours = (set: string) => sandbox.store.list(set).filter((record) => String(record.Code).startsWith('n8n_'));
	const arrivedIds = () => collector.received.map((body) => String(body.id).toLowerCase());

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
			return templates.length === 1 && String(templates[0].URL).startsWith(url) && ours(RULES).length === 1 ? templates[0] : undefined;
		});
	}

	/** ERP.net's push for an order, as the registered template renders it, POSTed to n8n. */
	async function push(orderId: string): Promise<number> {
		const template = await registered();
		const rendered = renderPush(sandbox, String(template.Code), ORDERS, orderId);
		const response = await fetch(rendered.url, { method: 'POST', headers: rendered.headers, body: rendered.body });
		return response.status;
	}

	async function arrival(label: string, ids: string[]): Promise<void> {
		const t0 = Date.now();
		await waitFor(label, () => (ids.every((id) => arrivedIds().includes(id)) ? true : undefined));
		timings[label] = Date.now() - t0;
	}

	beforeAll(async () => {
		sandbox = await startE2eSandbox();
		collector = await startCollector();
		changes = new OrderChanges(sandbox);
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
		const unsigned = await fetch(String(first.URL), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(unsigned.status).toBe(401);

		// round 1: three orders, only the first one's push arrives (the others were discarded), and twice
		const round1 = [changes.create(), changes.create(), changes.create()];
		expect(await push(round1[0].id)).toBe(200);
		expect(await push(round1[0].id)).toBe(200);
		await arrival('round1', round1.map((change) => change.id));

		// round 2: an update (not a new order: filtered out) and a new order whose push repeats 3 times, in parallel
		changes.update(round1[1].id);
		const round2 = [changes.create()];
		expect(await Promise.all([1, 2, 3].map(async () => await push(round2[0].id)))).toEqual([200, 200, 200]);
		await arrival('round2', round2.map((change) => change.id));

		// round 3: orders created while n8n is down arrive at its start, without any push
		await server.stop();
		server = undefined;
		const round3 = [changes.create(), changes.create()];
		server = await n8n.start();
		timings.secondStart = server.startMs;
		await arrival('round3 (restart)', round3.map((change) => change.id));
		const second = await registered();
		expect(second.Code).toBe(first.Code);

		// round 4: a push after the restart reads only what is new
		const round4 = [changes.create()];
		expect(await push(round4[0].id)).toBe(200);
		await arrival('round4', round4.map((change) => change.id));
		await new Promise((resolve) => setTimeout(resolve, 3000));

		const expected = [...round1, ...round2, ...round3, ...round4].map((change) => change.id.toLowerCase());
		expect([...arrivedIds()].sort()).toEqual([...expected].sort());
		expect(collector.received.find((body) => body.id === round2[0].id)).toMatchObject({
			text: expect.stringMatching(/^New sales order E2E-TRG-/),
			documentNo: expect.stringMatching(/^E2E-TRG-/),
		});

		// unpublishing deletes the template and the rule
		const deactivated = await server.rest.request('POST', `/rest/workflows/${WORKFLOW_ID}/deactivate`, {});
		expect(deactivated.status).toBe(200);
		await waitFor('clean-up', () => (ours(WEBHOOKS).length === 0 && ours(RULES).length === 0 ? true : undefined));
	});
});
