/**
 * The ERP.net Instant Trigger through n8n-core's hook, webhook and trigger contexts (WebhookRunner) against the
 * sandbox over HTTP: registration and clean-up of the push (https://docs.erp.net/tech/advanced/concepts/webhooks.html),
 * who may push, and every change exactly once across repeated, lost and simultaneous pushes and restarts.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ErpNetInstantTrigger } from '../../../../nodes/ErpNet/ErpNetInstantTrigger.node';
import { startSandbox } from '../../../../sandbox/src';
import { erpNetCredentials, locator, odataRequests, useSandbox } from '../../../helpers/erpnet';
import { serializeForLeakCheck } from '../../../helpers/n8n';
import { WebhookRunner } from '../../../helpers/webhookRunner';
import { renderPush } from './pushes';

const getSandbox = useSandbox({ sizes: { customers: 60, products: 10, salesOrders: 5 } });
const CUSTOMERS = 'Crm_Sales_Customers';
const WEBHOOKS = 'Systems_Config_WebHooks';
const RULES = 'Systems_Bpm_UserBusinessRules';

const runners: WebhookRunner[] = [];

function instantTrigger(
	parameters: INodeParameters = {},
	extra: Partial<ConstructorParameters<typeof WebhookRunner>[0]> = {},
) {
	const runner = new WebhookRunner({
		nodeType: new ErpNetInstantTrigger(),
		parameters: {
			entitySet: locator(CUSTOMERS),
			events: ['AGGREGATECLIENTCOMMITTED'],
			output: 'record',
			catchUpInterval: 15,
			options: {},
			...parameters,
		},
		credentials: erpNetCredentials(getSandbox()),
		workflowId: `wf-${runners.length + 1}`,
		workflowName: 'New customers to Slack',
		...extra,
	});
	runners.push(runner);
	return runner;
}

function customerIds(count: number, offset = 0): string[] {
	return getSandbox()
		.store.list(CUSTOMERS)
		.slice(offset, offset + count)
		.map((record) => record.Id as string);
}

function touch(id: string): void {
	getSandbox().store.patch(CUSTOMERS, id, { ExternalId: `t-${Math.random()}` });
}

function ours(entitySet: string, code: string): Array<Record<string, unknown>> {
	return getSandbox()
		.store.list(entitySet)
		.filter((record) => record.Code === code);
}

function registrationOf(runner: WebhookRunner): { webhookCode: string; ruleCode: string } {
	return runner.staticData.registration as { webhookCode: string; ruleCode: string };
}

/** Pushes for `id` as ERP.net renders the runner's template. */
async function pushFor(
	runner: WebhookRunner,
	id: string,
	mode: 'webhook' | 'manual' = 'webhook',
	code = registrationOf(runner).webhookCode,
) {
	const push = renderPush(getSandbox(), code, CUSTOMERS, id);
	return await runner.push({ headers: push.headers, body: JSON.parse(push.body), mode });
}

/** The same workflow in a new n8n process (no deactivation before): fresh module state, the stored static data. */
async function restarted(
	runner: WebhookRunner,
	extra: Partial<ConstructorParameters<typeof WebhookRunner>[0]> = {},
): Promise<WebhookRunner> {
	let next: WebhookRunner | undefined;
	await jest.isolateModulesAsync(async () => {
		const { ErpNetInstantTrigger: Reloaded } = await import('../../../../nodes/ErpNet/ErpNetInstantTrigger.node');
		next = instantTrigger(
			{},
			{
				nodeType: new Reloaded(),
				staticData: runner.staticData,
				nodeId: runner.nodeId,
				webhookId: runner.webhookId,
				workflowId: runner.workflowId,
				...extra,
			},
		);
	});
	runners.splice(runners.indexOf(runner), 1);
	return next as WebhookRunner;
}

afterEach(async () => {
	for (const runner of runners.splice(0)) await runner.deactivate().catch(() => undefined);
	getSandbox().control.clearFaults();
});

describe('ERP.net Instant Trigger: registration', () => {
	it('should register one web hook template and one business rule in one $batch changeset, pointing at the production URL', async () => {
		const sandbox = getSandbox();
		const runner = instantTrigger({ events: ['AGGREGATECLIENTCOMMITTED', 'STATECHANGED:RELEASED'] });
		sandbox.control.clearLog();
		expect(await runner.activate()).toEqual({ created: true });
		const { webhookCode, ruleCode } = registrationOf(runner);
		expect(webhookCode.length).toBeLessThanOrEqual(32);
		expect(ruleCode.length).toBeLessThanOrEqual(16);

		const [template] = ours(WEBHOOKS, webhookCode);
		expect(template).toMatchObject({ RepositoryName: 'Crm.Sales.Customers', URL: runner.productionUrl });
		expect(JSON.stringify(template.Name)).toContain('New customers to Slack');
		expect(String(template.Headers)).toMatch(/^x-n8n-erpnet-secret: [0-9a-f]{64}$/m);
		const [rule] = ours(RULES, ruleCode);
		expect(rule).toMatchObject({ RepositoryName: 'Crm.Sales.Customers', IsActive: true, Layer: 'BackEnd' });
		expect(JSON.stringify(rule.Name)).toContain('New customers to Slack');

		const writes = odataRequests(sandbox).filter((entry) => entry.method !== 'GET');
		expect(writes.map((entry) => `${entry.method} ${entry.path.replace(/^.*\/odata\//, '')}`)).toEqual(['POST $batch']);
		expect(writes[0].body).toMatch(/changeset/);
		expect(writes[0].body).toContain('"ActionType":"WEBHOOK"');
		expect(writes[0].body).toContain(`"Parameter1Value":"${webhookCode}"`);
		expect(writes[0].body).toContain('"EventType":"STATECHANGED","EventParameter":"RELEASED"');
	});

	it('should keep a matching registration on restart and replace one that was removed or changed in ERP.net', async () => {
		const sandbox = getSandbox();
		const runner = instantTrigger();
		await runner.activate();
		const { webhookCode, ruleCode } = registrationOf(runner);
		expect(await runner.activate({ activation: 'init' })).toEqual({ created: false });

		sandbox.store.remove(RULES, ours(RULES, ruleCode)[0].Id as string);
		expect(await runner.activate({ activation: 'init' })).toEqual({ created: true });
		expect(ours(RULES, ruleCode)).toHaveLength(1);

		sandbox.store.patch(WEBHOOKS, ours(WEBHOOKS, webhookCode)[0].Id as string, {
			URL: 'https://elsewhere.example/hook',
		});
		expect(await runner.activate({ activation: 'init' })).toEqual({ created: true });
		expect(ours(WEBHOOKS, webhookCode)).toEqual([expect.objectContaining({ URL: runner.productionUrl })]);
	});

	it('should delete both records on deactivation', async () => {
		const runner = instantTrigger();
		await runner.activate();
		const { webhookCode, ruleCode } = registrationOf(runner);
		await runner.deactivate();
		expect(ours(WEBHOOKS, webhookCode)).toEqual([]);
		expect(ours(RULES, ruleCode)).toEqual([]);
		expect(runner.staticData.registration).toBeUndefined();
	});

	it('should leave nothing behind when the registration fails, and say what the administrator must grant', async () => {
		const sandbox = getSandbox();
		const runner = instantTrigger();
		sandbox.control.injectFault({
			method: 'POST',
			pathIncludes: '$batch',
			kind: 'status',
			status: 403,
			body: { error: { code: 0, message: 'Access denied to Systems.Config.WebHooks' } },
		});
		const failure = await runner.activate().then(
			() => undefined,
			(error: unknown) => error as Error & { description?: string },
		);
		expect(failure?.message).toMatch(/Could not register the push/);
		expect(failure?.description).toMatch(/Systems\.Config\.WebHooks/);
		expect(failure?.description).toMatch(/Systems\.Bpm\.UserBusinessRules/);
		expect(failure?.description).toMatch(/administrator must grant/);
		expect(failure?.description).toMatch(/"update" scope/);
		const codes = sandbox.store.list(WEBHOOKS).map((record) => String(record.Code));
		expect(codes.filter((code) => code.startsWith('n8n'))).toEqual([]);
		expect(sandbox.store.list(RULES).filter((record) => String(record.Code).startsWith('n8n'))).toEqual([]);
	});
});

describe('ERP.net Instant Trigger: only ERP.net gets in', () => {
	it('should answer 401 without the secret or with a wrong one, 400 for another registration or repository, and start nothing', async () => {
		const runner = instantTrigger();
		await runner.activate();
		const [id] = customerIds(1);
		touch(id);
		const push = renderPush(getSandbox(), registrationOf(runner).webhookCode, CUSTOMERS, id);
		const secret = push.headers['x-n8n-erpnet-secret'];
		const body = JSON.parse(push.body) as IDataObject;

		expect((await runner.push({ headers: {}, body })).status).toBe(401);
		expect(
			(
				await runner.push({
					headers: { 'x-n8n-erpnet-secret': secret.replace(/.$/, (c) => (c === '0' ? '1' : '0')) },
					body,
				})
			).status,
		).toBe(401);
		expect(
			(await runner.push({ headers: push.headers, body: { ...body, registration: 'n8n_someone_else' } })).status,
		).toBe(400);
		expect(
			(await runner.push({ headers: push.headers, body: { ...body, repository: 'Crm.Sales.SalesOrders' } })).status,
		).toBe(400);
		expect((await runner.push({ headers: push.headers, body: 'not json' })).status).toBe(400);
		expect(runner.executions).toEqual([]);

		const accepted = await runner.push({ headers: push.headers, body });
		expect(accepted.status).toBe(200);
		expect(runner.emittedIds()).toEqual([id]);
		expect(serializeForLeakCheck(runner.staticData, runner.executions, accepted)).not.toContain(secret);
	});
});

describe('ERP.net Instant Trigger: every change exactly once', () => {
	it('should read every change since the watermark on a push, and nothing again on a repeated push', async () => {
		const runner = instantTrigger();
		await runner.activate();
		const ids = customerIds(3, 10);
		ids.forEach(touch);
		const first = await pushFor(runner, ids[0]);
		expect(first.status).toBe(200);
		expect(runner.emittedIds().sort()).toEqual([...ids].sort());
		expect(runner.executions[0].items[0].json).toHaveProperty('Number');

		const repeated = await pushFor(runner, ids[0]);
		expect(repeated.status).toBe(200);
		expect(repeated.items).toBeUndefined();
		expect(runner.executions).toHaveLength(1);
	});

	it('should emit each change once when pushes arrive simultaneously', async () => {
		const runner = instantTrigger();
		await runner.activate();
		const ids = customerIds(6, 20);
		ids.forEach(touch);
		const answers = await Promise.all(ids.map(async (id) => await pushFor(runner, id)));
		expect(answers.map((answer) => answer.status)).toEqual(ids.map(() => 200));
		expect(runner.emittedIds().sort()).toEqual([...ids].sort());
	});

	it('should catch up without any push on the catch-up schedule', async () => {
		const runner = instantTrigger({ catchUpInterval: 5 });
		await runner.activate();
		expect(runner.crons.map((cron) => cron.expression)).toEqual(['0 */5 * * * *']);
		const ids = customerIds(2, 30);
		ids.forEach(touch);
		await runner.tick();
		expect(runner.executions.map((execution) => execution.source)).toEqual(['trigger']);
		expect(runner.emittedIds().sort()).toEqual([...ids].sort());
		await pushFor(runner, ids[0]);
		await runner.tick();
		expect(runner.executions).toHaveLength(1);
	});

	it('should deliver a 5,000-record import exactly once when only its first push arrives', async () => {
		const sandbox = getSandbox();
		const runner = instantTrigger({ output: 'event' });
		await runner.activate();
		const template = sandbox.store.list(CUSTOMERS)[0];
		const imported: string[] = [];
		for (let index = 0; index < 5000; index++) {
			const record: Record<string, unknown> = { ...template, ExternalId: `import-${index}` };
			delete record.Id;
			imported.push(String(sandbox.store.insert(CUSTOMERS, record).Id).toLowerCase());
		}
		await pushFor(runner, imported[0]);
		await runner.tick();
		const emitted = runner.emittedIds();
		expect(emitted).toHaveLength(5000);
		expect(new Set(emitted)).toEqual(new Set(imported));
		expect(runner.executions[0].items[0].json).toEqual({ erpnet: expect.objectContaining({ entitySet: CUSTOMERS }) });
	});

	it('should emit the changes made while n8n was stopped once, at the restart', async () => {
		const runner = instantTrigger();
		await runner.activate();
		const [before] = customerIds(1, 40);
		touch(before);
		await pushFor(runner, before);
		expect(runner.emittedIds()).toEqual([before]);

		// n8n stops (no deactivation), a change is made, n8n starts again: a new process with the stored static data.
		const whileStopped = customerIds(2, 41);
		whileStopped.forEach(touch);
		let restarted: WebhookRunner | undefined;
		await jest.isolateModulesAsync(async () => {
			const { ErpNetInstantTrigger: Reloaded } = await import('../../../../nodes/ErpNet/ErpNetInstantTrigger.node');
			restarted = instantTrigger(
				{},
				{
					nodeType: new Reloaded(),
					staticData: runner.staticData,
					nodeId: runner.nodeId,
					webhookId: runner.webhookId,
					workflowId: runner.workflowId,
				},
			);
		});
		runners.splice(runners.indexOf(runner), 1);
		expect(await restarted?.activate({ activation: 'init' })).toEqual({ created: false });
		expect(restarted?.emittedIds().sort()).toEqual([...whileStopped].sort());
		await restarted?.tick();
		expect(restarted?.executions).toHaveLength(1);
	});

	it('should keep the watermark of a stream stored before the instance was part of its key (an upgrade)', async () => {
		const runner = instantTrigger();
		await runner.activate();
		const [before] = customerIds(1, 50);
		touch(before);
		await pushFor(runner, before);
		expect(runner.emittedIds()).toEqual([before]);

		// What an earlier release stored: the stream and the incremental-pull state keyed without the instance.
		const pull = runner.staticData.pull as { stream: string; startUtc: string; state: IDataObject };
		const legacyStream = JSON.stringify([CUSTOMERS, '']);
		expect(JSON.parse(pull.stream)).toEqual([expect.any(String), CUSTOMERS, '']);
		pull.stream = legacyStream;
		pull.state.key = JSON.stringify([legacyStream, pull.startUtc]);

		const whileStopped = customerIds(2, 51);
		whileStopped.forEach(touch);
		const upgraded = await restarted(runner);
		expect(await upgraded.activate({ activation: 'init' })).toEqual({ created: false });
		expect(upgraded.emittedIds().sort()).toEqual([...whileStopped].sort());
		expect(JSON.parse((upgraded.staticData.pull as { stream: string }).stream)).toHaveLength(3);
	});

	it("should start over on another instance, not read it from the first instance's watermark", async () => {
		const runner = instantTrigger();
		await runner.activate();
		const [before] = customerIds(1, 55);
		touch(before);
		await pushFor(runner, before);
		expect(runner.emittedIds()).toEqual([before]);

		const other = await startSandbox({ port: 0, seed: 7, sizes: { customers: 8, products: 5, salesOrders: 5 } });
		let moved: WebhookRunner | undefined;
		try {
			const [changedBeforeTheMove, changedAfterTheMove] = other.store
				.list(CUSTOMERS)
				.slice(0, 2)
				.map((record) => record.Id as string);
			other.store.patch(CUSTOMERS, changedBeforeTheMove, { ExternalId: 'before-the-move' });
			// The credential now names the other instance; n8n restarts the workflow with the stored static data.
			moved = await restarted(runner, { credentials: erpNetCredentials(other) });
			expect(await moved.activate({ activation: 'init' })).toEqual({ created: true });
			expect(moved.emittedIds()).toEqual([]);

			other.store.patch(CUSTOMERS, changedAfterTheMove, { ExternalId: 'after-the-move' });
			const push = renderPush(other, registrationOf(moved).webhookCode, CUSTOMERS, changedAfterTheMove);
			await moved.push({ headers: push.headers, body: JSON.parse(push.body), mode: 'webhook' });
			expect(moved.emittedIds()).toEqual([changedAfterTheMove]);
		} finally {
			await moved?.deactivate();
			runners.splice(runners.indexOf(moved as WebhookRunner), 1);
			await other.close();
		}
	});
});

describe('ERP.net Instant Trigger: Listen for test event', () => {
	it('should register on the test URL, output the pushed record, and unregister afterwards without touching production', async () => {
		const runner = instantTrigger();
		await runner.activate();
		const production = registrationOf(runner);
		await runner.activate({ mode: 'manual' });
		const test = getSandbox()
			.store.list(WEBHOOKS)
			.find((record) => record.URL === runner.testUrl);
		expect(test).toBeDefined();
		expect(test?.Code).not.toBe(production.webhookCode);

		const [id] = customerIds(1, 50);
		touch(id);
		const answer = await pushFor(runner, id, 'manual', String(test?.Code));
		expect(answer.status).toBe(200);
		const output = await runner.manualOutput();
		expect(output[0].map((item) => (item.json.erpnet as IDataObject).id)).toEqual([id]);
		expect(runner.executions).toEqual([]);

		await runner.deactivate({ mode: 'manual' });
		expect(ours(WEBHOOKS, String(test?.Code))).toEqual([]);
		expect(ours(WEBHOOKS, production.webhookCode)).toHaveLength(1);
		expect(ours(RULES, production.ruleCode)).toHaveLength(1);
	});
});

describe('ERP.net Instant Trigger: pushed by the sandbox as ERP.net does', () => {
	async function accessToken(): Promise<string> {
		const sandbox = getSandbox();
		const response = await fetch(`${sandbox.url}/id/connect/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sandbox.clientId,
				client_secret: sandbox.clientSecret,
				scope: 'read update',
			}),
		});
		return String(((await response.json()) as { access_token: string }).access_token);
	}

	it('should deliver every change a client application makes exactly once although pushes are dropped and repeated', async () => {
		const sandbox = getSandbox();
		const runner = instantTrigger();
		await runner.listen();
		try {
			await runner.activate();
			sandbox.control.webhooks.configure({ pauseMs: 20 });
			const token = await accessToken();
			const ids = customerIds(8, 52);
			const patch = async (id: string) => {
				const response = await fetch(`${sandbox.odataRoot}${CUSTOMERS}(${id})`, {
					method: 'PATCH',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify({ ExternalId: `pushed-${Math.random()}` }),
				});
				expect(response.status).toBeLessThan(300);
			};
			sandbox.control.webhooks.dropPushes({ next: 3 });
			for (const id of ids.slice(0, 4)) await patch(id);
			await sandbox.control.webhooks.idle();
			sandbox.control.webhooks.repeatPushes({ next: 4, times: 2 });
			for (const id of ids.slice(4)) await patch(id);
			await sandbox.control.webhooks.idle();
			const outcomes = sandbox.control.webhooks.pushes().map((push) => push.outcome);
			expect(outcomes.filter((outcome) => outcome === 'dropped')).toHaveLength(3);
			expect(runner.emittedIds().sort()).toEqual([...ids].sort());
			await runner.tick();
			expect(runner.emittedIds()).toHaveLength(ids.length);
		} finally {
			sandbox.control.clearFaults();
			await runner.deactivate();
			await runner.close();
		}
	});
});
