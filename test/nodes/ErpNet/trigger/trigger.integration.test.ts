/**
 * The ERP.net Trigger through n8n-core's poll executor (PollRunner) against the sandbox over HTTP:
 * the incremental pull of https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { locator, odataRequests, queryOption, useSandbox } from '../../../helpers/erpnet';
import type { PollRunner } from '../../../helpers/n8n';
import { triggerRunner } from './fixtures';

const getSandbox = useSandbox({ sizes: { customers: 40, products: 10, salesOrders: 12 } });
const CUSTOMERS = 'Crm_Sales_Customers';

function trigger(parameters: INodeParameters = {}, staticData?: IDataObject): PollRunner {
	return triggerRunner(getSandbox(), CUSTOMERS, parameters, staticData);
}

function customerIds(count: number, offset = 0): string[] {
	return getSandbox()
		.store.list(CUSTOMERS)
		.slice(offset, offset + count)
		.map((record) => record.Id as string);
}

function touch(id: string): string {
	return getSandbox().store.patch(CUSTOMERS, id, { ExternalId: `t-${Math.random()}` })
		?.AggregateLastUpdateTimeUtc as string;
}

function createCustomer(): string {
	const sandbox = getSandbox();
	const template = sandbox.store.list(CUSTOMERS)[0];
	delete template.Id;
	template.CreationTime = new Date(sandbox.store.clock.now()).toISOString();
	return sandbox.store.insert(CUSTOMERS, template).Id as string;
}

const erpnet = (item: { json: IDataObject }) => item.json.erpnet as IDataObject;

afterEach(() => {
	const { control } = getSandbox();
	control.setClock({ offsetMs: 0, resolutionMs: 1, commitDelayMs: 0 });
	control.setAggregateTimeFilter('exact');
	control.setMaxPageSize(undefined);
	control.clearFaults();
});

describe('ERP.net Trigger', () => {
	it('should start from now: the first poll emits nothing, later changes arrive once with the envelope', async () => {
		const runner = trigger();
		const [before] = customerIds(1);
		touch(before);
		expect((await runner.poll()).response).toBeNull();
		const [changed] = customerIds(1, 5);
		const stamp = touch(changed);
		const created = createCustomer();
		const second = await runner.poll();
		expect(second.error).toBeUndefined();
		const envelopes = second.items.map(erpnet);
		expect(envelopes).toEqual(
			expect.arrayContaining([
				{ event: 'updated', entitySet: CUSTOMERS, id: changed, aggregateLastUpdateTimeUtc: stamp },
				expect.objectContaining({ event: 'created', id: created }),
			]),
		);
		expect(envelopes).toHaveLength(2);
		expect(second.items[0].json).toHaveProperty('Number');
		expect((await runner.poll()).response).toBeNull();
	});

	it('should cost one request when nothing is new, filtered by AggregateLastUpdateTimeUtc ge without $orderby', async () => {
		const sandbox = getSandbox();
		const runner = trigger();
		await runner.poll();
		sandbox.control.clearLog();
		expect((await runner.poll()).response).toBeNull();
		const reads = odataRequests(sandbox, CUSTOMERS);
		expect(reads).toHaveLength(1);
		expect(queryOption(reads[0], '$filter')).toMatch(
			/^AggregateLastUpdateTimeUtc ge \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
		);
		expect(queryOption(reads[0], '$orderby')).toBeNull();
		expect(queryOption(reads[0], '$top')).toBe('1000');
		expect(queryOption(reads[0], '$select')).toContain('AggregateLastUpdateTimeUtc');
	});

	it('should use the server clock: a sandbox hours ahead of n8n loses nothing', async () => {
		const sandbox = getSandbox();
		sandbox.control.setClock({ offsetMs: 5 * 3_600_000 });
		const runner = trigger();
		await runner.poll();
		const [id] = customerIds(1, 7);
		touch(id);
		expect((await runner.poll()).items.map((item) => erpnet(item).id)).toEqual([id]);
		sandbox.control.setClock({ offsetMs: -5 * 3_600_000 });
		const behind = trigger();
		await behind.poll();
		const [other] = customerIds(1, 8);
		touch(other);
		expect((await behind.poll()).items.map((item) => erpnet(item).id)).toEqual([other]);
	});

	it('should emit everything once for Start From: All, across polls cut by the budget', async () => {
		const sandbox = getSandbox();
		sandbox.control.setMaxPageSize(7);
		const runner = trigger({ startFrom: 'all', event: 'created' });
		const seen: string[] = [];
		for (let poll = 0; poll < 30; poll++) {
			const result = await runner.poll({ pollBudgetMs: 0 });
			expect(result.error).toBeUndefined();
			seen.push(...result.items.map((item) => erpnet(item).id as string));
			if ((runner.staticData.incrementalPull as IDataObject).scan === undefined) break;
		}
		expect(seen.sort()).toEqual(
			sandbox.store
				.list(CUSTOMERS)
				.map((record) => record.Id as string)
				.sort(),
		);
	});

	it('should keep its state in manual mode and return the most recent changes, newest first', async () => {
		const runner = trigger();
		await runner.poll();
		const before = runner.staticData;
		const [older, newer] = customerIds(2, 9);
		// Later than what the clock tests above stamped in the future.
		getSandbox().control.setClock({ offsetMs: 24 * 3_600_000 });
		touch(older);
		getSandbox().control.setClock({ offsetMs: 24 * 3_600_000 + 60_000 });
		touch(newer);
		const manual = await runner.poll({ mode: 'manual' });
		expect(manual.items.slice(0, 2).map((item) => erpnet(item).id)).toEqual([newer, older]);
		expect(manual.items.length).toBeLessThanOrEqual(5);
		expect(runner.staticData).toEqual(before);
		expect((await runner.poll()).items.map((item) => erpnet(item).id).sort()).toEqual([older, newer].sort());
	});

	it('should refuse a set that is not an aggregate root, naming its root', async () => {
		const result = await trigger({ entitySet: locator('Crm_Sales_SalesOrderLines') }).poll();
		expect(String((result.error as Error).message)).toContain('not an aggregate root');
		expect(JSON.stringify(result.error)).toContain('Crm_Sales_SalesOrders');
	});

	it('should fail clearly on an unknown set and on 403, saving no state', async () => {
		const unknown = await trigger({ entitySet: locator('Crm_Sales_Nothing') }).poll();
		expect(unknown.error).toBeDefined();
		const runner = trigger();
		await runner.poll();
		const before = runner.staticData;
		getSandbox().control.injectFault({ pathIncludes: CUSTOMERS, kind: 'status', status: 403, times: Infinity });
		const forbidden = await runner.poll();
		expect((forbidden.error as { httpCode?: string }).httpCode).toBe('403');
		expect(JSON.stringify(forbidden.error)).not.toContain(getSandbox().clientSecret);
		expect(runner.staticData).toEqual(before);
	});

	it('should treat 429 and 5xx as transient: retried, or the poll fails, stores nothing and the next one repeats it', async () => {
		const sandbox = getSandbox();
		sandbox.control.setMaxPageSize(2);
		const runner = trigger();
		await runner.poll();
		const changed = customerIds(5, 20).map((id) => ({ id, stamp: touch(id) }));
		const retryFast = { 'Retry-After': '0.1' };
		// one 503 and one 429 on later pages: retried within the poll
		sandbox.control.injectFault({ pathIncludes: CUSTOMERS, after: 1, kind: 'status', status: 503, headers: retryFast });
		sandbox.control.injectFault({ pathIncludes: CUSTOMERS, after: 2, kind: 'status', status: 429, headers: retryFast });
		sandbox.control.clearLog();
		const retried = await runner.poll();
		expect(retried.error).toBeUndefined();
		expect(odataRequests(sandbox, CUSTOMERS).map((request) => request.status)).toEqual(
			expect.arrayContaining([503, 429]),
		);
		expect(retried.items.map((item) => `${erpnet(item).id}@${erpnet(item).aggregateLastUpdateTimeUtc}`).sort()).toEqual(
			changed.map(({ id, stamp }) => `${id}@${stamp}`).sort(),
		);
		// 503 until the retries run out, on the second page: the poll fails and keeps the state it started with
		const again = customerIds(3, 30).map((id) => ({ id, stamp: touch(id) }));
		const before = runner.staticData;
		sandbox.control.injectFault({
			pathIncludes: CUSTOMERS,
			after: 1,
			kind: 'status',
			status: 503,
			headers: retryFast,
			times: Infinity,
		});
		const failed = await runner.poll();
		expect((failed.error as { httpCode?: string }).httpCode).toBe('503');
		expect(failed.items).toEqual([]);
		expect(runner.staticData).toEqual(before);
		expect(JSON.stringify(failed.error)).not.toContain(sandbox.clientSecret);
		sandbox.control.clearFaults();
		const repeated = await runner.poll();
		expect(repeated.error).toBeUndefined();
		expect(repeated.items.map((item) => erpnet(item).id).sort()).toEqual(again.map(({ id }) => id).sort());
	});

	it('should combine Conditions and Filter with its own filter and only emit matching records', async () => {
		const sandbox = getSandbox();
		const [id, other] = customerIds(2, 11);
		const runner = trigger({ options: { filter: `Id eq ${id}` } });
		await runner.poll();
		touch(id);
		touch(other);
		sandbox.control.clearLog();
		expect((await runner.poll()).items.map((item) => erpnet(item).id)).toEqual([id]);
		expect(queryOption(odataRequests(sandbox, CUSTOMERS)[0], '$filter')).toMatch(
			/^\(Id eq .+\) and \(AggregateLastUpdateTimeUtc ge .+\)$/,
		);
	});
});
