/**
 * Randomised: the ERP.net Trigger through n8n-core's poll executor (PollRunner) against the sandbox over HTTP,
 * with every change-tracking switch of sandbox/src/odata/DECISIONS.md at random: late commits within the
 * overlap, equal timestamps, a clock offset between the sandbox and n8n, writes between the pages of a running
 * scan, the filter truncated to the date, small pages and scans cut by the poll budget.
 * Checks over many seeds: no (Id, timestamp) emitted twice, only real versions, per-Id timestamps increasing,
 * every record unchanged during a whole scan emitted by its end, every final version emitted, bounded state
 * (only what changed within the overlap before the watermark).
 */
import type { IDataObject } from 'n8n-workflow';

import { ErpNetTrigger } from '../../../../nodes/ErpNet/ErpNetTrigger.node';
import { erpNetCredentials, locator, useSandbox } from '../../../helpers/erpnet';
import { PollRunner } from '../../../helpers/n8n';

const getSandbox = useSandbox({ sizes: { customers: 30, products: 5, salesOrders: 5 } });
const SET = 'Crm_Sales_Customers';
const MINUTE = 60_000;

function random(seed: number): () => number {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 4_294_967_296;
	};
}

async function runSeed(seed: number) {
	const sandbox = getSandbox();
	const { control, store } = sandbox;
	const rand = random(seed);
	const startFrom = rand() < 0.5 ? 'all' : 'now';
	control.reset();
	control.setClock({
		offsetMs: Math.round((rand() - 0.5) * 10 * 3_600_000),
		resolutionMs: rand() < 0.5 ? 1 : 1000,
		commitDelayMs: 0,
	});
	control.setAggregateTimeFilter(rand() < 0.5 ? 'date' : 'exact');
	control.setMaxPageSize(2 + Math.floor(rand() * 6));

	const made = new Set<string>();
	const current = new Map<string, string>();
	for (const record of store.list(SET)) current.set(record.Id as string, record.AggregateLastUpdateTimeUtc as string);
	const write = () => {
		control.setClock({ commitDelayMs: rand() < 0.3 ? Math.floor(rand() * 4 * MINUTE) : 0 });
		const ids = [...current.keys()];
		let record: Record<string, unknown> | undefined;
		if (rand() < 0.25) {
			const template = store.list(SET)[0];
			delete template.Id;
			record = store.insert(SET, template);
		} else {
			record = store.patch(SET, ids[Math.floor(rand() * ids.length)], { ExternalId: `s${seed}-${rand()}` });
		}
		control.setClock({ commitDelayMs: 0 });
		const stamp = Date.parse(record?.AggregateLastUpdateTimeUtc as string);
		current.set(record?.Id as string, new Date(stamp).toISOString());
		made.add(`${record?.Id}|${stamp}`);
	};

	const runner = new PollRunner({
		nodeType: new ErpNetTrigger(),
		parameters: { entitySet: locator(SET), event: 'createdOrUpdated', startFrom, options: {} },
		credentials: erpNetCredentials(sandbox),
	});
	const emitted = new Map<string, number[]>();
	let startedAt = -Infinity;
	let snapshot: Map<string, string> | undefined;
	let quiet = false;
	let maxState = 0;
	const poll = async () => {
		const scanRunning = (runner.staticData.incrementalPull as IDataObject | undefined)?.scan !== undefined;
		const before = new Map(current);
		const cancel = !quiet && rand() < 0.5 ? control.beforeNextPage(write) : undefined;
		const result = await runner.poll({ pollBudgetMs: rand() < 0.6 ? 0 : 60_000 });
		cancel?.();
		expect(result.error).toBeUndefined();
		if (!scanRunning) snapshot = before;
		for (const item of result.items) {
			const envelope = item.json.erpnet as IDataObject;
			const id = envelope.id as string;
			const stamp = Date.parse(envelope.aggregateLastUpdateTimeUtc as string);
			expect([seed, made.has(`${id}|${stamp}`) || stamp < startedAt || startFrom === 'all']).toEqual([seed, true]);
			const list = emitted.get(id) ?? [];
			if (list.length > 0) expect([seed, id, stamp > list[list.length - 1]]).toEqual([seed, id, true]);
			emitted.set(id, [...list, stamp]);
		}
		const state = runner.staticData.incrementalPull as IDataObject;
		maxState = Math.max(maxState, Object.keys(state.seen as IDataObject).length);
		if (state.scan === undefined && snapshot) {
			for (const [id, stamp] of snapshot) {
				const time = Date.parse(stamp);
				if (current.get(id) !== stamp || time < startedAt) continue;
				expect([seed, id, stamp, emitted.get(id)?.includes(time)]).toEqual([seed, id, stamp, true]);
			}
		}
		return state;
	};

	if (startFrom === 'now') {
		for (let index = 0; index < 5; index++) write();
		startedAt = Math.floor(store.clock.now() / 1000) * 1000 + 1000;
		await poll();
		// Later writes are stamped after the start's second.
		control.setClock({ offsetMs: store.clock.offsetMs + 1500 });
	}
	for (let round = 0; round < 8; round++) {
		const writes = Math.floor(rand() * 5);
		for (let index = 0; index < writes; index++) write();
		await poll();
	}
	quiet = true;
	for (let completed = 0, extra = 0; completed < 2 && extra < 60; extra++) {
		if ((await poll()).scan === undefined) completed++;
	}
	for (const [id, stamp] of current) {
		const time = Date.parse(stamp);
		if (time < startedAt) continue;
		expect([seed, id, stamp, emitted.get(id)?.includes(time)]).toEqual([seed, id, stamp, true]);
	}
	// Quiet for longer than the overlap.
	control.setClock({ offsetMs: store.clock.offsetMs + 11 * MINUTE });
	for (let completed = 0, extra = 0; completed < 1 && extra < 60; extra++) {
		if ((await poll()).scan === undefined) completed++;
	}
	// Quiet scans leave the watermark at the newest change (the Date header may run ahead of the stamps): the
	// checkpoint keeps only what changed within the overlap before it.
	const state = runner.staticData.incrementalPull as { watermarkUtc: string; seen: Record<string, string> };
	const keepFrom = Date.parse(state.watermarkUtc) - 5 * MINUTE;
	expect([seed, Object.values(state.seen).filter((stamp) => Date.parse(stamp) < keepFrom)]).toEqual([seed, []]);
	expect(maxState).toBeLessThanOrEqual(current.size);
}

afterAll(() => {
	const { control } = getSandbox();
	control.setMaxPageSize(undefined);
	control.setClock({ offsetMs: 0, resolutionMs: 1, commitDelayMs: 0 });
	control.setAggregateTimeFilter('exact');
});

describe('ERP.net Trigger, randomised through n8n-core', () => {
	it('should emit every change exactly once over many seeds with all switches', async () => {
		for (let seed = 1; seed <= 12; seed++) await runSeed(seed * 104_729);
	}, 600_000);
});
