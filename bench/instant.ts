/**
 * `BENCH_ONLY=instant`: the ERP.net Instant Trigger beside the polling ERP.net Trigger on the same changes.
 * - Instant: the trigger is published through n8n-core (WebhookRunner, serving its URL on 127.0.0.1); each change
 *   is committed in the sandbox and its push (the registered template, rendered) POSTed at once, as ERP.net's
 *   queue sends it when idle. Latency = commit to the execution's items being returned by webhook().
 * - Polling: n8n polls at most every minute; a change waits for the next poll (uniformly 0-60 s) plus the poll's
 *   own duration, measured here on the same sandbox.
 * Requests per change: Domain API requests (token requests aside) divided by the changes delivered.
 */
import type { INodeType } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/src';
import { startSandbox } from '../sandbox/src';
import { erpNetCredentials } from '../test/helpers/erpnet';
import { PollRunner } from '../test/helpers/n8n';
import { WebhookRunner } from '../test/helpers/webhookRunner';
import { renderPush } from '../test/nodes/ErpNet/instantTrigger/pushes';

const SET = 'Crm_Sales_Customers';
const POLL_INTERVAL_MS = 60_000;

const percentile = (values: number[], share: number) =>
	[...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * share))];

function domainRequests(sandbox: Sandbox, since: number): number {
	return sandbox.requests.slice(since).filter((entry) => entry.path.startsWith('/api/domain/')).length;
}

function touch(sandbox: Sandbox, id: string): void {
	sandbox.store.patch(SET, id, { ExternalId: `bench-${Math.random()}` });
}

export async function instantScenario(instantType: INodeType, pollingType: INodeType, latencyMs: number, changes = 50) {
	const sandbox = await startSandbox({
		port: 0,
		seed: 42,
		sizes: { customers: 500, products: 10, salesOrders: 5 },
		latencyMs,
		rateLimit: { requestsPerMinute: 1_000_000 },
	});
	try {
		const ids = sandbox.store
			.list(SET)
			.slice(0, changes)
			.map((record) => String(record.Id));
		const parameters = { entitySet: { __rl: true, mode: 'name', value: SET }, options: {} };

		const instant = new WebhookRunner({
			nodeType: instantType,
			parameters: { ...parameters, events: ['AGGREGATECLIENTCOMMITTED'], output: 'record', catchUpInterval: 15 },
			credentials: erpNetCredentials(sandbox),
		});
		await instant.listen();
		await instant.activate();
		const code = String((instant.staticData.registration as { webhookCode: string }).webhookCode);
		const instantLatencies: number[] = [];
		let since = sandbox.requests.length;
		for (const id of ids) {
			const committed = performance.now();
			touch(sandbox, id);
			const push = renderPush(sandbox, code, SET, id);
			const before = instant.executions.length;
			await fetch(push.url, { method: 'POST', headers: push.headers, body: push.body });
			while (instant.executions.length === before) await new Promise((resolve) => setImmediate(resolve));
			instantLatencies.push(performance.now() - committed);
		}
		const instantRequests = domainRequests(sandbox, since);
		await instant.deactivate();
		await instant.close();

		const polling = new PollRunner({
			nodeType: pollingType,
			parameters: { ...parameters, event: 'createdOrUpdated', startFrom: 'now' },
			credentials: erpNetCredentials(sandbox),
		});
		await polling.poll();
		const pollingLatencies: number[] = [];
		since = sandbox.requests.length;
		let delivered = 0;
		for (const [index, id] of ids.entries()) {
			touch(sandbox, id);
			const started = performance.now();
			const { items } = await polling.poll();
			delivered += items.length;
			// the change waited for the next poll: spread evenly over the interval
			pollingLatencies.push(((index + 0.5) / ids.length) * POLL_INTERVAL_MS + (performance.now() - started));
		}
		const pollingRequests = domainRequests(sandbox, since);
		return {
			scenario: `instant vs polling, ${changes} changes, ${latencyMs} ms latency`,
			instant: {
				medianMs: Math.round(percentile(instantLatencies, 0.5)),
				p95Ms: Math.round(percentile(instantLatencies, 0.95)),
				requestsPerChange: Number((instantRequests / changes).toFixed(2)),
			},
			polling: {
				medianMs: Math.round(percentile(pollingLatencies, 0.5)),
				p95Ms: Math.round(percentile(pollingLatencies, 0.95)),
				requestsPerChange: Number((pollingRequests / Math.max(1, delivered)).toFixed(2)),
				idleRequestsPerHour: 60,
			},
		};
	} finally {
		await sandbox.close();
	}
}
