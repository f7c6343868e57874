/**
 * The sandbox pushes as ERP.net does, checked with a local receiver on 127.0.0.1:
 * - https://docs.erp.net/tech/advanced/user-business-rules/action-types/webhook.html ("Key points and specific limitations":
 *   FIFO queue, 1 s pause, cap of 1000, 10 s timeout, 2xx = success; "Retry up to 3 times")
 * - https://docs.erp.net/tech/advanced/concepts/webhooks.html (an HTTP POST of the interpolated URL, Headers and Body)
 * - https://docs.erp.net/tech/advanced/user-business-rules/events/aggregate-client-committed.html, client-committed.html,
 *   committed.html, statechanged.html (which changes raise which event; only client applications for CLIENT* events)
 * - https://docs.erp.net/tech/advanced/user-business-rules/index.html (IsActive, conditions: all must hold)
 */
import { startSandbox, type Sandbox } from '../../../sandbox/src';
import type { EntityRecord } from '../../../sandbox/src/store/memory-store';
import { accessToken, odata, postChangeset, webhookRule, webhookTemplate } from './client';
import { startReceiver, type Receiver } from './receiver';

let sandbox: Sandbox;
let receiver: Receiver;
let token: string;

beforeAll(async () => {
	[sandbox, receiver] = await Promise.all([
		startSandbox({ port: 0, sizes: { customers: 5, products: 5, salesOrders: 30 }, webhooks: { pauseMs: 20 } }),
		startReceiver(),
	]);
	token = await accessToken(sandbox);
});

afterAll(async () => {
	await sandbox.close();
	await receiver.close();
});

beforeEach(async () => {
	sandbox.control.reset();
	await sandbox.control.webhooks.idle();
	sandbox.control.webhooks.configure({ pauseMs: 20, timeoutMs: 10_000, capacity: 1000, braceGuidsInUrl: false });
	sandbox.control.webhooks.clearFaults();
	sandbox.control.webhooks.clearLog();
	sandbox.control.webhooks.resume();
	receiver.reset();
});

const BODY =
	'{{"Id":"{Id}","Repository":"{$repository}","Number":"{DocumentNo}","Time":"{AggregateLastUpdateTimeUtc:O}"}}';

/** Registers a template and a rule in one changeset, as the node does. */
async function register(
	template: Record<string, unknown> = {},
	rule: Record<string, unknown> = {},
	eventType?: string,
): Promise<void> {
	const reply = await postChangeset(sandbox, token, [
		{
			path: 'Systems_Config_WebHooks',
			body: webhookTemplate({
				URL: `${receiver.url}/hook/{Id}`,
				Headers: 'User-Agent: ERP.net\\r\\nX-Secret: s3cret\\r\\nContent-Type: application/json',
				Body: BODY,
				...template,
			}),
		},
		{ path: 'Systems_Bpm_UserBusinessRules', body: webhookRule(rule, eventType) },
	]);
	expect(reply.text.match(/201 Created/g)).toHaveLength(2);
}

/** Editable sales orders (state below Released). */
function openOrders(count: number): EntityRecord[] {
	const orders = sandbox.store
		.list('Crm_Sales_SalesOrders')
		.filter((order) => ['New', 'Planned', 'FirmPlanned'].includes(String(order.State)) && order.Void !== true);
	expect(orders.length).toBeGreaterThanOrEqual(count);
	return orders.slice(0, count);
}

async function touch(order: EntityRecord, notes = 'changed'): Promise<void> {
	expect(
		(
			await odata(sandbox, token, `Crm_Sales_SalesOrders(${String(order.Id)})`, {
				method: 'PATCH',
				body: { DocumentNotes: notes },
			})
		).status,
	).toBe(204);
}

describe('a change made through the Domain API (a client application)', () => {
	it('should POST the interpolated URL, Headers and Body once, after the commit', async () => {
		await register();
		const [order] = openOrders(1);
		await touch(order);
		const [push] = await receiver.waitFor(1);
		const stored = sandbox.store.get('Crm_Sales_SalesOrders', String(order.Id)) as EntityRecord;
		expect(push.method).toBe('POST');
		expect(push.url).toBe(`/hook/${String(order.Id)}`);
		expect(push.headers['x-secret']).toBe('s3cret');
		expect(push.headers['content-type']).toBe('application/json');
		expect(push.headers['user-agent']).toBe('ERP.net');
		expect(JSON.parse(push.body)).toEqual({
			Id: String(order.Id),
			Repository: 'Crm.Sales.SalesOrders',
			Number: String(stored.DocumentNo),
			Time: String(stored.AggregateLastUpdateTimeUtc).replace(/\.(\d{3})Z$/, '.$10000Z'),
		});
		await sandbox.control.webhooks.idle();
		const [entry] = sandbox.control.webhooks.pushes();
		expect(entry).toMatchObject({
			sequence: 1,
			outcome: 'delivered',
			webhookCode: 'wh_01',
			ruleCode: 'R_WH_01',
			eventType: 'AGGREGATECLIENTCOMMITTED',
			objectId: String(order.Id),
		});
		expect(entry.attempts).toEqual([expect.objectContaining({ kind: 'first', status: 200 })]);
		expect(receiver.received).toHaveLength(1);
	});

	it('should raise the aggregate event of the order when only one of its lines changes', async () => {
		await register();
		const [order] = openOrders(1);
		const line = sandbox.store
			.list('Crm_Sales_SalesOrderLines')
			.find((candidate) =>
				String((candidate.SalesOrder as { '@odata.id': string })['@odata.id']).includes(String(order.Id)),
			);
		expect(line).toBeDefined();
		expect(
			(
				await odata(sandbox, token, `Crm_Sales_SalesOrderLines(${String(line?.Id)})`, {
					method: 'PATCH',
					body: { Notes: 'line note' },
				})
			).status,
		).toBe(204);
		const [push] = await receiver.waitFor(1);
		expect(push.url).toBe(`/hook/${String(order.Id)}`);
	});

	it('should push once per changed order for a changeset, in commit order', async () => {
		await register();
		const orders = openOrders(3);
		const reply = await postChangeset(
			sandbox,
			token,
			orders.map((order) => ({
				method: 'PATCH',
				path: `Crm_Sales_SalesOrders(${String(order.Id)})`,
				body: { DocumentNotes: 'batch' },
			})),
		);
		expect(reply.text.match(/204 No Content/g)).toHaveLength(3);
		const pushes = await receiver.waitFor(3);
		expect(pushes.map((push) => push.url)).toEqual(orders.map((order) => `/hook/${String(order.Id)}`));
	});

	it('should push nothing for a changeset that fails, nor for an inactive rule or one whose condition fails', async () => {
		await register({}, { Conditions: [{ AttributeName: 'DocumentNotes', ComparisonType: 'Equals', Value: 'wanted' }] });
		const [first, second] = openOrders(2);
		const failed = await postChangeset(sandbox, token, [
			{ method: 'PATCH', path: `Crm_Sales_SalesOrders(${String(first.Id)})`, body: { DocumentNotes: 'wanted' } },
			{ method: 'PATCH', path: `Crm_Sales_SalesOrders(${String(second.Id)})`, body: { NoSuchField: 1 } },
		]);
		expect(failed.text).toContain('HTTP/1.1 500');
		await touch(first, 'not wanted');
		await touch(second, 'wanted');
		const [push] = await receiver.waitFor(1);
		expect(push.url).toBe(`/hook/${String(second.Id)}`);
		const rule = sandbox.store.list('Systems_Bpm_UserBusinessRules')[0];
		expect(
			(
				await odata(sandbox, token, `Systems_Bpm_UserBusinessRules(${String(rule.Id)})`, {
					method: 'PATCH',
					body: { IsActive: false },
				})
			).status,
		).toBe(204);
		await touch(first, 'wanted');
		await sandbox.control.webhooks.idle();
		expect(receiver.received).toHaveLength(1);
		expect(sandbox.control.webhooks.counts()).toEqual({ webHooks: 1, userBusinessRules: 1, activeWebhookRules: 0 });
	});

	it('should fire STATECHANGED for the state named by the event parameter', async () => {
		await register({}, { Events: [{ EventType: 'STATECHANGED', EventParameter: 'RELEASED' }] });
		const order =
			sandbox.store
				.list('Crm_Sales_SalesOrders')
				.find((candidate) => candidate.State === 'FirmPlanned' && candidate.Void !== true) ?? openOrders(1)[0];
		await touch(order);
		const changed = await odata(sandbox, token, `Crm_Sales_SalesOrders(${String(order.Id)})/ChangeState`, {
			body: { newState: 'Released' },
		});
		expect(changed.status).toBeLessThan(300);
		const [push] = await receiver.waitFor(1);
		expect(push.url).toBe(`/hook/${String(order.Id)}`);
		await sandbox.control.webhooks.idle();
		expect(sandbox.control.webhooks.pushes().map((entry) => entry.eventType)).toEqual(['STATECHANGED']);
	});

	it('should log an error and push nothing when the action names no template', async () => {
		await register(
			{},
			{ Actions: [{ ActionNo: 1, ActionType: 'WEBHOOK', Parameter1Type: 'Constant', Parameter1Value: 'missing' }] },
		);
		await touch(openOrders(1)[0]);
		await sandbox.control.webhooks.idle();
		expect(sandbox.control.webhooks.pushes()).toEqual([]);
		expect(sandbox.control.webhooks.serverLog()).toEqual([
			expect.objectContaining({
				level: 'error',
				message: "User business rule 'R_WH_01': the webhook 'missing' does not exist.",
			}),
		]);
	});

	it('should write GUIDs in braces in the URL only when braceGuidsInUrl is on (the URL example of webhooks.html)', async () => {
		sandbox.control.webhooks.configure({ braceGuidsInUrl: true });
		await register();
		const [order] = openOrders(1);
		await touch(order);
		const [push] = await receiver.waitFor(1);
		expect(decodeURIComponent(push.url)).toBe(`/hook/{${String(order.Id)}}`);
		expect(JSON.parse(push.body).Id).toBe(String(order.Id));
	});
});

describe('changes made by the server', () => {
	it('should fire COMMITTED but not AGGREGATECLIENTCOMMITTED, and direct store writes fire nothing', async () => {
		await register();
		const committed = await odata(sandbox, token, 'Systems_Bpm_UserBusinessRules', {
			body: webhookRule({ Code: 'R_COMMITTED' }, 'COMMITTED'),
		});
		expect(committed.status).toBe(201);
		const [order, other] = openOrders(2);
		sandbox.control.webhooks.serverChange(() =>
			sandbox.store.patch('Crm_Sales_SalesOrders', String(order.Id), { DocumentNotes: 'by the server' }),
		);
		sandbox.store.patch('Crm_Sales_SalesOrders', String(other.Id), { DocumentNotes: 'behind the sandbox' });
		await receiver.waitFor(1);
		await sandbox.control.webhooks.idle();
		expect(sandbox.control.webhooks.pushes().map((entry) => [entry.ruleCode, entry.eventType, entry.objectId])).toEqual(
			[['R_COMMITTED', 'COMMITTED', String(order.Id)]],
		);
	});
});

describe('the queue (webhook.html, "Key points and specific limitations")', () => {
	it('should pause after each webhook before the next one', async () => {
		sandbox.control.webhooks.configure({ pauseMs: 300 });
		await register();
		const orders = openOrders(3);
		for (const order of orders) await touch(order);
		const pushes = await receiver.waitFor(3);
		expect(pushes[1].at - pushes[0].at).toBeGreaterThanOrEqual(280);
		expect(pushes[2].at - pushes[1].at).toBeGreaterThanOrEqual(280);
	});

	it('should discard webhooks beyond the capacity and log the first discard of the day as a warning', async () => {
		sandbox.control.webhooks.configure({ capacity: 2 });
		sandbox.control.webhooks.pause();
		await register();
		const orders = openOrders(4);
		for (const order of orders) await touch(order);
		expect(sandbox.control.webhooks.queued()).toBe(2);
		expect(sandbox.control.webhooks.pushes().map((entry) => entry.outcome)).toEqual([
			'queued',
			'queued',
			'discarded',
			'discarded',
		]);
		expect(sandbox.control.webhooks.serverLog().filter((entry) => entry.level === 'warning')).toHaveLength(1);
		sandbox.control.webhooks.resume();
		await receiver.waitFor(2);
		await sandbox.control.webhooks.idle();
		expect(receiver.received.map((push) => push.url)).toEqual(
			orders.slice(0, 2).map((order) => `/hook/${String(order.Id)}`),
		);
	});

	it('should treat a timeout as an error and, with RetryLogic Retry, try again', async () => {
		sandbox.control.webhooks.configure({ timeoutMs: 300 });
		await register({ RetryLogic: 'Retry' });
		receiver.answers.push('hang');
		await touch(openOrders(1)[0]);
		await receiver.waitFor(2);
		await sandbox.control.webhooks.idle();
		const [entry] = sandbox.control.webhooks.pushes();
		expect(entry.outcome).toBe('delivered');
		expect(entry.attempts.map((attempt) => [attempt.kind, attempt.status ?? attempt.error])).toEqual([
			['first', 'timeout'],
			['retry', 200],
		]);
	});

	it('should retry a non-2xx answer up to 3 times with Retry and not at all with NoRetry', async () => {
		await register({ RetryLogic: 'Retry' });
		receiver.answers.push(500, 503, 404, 500);
		await touch(openOrders(1)[0]);
		await receiver.waitFor(4);
		await sandbox.control.webhooks.idle();
		expect(sandbox.control.webhooks.pushes()[0]).toMatchObject({ outcome: 'failed' });
		expect(sandbox.control.webhooks.pushes()[0].attempts.map((attempt) => attempt.status)).toEqual([
			500, 503, 404, 500,
		]);
		expect(sandbox.control.webhooks.serverLog().filter((entry) => entry.level === 'error')).toHaveLength(4);

		const template = sandbox.store.list('Systems_Config_WebHooks')[0];
		expect(
			(
				await odata(sandbox, token, `Systems_Config_WebHooks(${String(template.Id)})`, {
					method: 'PATCH',
					body: { RetryLogic: 'NoRetry' },
				})
			).status,
		).toBe(204);
		receiver.reset();
		receiver.answers.push(500);
		await touch(openOrders(2)[1]);
		await receiver.waitFor(1);
		await sandbox.control.webhooks.idle();
		expect(receiver.received).toHaveLength(1);
		expect(sandbox.control.webhooks.pushes()[1].attempts).toHaveLength(1);
	});
});

describe('test switches: dropped and repeated pushes', () => {
	it('should lose the next dropped push and deliver the following one', async () => {
		await register();
		sandbox.control.webhooks.dropPushes({ next: 1 });
		const [first, second] = openOrders(2);
		await touch(first);
		await touch(second);
		const [push] = await receiver.waitFor(1);
		await sandbox.control.webhooks.idle();
		expect(push.url).toBe(`/hook/${String(second.Id)}`);
		expect(receiver.received).toHaveLength(1);
		expect(sandbox.control.webhooks.pushes().map((entry) => entry.outcome)).toEqual(['dropped', 'delivered']);
	});

	it('should drop a fraction of the pushes, the same ones for the same seed', async () => {
		await register();
		sandbox.control.webhooks.dropPushes({ fraction: 0.5 });
		for (const order of openOrders(10)) await touch(order);
		await sandbox.control.webhooks.idle();
		const outcomes = sandbox.control.webhooks.pushes().map((entry) => entry.outcome);
		const dropped = outcomes.filter((outcome) => outcome === 'dropped').length;
		expect(dropped).toBeGreaterThan(0);
		expect(dropped).toBeLessThan(10);
		expect(receiver.received).toHaveLength(10 - dropped);
	});

	it('should send a repeated push twice with the same body', async () => {
		await register();
		sandbox.control.webhooks.repeatPushes({ next: 1 });
		await touch(openOrders(1)[0]);
		const [first, second] = await receiver.waitFor(2);
		expect(second.body).toBe(first.body);
		expect(second.url).toBe(first.url);
		await sandbox.control.webhooks.idle();
		expect(sandbox.control.webhooks.pushes()[0].attempts.map((attempt) => attempt.kind)).toEqual(['first', 'repeat']);
	});
});
