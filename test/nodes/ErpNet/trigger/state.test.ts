/**
 * The trigger's watermark/checkpoint state machine (incremental-pull.md) on plain data: no HTTP, no n8n.
 */
import type {
	ChangedRecord,
	PullState,
	ScanState,
	TriggerSettings,
	TriggerState,
} from '../../../../nodes/ErpNet/trigger/state';
import {
	applyPage,
	beginScan,
	changeKind,
	changeOf,
	completeScan,
	emptyState,
	loadState,
	storedState,
} from '../../../../nodes/ErpNet/trigger/state';
import { filterLiteral, fromHttpDate, minus, toTimestamp } from '../../../../nodes/ErpNet/trigger/timestamps';

const MINUTE = 60_000;
const ts = (iso: string) => toTimestamp(iso) as string;
const settings = (overrides: Partial<TriggerSettings> = {}): TriggerSettings => ({
	startFrom: 'now',
	overlapMs: 5 * MINUTE,
	event: 'createdOrUpdated',
	...overrides,
});
const page = (...changes: ChangedRecord[]) => changes.map((change) => ({ record: change.id, change }));
const change = (id: string, iso: string | undefined, created?: string): ChangedRecord => ({
	id,
	timestamp: iso === undefined ? undefined : ts(iso),
	createdUtc: created === undefined ? undefined : ts(created),
});

describe('timestamps', () => {
	it('should keep seven fractional digits apart and read offsets as UTC', () => {
		expect(ts('2026-01-01T10:00:00.1234567Z') > ts('2026-01-01T10:00:00.1234566Z')).toBe(true);
		expect(ts('2026-01-01T12:00:00+02:00')).toBe(ts('2026-01-01T10:00:00Z'));
		expect(ts('2026-01-01T10:00:00')).toBe(ts('2026-01-01T10:00:00.000Z'));
		expect(toTimestamp('not a date')).toBeUndefined();
		expect(toTimestamp(null)).toBeUndefined();
	});

	it('should read what ERP.net sends exactly as any other ISO 8601 form of the same instant', () => {
		expect(ts('2026-01-01T10:00:00Z')).toBe('2026-01-01T10:00:00.000000000Z');
		expect(ts('2026-01-01T10:00:00.1234567Z')).toBe('2026-01-01T10:00:00.123456700Z');
		expect(ts('2026-01-01T10:00:00.12345678912Z')).toBe('2026-01-01T10:00:00.123456789Z');
		expect(ts('2024-02-29T23:59:59.5Z')).toBe(ts('2024-03-01T01:59:59.5+02:00'));
		// not a calendar date: read as Date.UTC reads it, the way every other form is
		expect(ts('2026-02-30T10:00:00Z')).toBe(ts('2026-03-02T10:00:00Z'));
		expect(ts('2026-04-31T00:00:00Z')).toBe(ts('2026-05-01T00:00:00Z'));
	});

	it('should round the filter literal and the overlap down, never up', () => {
		expect(filterLiteral(ts('2026-01-01T10:00:00.1239Z'))).toBe('2026-01-01T10:00:00.123Z');
		expect(filterLiteral(minus(ts('2026-01-01T10:00:00.5Z'), 5 * MINUTE))).toBe('2026-01-01T09:55:00.500Z');
	});

	it('should read an HTTP Date header', () => {
		expect(fromHttpDate('Sun, 29 Nov 2026 14:05:21 GMT')).toBe(ts('2026-11-29T14:05:21Z'));
		expect(fromHttpDate(undefined)).toBeUndefined();
	});
});

describe('incremental pull state', () => {
	const now = ts('2026-01-01T10:00:00Z');
	const stateWith = (seen: Record<string, string>): PullState =>
		loadState({ version: 1, key: 'k', watermarkUtc: now, seen }, 'k');

	it('should start from now minus the overlap, remember what is there, and emit nothing (baseline)', () => {
		const state = emptyState('k');
		const scan = beginScan(state, settings(), now);
		expect(scan).toMatchObject({ fromUtc: ts('2026-01-01T09:55:00Z'), baseline: true });
		expect(applyPage(state, scan, settings(), page(change('a', '2026-01-01T09:58:00Z')))).toEqual([]);
		completeScan(state, scan, settings());
		expect(state.watermarkUtc).toBe(now);
		expect(storedState(state).seen).toEqual({ a: ts('2026-01-01T09:58:00Z') });
	});

	it('should emit a record only when its timestamp is newer than the processed one', () => {
		const state = stateWith({ a: ts('2026-01-01T09:58:00Z') });
		const scan = beginScan(state, settings(), ts('2026-01-01T10:01:00Z'));
		const emitted = applyPage(
			state,
			scan,
			settings(),
			page(
				change('a', '2026-01-01T09:58:00Z'),
				change('b', '2026-01-01T10:00:30Z'),
				change('a', '2026-01-01T10:00:40Z'),
			),
		);
		expect(emitted.map((emission) => [emission.record, emission.kind])).toEqual([
			['b', 'created'],
			['a', 'updated'],
		]);
		expect(applyPage(state, scan, settings(), page(change('b', '2026-01-01T10:00:30Z')))).toEqual([]);
	});

	it('should skip records older than the window (a server that truncates the filter to the date returns them)', () => {
		const state = stateWith({});
		const scan = beginScan(state, settings(), ts('2026-01-01T10:01:00Z'));
		expect(applyPage(state, scan, settings(), page(change('old', '2026-01-01T08:00:00Z')))).toEqual([]);
		expect(state.seen.size).toBe(0);
	});

	it('should advance the watermark only when the scan completes, and not past the scan start', () => {
		const state = stateWith({});
		const scan = beginScan(state, settings(), ts('2026-01-01T10:10:00Z'));
		applyPage(state, scan, settings(), page(change('a', '2026-01-01T10:20:00Z')));
		expect(state.watermarkUtc).toBe(now);
		completeScan(state, scan, settings());
		expect(state.watermarkUtc).toBe(ts('2026-01-01T10:10:00Z'));
	});

	it('should keep the watermark at the newest record seen when that is earlier than the scan start', () => {
		const state = stateWith({});
		const scan = beginScan(state, settings(), ts('2026-01-01T10:10:00Z'));
		applyPage(state, scan, settings(), page(change('a', '2026-01-01T10:03:00Z')));
		completeScan(state, scan, settings());
		expect(state.watermarkUtc).toBe(ts('2026-01-01T10:03:00Z'));
	});

	it('should prune the checkpoint below the next window', () => {
		const state = stateWith({ old: ts('2026-01-01T09:56:00Z') });
		const scan = beginScan(state, settings(), ts('2026-01-01T10:30:00Z'));
		applyPage(state, scan, settings(), page(change('new', '2026-01-01T10:29:00Z')));
		completeScan(state, scan, settings());
		expect([...state.seen.keys()]).toEqual(['new']);
	});

	it('should read everything for Start From: All and emit null timestamps there only', () => {
		const state = emptyState('k');
		const scan = beginScan(state, settings({ startFrom: 'all' }), now);
		expect(scan.fromUtc).toBeUndefined();
		const emitted = applyPage(
			state,
			scan,
			settings({ startFrom: 'all' }),
			page(change('n', undefined), change('a', '2020-01-01T00:00:00Z')),
		);
		expect(emitted.map((emission) => emission.record)).toEqual(['n', 'a']);
		completeScan(state, scan, settings({ startFrom: 'all' }));
		const next = beginScan(state, settings(), ts('2026-01-01T10:05:00Z'));
		expect(applyPage(state, next, settings(), page(change('n', undefined)))).toEqual([]);
	});

	it('should start from the given date', () => {
		const scan = beginScan(
			emptyState('k'),
			settings({ startFrom: 'date', startDate: ts('2025-06-01T00:00:00Z') }),
			now,
		);
		expect(scan).toMatchObject({ fromUtc: ts('2025-06-01T00:00:00Z'), baseline: false });
	});

	it('should filter by event but remember every record', () => {
		const state = stateWith({ a: ts('2026-01-01T09:58:00Z') });
		const created = settings({ event: 'created' });
		const scan = beginScan(state, created, ts('2026-01-01T10:05:00Z'));
		const emitted = applyPage(
			state,
			scan,
			created,
			page(change('a', '2026-01-01T10:01:00Z'), change('b', '2026-01-01T10:02:00Z')),
		);
		expect(emitted.map((emission) => emission.record)).toEqual(['b']);
		expect([...state.scanSeen.keys()].sort()).toEqual(['a', 'b']);
	});

	it('should leave the watermark where it was after a scan that saw nothing', () => {
		const state = stateWith({});
		const scan = beginScan(state, settings(), ts('2026-01-01T10:20:00Z'));
		completeScan(state, scan, settings());
		expect(state.watermarkUtc).toBe(now);
	});

	it('should never reach below where the checkpoint was pruned, whatever the overlap', () => {
		const state = stateWith({});
		const scan = beginScan(state, settings(), ts('2026-01-01T10:30:00Z'));
		applyPage(state, scan, settings(), page(change('a', '2026-01-01T10:20:00Z')));
		completeScan(state, scan, settings());
		expect(state.prunedBeforeUtc).toBe(ts('2026-01-01T10:15:00Z'));
		expect(beginScan(state, settings({ overlapMs: 60 * MINUTE }), ts('2026-01-01T10:31:00Z')).fromUtc).toBe(
			ts('2026-01-01T10:15:00Z'),
		);
		expect(loadState(storedState(state), 'k').prunedBeforeUtc).toBe(ts('2026-01-01T10:15:00Z'));
	});

	it('should prune while a scan runs: what is older than the overlap before its newest stamp is emitted, not kept', () => {
		const state = emptyState('k');
		const all = settings({ startFrom: 'all' });
		const scan = beginScan(state, all, ts('2026-01-01T10:30:00Z'));
		applyPage(state, scan, all, page(change('a', '2020-01-01T00:00:00Z'), change('b', '2026-01-01T10:20:00Z')));
		const emitted = applyPage(
			state,
			scan,
			all,
			page(change('c', '2021-01-01T00:00:00Z'), change('d', '2026-01-01T10:18:00Z')),
		);
		expect(emitted.map((emission) => emission.record)).toEqual(['c', 'd']);
		expect([...state.scanSeen.keys()].sort()).toEqual(['b', 'd']);
	});

	it('should keep what earlier scans processed while a scan runs: it may still be ahead of the cursor', () => {
		const state = stateWith({ z: ts('2026-01-01T09:57:00Z') });
		const scan = beginScan(state, settings(), ts('2026-01-01T10:30:00Z'));
		applyPage(state, scan, settings(), page(change('a', '2026-01-01T10:20:00Z')));
		expect(applyPage(state, scan, settings(), page(change('z', '2026-01-01T09:57:00Z')))).toEqual([]);
		completeScan(state, scan, settings());
		expect([...state.seen.keys()]).toEqual(['a']);
	});

	it('should hold Start Date as a floor for every scan', () => {
		const dated = settings({ startFrom: 'date', startDate: ts('2026-01-01T09:58:00Z') });
		expect(beginScan(stateWith({}), dated, ts('2026-01-01T10:05:00Z')).fromUtc).toBe(ts('2026-01-01T09:58:00Z'));
		const future = settings({ startFrom: 'date', startDate: ts('2026-01-02T00:00:00Z') });
		const state = emptyState('k');
		completeScan(state, beginScan(state, future, now), future);
		expect(state.watermarkUtc).toBeUndefined();
		expect(beginScan(state, future, ts('2026-01-01T11:00:00Z')).fromUtc).toBe(ts('2026-01-02T00:00:00Z'));
	});

	it('should take over a state stored under the key of an earlier release', () => {
		const stored: TriggerState = { version: 1, key: 'old', watermarkUtc: now, seen: { a: now } };
		expect(loadState(stored, 'new', 'old')).toMatchObject({ key: 'new', watermarkUtc: now });
		expect(loadState(stored, 'new', 'other')).toEqual(emptyState('new'));
	});

	it('should read a local creation time in any zone on Earth, never as UTC', () => {
		const scan: Pick<ScanState, 'fromUtc'> = { fromUtc: ts('2026-01-01T09:55:00Z') };
		const local = (created: string): ChangedRecord => ({
			...change('a', '2026-01-01T10:00:00Z', created),
			createdLocal: true,
		});
		// created at 09:59 UTC on a server at UTC−5: its local time reads 04:59
		expect(changeKind(scan, local('2026-01-01T04:59:00Z'), undefined)).toBe('created');
		expect(changeKind(scan, local('2025-12-31T20:00:00Z'), undefined)).toBe('updated');
	});

	it('should call a first sighting an update when the record was created before the window', () => {
		const scan: Pick<ScanState, 'fromUtc'> = { fromUtc: ts('2026-01-01T09:55:00Z') };
		expect(changeKind(scan, change('a', '2026-01-01T10:00:00Z', '2025-01-01T00:00:00Z'), undefined)).toBe('updated');
		expect(changeKind(scan, change('a', '2026-01-01T10:00:00Z', '2026-01-01T09:59:00Z'), undefined)).toBe('created');
		expect(changeKind(scan, change('a', '2026-01-01T10:00:00Z'), undefined)).toBe('created');
	});

	it('should start over when the stored state belongs to other settings', () => {
		const stored: TriggerState = { version: 1, key: 'one', watermarkUtc: now, seen: { a: now } };
		expect(storedState(loadState(stored, 'one'))).toEqual(stored);
		expect(loadState(stored, 'two')).toEqual(emptyState('two'));
		expect(loadState(undefined, 'two')).toEqual(emptyState('two'));
	});

	it('should read the change facts of a record', () => {
		expect(
			changeOf(
				{ Id: 'ABC', AggregateLastUpdateTimeUtc: '2026-01-01T10:00:00Z', CreationTimeUtc: '2026-01-01T09:00:00Z' },
				{ name: 'CreationTimeUtc', local: false },
			),
		).toEqual({
			id: 'abc',
			timestamp: ts('2026-01-01T10:00:00Z'),
			createdUtc: ts('2026-01-01T09:00:00Z'),
		});
		// a local time: its digits as written, whatever zone designator it carries
		expect(
			changeOf({ Id: 'a', CreationTime: '2026-01-01T04:00:00Z' }, { name: 'CreationTime', local: true }),
		).toMatchObject({
			createdUtc: ts('2026-01-01T04:00:00Z'),
			createdLocal: true,
		});
		expect(changeOf({ AggregateLastUpdateTimeUtc: null })).toBeUndefined();
	});
});
