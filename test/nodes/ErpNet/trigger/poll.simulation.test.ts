/**
 * The poll loop against a simulated server over many seeds: keyset paging by Id with live reads, writes
 * between pages, late commits within the overlap, equal timestamps, a server that truncates the filter to the
 * date, scans cut by the time budget. Checks: no (Id, timestamp) twice, per-Id timestamps strictly increasing,
 * every record unchanged during a whole scan emitted by then, every final version emitted, bounded state.
 * The same properties through n8n and the sandbox: test/nodes/ErpNet/trigger/*.integration.test.ts.
 */
import type { ChangesPage, PageReader } from '../../../../nodes/ErpNet/trigger/poll';
import { pollChanges } from '../../../../nodes/ErpNet/trigger/poll';
import type { TriggerSettings, TriggerState } from '../../../../nodes/ErpNet/trigger/state';
import { fromMilliseconds, minus, toMilliseconds } from '../../../../nodes/ErpNet/trigger/timestamps';

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

interface Version {
	id: string;
	stamp: number;
}

class SimulatedServer {
	now = Date.UTC(2026, 0, 1, 23, 0);
	readonly current = new Map<string, number>();
	private nextId = 0;
	/** Runs before a next page is answered. */
	betweenPages: () => void = () => undefined;

	constructor(
		private readonly rand: () => number,
		private readonly options: { resolutionMs: number; maxDelayMs: number; truncate: boolean; pageSize: number },
	) {}

	write(): Version {
		const existing = [...this.current.keys()];
		const id =
			existing.length === 0 || this.rand() < 0.4
				? `id-${String(this.nextId++).padStart(6, '0')}`
				: existing[Math.floor(this.rand() * existing.length)];
		const delay = this.rand() < 0.3 ? Math.floor(this.rand() * this.options.maxDelayMs) : 0;
		const resolution = this.options.resolutionMs;
		const stamp = Math.floor((this.now - delay) / resolution) * resolution;
		// A late commit older than the version it replaces cannot exist: one aggregate is one row.
		const previous = this.current.get(id);
		const version = { id, stamp: previous !== undefined && stamp <= previous ? previous + 1 : stamp };
		this.current.set(id, version.stamp);
		return version;
	}

	private read(fromMs: number | undefined, afterId: string | undefined): ChangesPage {
		const bound =
			fromMs === undefined ? -Infinity : this.options.truncate ? Math.floor(fromMs / 86_400_000) * 86_400_000 : fromMs;
		const matching = [...this.current.entries()]
			.filter(([id, stamp]) => stamp >= bound && (afterId === undefined || id > afterId))
			.sort(([left], [right]) => (left < right ? -1 : 1));
		const rows = matching.slice(0, this.options.pageSize);
		const more = matching.length > rows.length;
		return {
			records: rows.map(([Id, stamp]) => ({ Id, AggregateLastUpdateTimeUtc: new Date(stamp).toISOString() })),
			nextLink: more ? JSON.stringify({ fromMs, afterId: rows[rows.length - 1][0] }) : undefined,
			serverTime: fromMilliseconds(Math.floor(this.now / 1000) * 1000),
		};
	}

	reader(counter: { requests: number }): PageReader {
		return {
			serverTime: async () => {
				counter.requests++;
				return fromMilliseconds(Math.floor(this.now / 1000) * 1000);
			},
			canFollow: async () => true,
			firstPage: async (fromUtc) => {
				counter.requests++;
				return this.read(fromUtc === undefined ? undefined : toMilliseconds(fromUtc), undefined);
			},
			nextPage: async (link) => {
				counter.requests++;
				this.betweenPages();
				const { fromMs, afterId } = JSON.parse(link) as { fromMs?: number; afterId: string };
				return this.read(fromMs ?? undefined, afterId);
			},
		};
	}
}

async function runSeed(seed: number, startFrom: 'all' | 'now', truncate: boolean) {
	const rand = random(seed);
	const overlapMs = 5 * MINUTE;
	const server = new SimulatedServer(rand, {
		resolutionMs: rand() < 0.5 ? 1 : 1000,
		maxDelayMs: overlapMs - 1000,
		truncate,
		pageSize: 1 + Math.floor(rand() * 6),
	});
	const settings: TriggerSettings = { startFrom, overlapMs, event: 'createdOrUpdated' };
	const emitted = new Map<string, string[]>();
	const emittedPairs = new Set<string>();
	const counter = { requests: 0 };
	if (startFrom === 'all') for (let index = 0; index < 20; index++) server.write();
	let stored: TriggerState | undefined;
	let scanSnapshot: Map<string, number> | undefined;
	let maxState = 0;
	let quiet = false;

	const poll = async () => {
		const scanRunning = stored?.scan !== undefined;
		const before = new Map(server.current);
		let pagesLeft = 1 + Math.floor(rand() * 4);
		server.betweenPages = () => {
			if (!quiet && rand() < 0.5) server.write();
			server.now += Math.floor(rand() * 2000);
		};
		const result = await pollChanges({
			stored,
			key: 'k',
			settings,
			reader: server.reader(counter),
			outOfTime: () => --pagesLeft <= 0,
		});
		if (!scanRunning) scanSnapshot = before;
		for (const { change } of result.emissions) {
			const pair = `${change.id}|${change.timestamp}`;
			expect(emittedPairs.has(pair)).toBe(false);
			emittedPairs.add(pair);
			const list = emitted.get(change.id) ?? [];
			if (list.length > 0) expect((change.timestamp as string) > list[list.length - 1]).toBe(true);
			list.push(change.timestamp as string);
			emitted.set(change.id, list);
		}
		stored = JSON.parse(JSON.stringify(result.state)) as TriggerState;
		maxState = Math.max(maxState, Object.keys(stored.seen).length);
		if (
			stored.scan === undefined &&
			scanSnapshot &&
			(startFrom === 'all' || scanRunning || result.pages > 1 || stored.watermarkUtc)
		) {
			// Every record unchanged during the whole scan was emitted by its end (baseline records excepted).
			for (const [id, stamp] of scanSnapshot) {
				if (server.current.get(id) !== stamp) continue;
				if (startFrom === 'now' && stamp < startedAt) continue;
				expect([seed, id, stamp, emitted.get(id)?.includes(fromMilliseconds(stamp))]).toEqual([seed, id, stamp, true]);
			}
		}
	};

	// Start From: Now: versions stamped before the server time of the first poll are not expected.
	let startedAt = -Infinity;
	if (startFrom === 'now') {
		for (let index = 0; index < 10; index++) server.write();
		server.now += 1000;
		// The Date header has whole seconds: changes within the start's second count as before the start.
		startedAt = Math.floor(server.now / 1000) * 1000 + 1000;
		await poll();
	}
	for (let round = 0; round < 40; round++) {
		const writes = Math.floor(rand() * 8);
		for (let index = 0; index < writes; index++) {
			server.write();
			server.now += Math.floor(rand() * 20_000);
		}
		server.now += Math.floor(rand() * 3 * MINUTE);
		await poll();
	}
	quiet = true;
	server.now += overlapMs;
	// Quiet now: the scan that starts after the last write must complete (the running one may have passed it).
	for (let completed = 0, extra = 0; completed < 2 && extra < 200; extra++) {
		await poll();
		if (stored?.scan === undefined) completed++;
	}
	for (const [id, stamp] of server.current) {
		if (startFrom === 'now' && stamp < startedAt) continue;
		expect([seed, id, stamp, emitted.get(id)?.includes(fromMilliseconds(stamp))]).toEqual([seed, id, stamp, true]);
	}
	// Quiet for longer than the overlap: quiet scans leave the watermark at the newest change, and the checkpoint
	// keeps only what changed within the overlap before it (state stays bounded by recent changes).
	server.now += 2 * overlapMs;
	for (let completed = 0, extra = 0; completed < 1 && extra < 200; extra++) {
		await poll();
		if (stored?.scan === undefined) completed++;
	}
	const keepFrom = minus(stored?.watermarkUtc as string, overlapMs);
	expect(Object.values(stored?.seen ?? {}).filter((stamp) => stamp < keepFrom)).toEqual([]);
	return { maxState, records: server.current.size };
}

describe('pollChanges under a simulated server', () => {
	it.each([
		['all', false],
		['all', true],
		['now', false],
		['now', true],
	] as const)('should emit every change exactly once (start %s, truncated filter %s)', async (startFrom, truncate) => {
		for (let seed = 1; seed <= 12; seed++) {
			const { maxState, records } = await runSeed(seed * 7919 + (truncate ? 1 : 0), startFrom, truncate);
			expect(maxState).toBeLessThanOrEqual(records);
		}
	});
});
