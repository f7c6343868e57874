/**
 * The trigger's incremental pull, as https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html
 * describes it, as pure functions over the state n8n keeps between polls (workflow static data):
 * - a scan reads `AggregateLastUpdateTimeUtc ge <from>` page by page through `@odata.nextLink` and may span
 *   several polls (`scan.nextUrl` keeps its place);
 * - `seen` is the docs' `lastAppliedUtcById`: a record is emitted only when its timestamp is newer than the
 *   one already processed for its Id;
 * - the watermark advances only when a scan completes, to the newest timestamp seen but never past the server
 *   time at which the scan started (a record changed behind the cursor of a long scan is stamped after that
 *   time, so the next scan, which starts `overlap` earlier, finds it); a scan that sees nothing leaves it where
 *   it was (the `Date` header may run ahead of the clock that stamps the changes);
 * - `seen` is pruned below the next scan's start: older records are dropped by `from` anyway, so the state holds
 *   only the records changed within the overlap window. A long scan keeps what it processes apart (`scan.seen`)
 *   and prunes that after each page: behind its cursor (paging by Id) nothing is read again by it, and below
 *   the overlap before what it has reached nothing by a later scan. `prunedBeforeUtc` remembers where, so that
 *   a larger overlap never reaches below it (what was pruned was emitted);
 * - Start From: Date is a floor for every scan, not only the first.
 */
import type { Timestamp } from './timestamps';
import { maxTimestamp, minTimestamp, minus, plus, toTimestamp } from './timestamps';

export type StartFrom = 'now' | 'date' | 'all';
export type TriggerEvent = 'createdOrUpdated' | 'created' | 'updated';
export type ChangeKind = 'created' | 'updated';

export interface ScanState {
	/**
	 * The next page to read, exactly as the server returned it (opaque,
	 * https://docs.erp.net/dev/domain-api/querying-data/paging.html).
	 */
	nextUrl?: string;
	/** Start of the window (`ge`); undefined for a full read (Start From: All). */
	fromUtc?: Timestamp;
	/** Server time (`Date` header) of the scan's first response. */
	startedUtc: Timestamp;
	maxSeenUtc?: Timestamp;
	/** First scan of Start From: Now: records already there are remembered, not emitted. */
	baseline: boolean;
	/** `seen` of this scan holds its records stamped at or after this (older ones can no longer be re-read). */
	keepFromUtc?: Timestamp;
	/** Id → timestamp of the records this scan processed (behind its cursor), until it completes. */
	seen?: Record<string, Timestamp>;
}

/** The state as n8n stores it between polls (workflow static data: plain JSON). */
export interface TriggerState {
	version: 1;
	/** What the state belongs to (entity set, filter, start); another value starts over. */
	key: string;
	watermarkUtc?: Timestamp;
	/**
	 * Id → last processed AggregateLastUpdateTimeUtc (`lastAppliedUtcById` of
	 * https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html).
	 */
	seen: Record<string, Timestamp>;
	/** `seen` was pruned below this: no scan reads below it again (absent in states of earlier releases). */
	prunedBeforeUtc?: Timestamp;
	scan?: ScanState;
}

/** The state while a poll works on it: the checkpoint as a Map (a backlog adds hundreds of thousands of Ids). */
export interface PullState extends Omit<TriggerState, 'seen'> {
	seen: Map<string, Timestamp>;
	/** What the running scan processed (`scan.seen`): pruned while it runs, merged into `seen` when it ends. */
	scanSeen: Map<string, Timestamp>;
}

export interface TriggerSettings {
	startFrom: StartFrom;
	/** For `date`. */
	startDate?: Timestamp;
	overlapMs: number;
	event: TriggerEvent;
}

export interface ChangedRecord {
	id: string;
	/** Canonical AggregateLastUpdateTimeUtc; undefined when the server says null ("unknown"). */
	timestamp?: Timestamp;
	/** Canonical creation time where the entity has one (as written, with `Z`, when it is a local time). */
	createdUtc?: Timestamp;
	/** The creation time is the server's local time in an unknown zone (`Default(Now)`), not UTC. */
	createdLocal?: boolean;
}

export interface Emission<T> {
	record: T;
	change: ChangedRecord;
	kind: ChangeKind;
}

export function emptyState(key: string): PullState {
	return { version: 1, key, seen: new Map(), scanSeen: new Map() };
}

/**
 * The stored state when it belongs to `key`, else a fresh one. A state stored under `legacyKey` (the key of
 * an earlier release) is taken over under `key`, so that an upgrade neither loses nor repeats a change.
 */
export function loadState(stored: unknown, key: string, legacyKey?: string): PullState {
	const candidate = stored as Partial<TriggerState> | undefined;
	const owned = candidate?.key === key || (legacyKey !== undefined && candidate?.key === legacyKey);
	if (
		!candidate ||
		candidate.version !== 1 ||
		!owned ||
		typeof candidate.seen !== 'object' ||
		candidate.seen === null
	) {
		return emptyState(key);
	}
	const scan = candidate.scan && { ...candidate.scan };
	const scanSeen = toMap(scan?.seen);
	if (scan) delete scan.seen;
	return {
		version: 1,
		key,
		watermarkUtc: candidate.watermarkUtc,
		seen: toMap(candidate.seen),
		scanSeen,
		prunedBeforeUtc: candidate.prunedBeforeUtc,
		scan,
	};
}

function toMap(stored: Record<string, Timestamp> | undefined): Map<string, Timestamp> {
	const map = new Map<string, Timestamp>();
	for (const id in stored) map.set(id, stored[id]);
	return map;
}

function toRecord(map: Map<string, Timestamp>): Record<string, Timestamp> {
	const record: Record<string, Timestamp> = {};
	for (const [id, timestamp] of map) record[id] = timestamp;
	return record;
}

/** The state to store (plain JSON). */
export function storedState(state: PullState): TriggerState {
	const scan = state.scan && { ...state.scan };
	if (scan && state.scanSeen.size > 0) scan.seen = toRecord(state.scanSeen);
	const stored: TriggerState = {
		version: 1,
		key: state.key,
		watermarkUtc: state.watermarkUtc,
		seen: toRecord(state.seen),
		scan,
	};
	if (state.prunedBeforeUtc !== undefined) stored.prunedBeforeUtc = state.prunedBeforeUtc;
	return stored;
}

/**
 * A new scan at server time `serverNow`. It never reaches below where `seen` was pruned (a larger overlap than
 * the one that pruned it would emit again what was emitted) nor below Start Date.
 */
export function beginScan(
	state: Pick<PullState, 'watermarkUtc' | 'prunedBeforeUtc'>,
	settings: TriggerSettings,
	serverNow: Timestamp,
): ScanState {
	const floor = settings.startFrom === 'date' ? settings.startDate : undefined;
	if (state.watermarkUtc !== undefined) {
		const fromUtc = maxTimestamp(
			maxTimestamp(minus(state.watermarkUtc, settings.overlapMs), state.prunedBeforeUtc),
			floor,
		);
		return { fromUtc, startedUtc: serverNow, baseline: false };
	}
	switch (settings.startFrom) {
		case 'all':
			return { startedUtc: serverNow, baseline: false };
		case 'date':
			return { fromUtc: floor ?? serverNow, startedUtc: serverNow, baseline: false };
		default:
			return { fromUtc: minus(serverNow, settings.overlapMs), startedUtc: serverNow, baseline: true };
	}
}

/**
 * Applies one page of a scan to the state and returns what to emit, in page order. Records older than the
 * window (a server that truncates the filter to the date returns them) and records already processed with the
 * same or a newer timestamp are skipped.
 */
export function applyPage<T>(
	state: PullState,
	scan: ScanState,
	settings: TriggerSettings,
	records: Array<{ record: T; change: ChangedRecord }>,
): Array<Emission<T>> {
	const emissions: Array<Emission<T>> = [];
	for (const { record, change } of records) {
		const { id, timestamp } = change;
		if (timestamp === undefined) {
			// null = unknown: a `ge` filter never matches it, so only a full read (Start From: All) sees it, once.
			if (scan.fromUtc === undefined && !scan.baseline) emit(emissions, settings, record, change, 'created');
			continue;
		}
		if (scan.fromUtc !== undefined && timestamp < scan.fromUtc) continue;
		const previous = state.scanSeen.get(id) ?? state.seen.get(id);
		if (previous !== undefined && timestamp <= previous) continue;
		// below keepFromUtc no later scan reads it again: emitted, not remembered (a backlog stays small)
		if (scan.keepFromUtc === undefined || timestamp >= scan.keepFromUtc) state.scanSeen.set(id, timestamp);
		else state.scanSeen.delete(id);
		scan.maxSeenUtc = maxTimestamp(scan.maxSeenUtc, timestamp);
		// Baseline (Start From: Now): what was there when the trigger started is remembered, not emitted; changes
		// stamped after the second of the server's `Date` (whole seconds) at the start are emitted.
		if (!scan.baseline || timestamp >= plus(scan.startedUtc, 1000))
			emit(emissions, settings, record, change, changeKind(scan, change, previous));
	}
	pruneDuringScan(state, scan, settings);
	return emissions;
}

/** The watermark a scan reaches if it completed now: its newest timestamp, capped by its start (see above). */
function reachedWatermark(state: Pick<PullState, 'watermarkUtc'>, scan: ScanState): Timestamp | undefined {
	const reached = scan.baseline ? scan.startedUtc : scan.maxSeenUtc && minTimestamp(scan.maxSeenUtc, scan.startedUtc);
	return maxTimestamp(state.watermarkUtc, reached);
}

/**
 * Drops from what this scan processed (behind its cursor: it does not read it again) what no later scan reads
 * either: below the start of the scan after this one, whose watermark is at least what this scan has reached
 * so far. Runs after each page, so that a backlog of millions of records (Start From: All) keeps only the
 * records changed within the overlap. What earlier scans processed may still lie ahead of the cursor: it stays
 * until the scan completes.
 */
function pruneDuringScan(state: PullState, scan: ScanState, settings: TriggerSettings): void {
	const reached = reachedWatermark(state, scan);
	if (reached === undefined) return;
	const keepFrom = minus(reached, settings.overlapMs);
	if (scan.keepFromUtc !== undefined && keepFrom <= scan.keepFromUtc) return;
	scan.keepFromUtc = keepFrom;
	pruneBelow(state, state.scanSeen, keepFrom);
}

function pruneBelow(state: PullState, seen: Map<string, Timestamp>, keepFrom: Timestamp): void {
	for (const [id, timestamp] of seen) {
		if (timestamp < keepFrom) seen.delete(id);
	}
	state.prunedBeforeUtc = maxTimestamp(state.prunedBeforeUtc, keepFrom);
}

/** Ends the running scan: what it processed joins the checkpoint. */
export function endScan(state: PullState): void {
	for (const [id, timestamp] of state.scanSeen) state.seen.set(id, timestamp);
	state.scanSeen.clear();
	state.scan = undefined;
}

function emit<T>(
	emissions: Array<Emission<T>>,
	settings: TriggerSettings,
	record: T,
	change: ChangedRecord,
	kind: ChangeKind,
): void {
	if (settings.event === 'createdOrUpdated' || settings.event === kind) emissions.push({ record, change, kind });
}

/** Local time is UTC plus at most 14 hours (UTC+14) and minus at most 12 hours (UTC−12). */
const LOCAL_BEHIND_UTC_MS = 12 * 3_600_000;

/**
 * Created: not processed before and, where the entity has a creation time, created inside the scan's window
 * (an old record changed after a quiet period is an update, although the pruned state no longer knows it).
 * A local creation time (`Default(Now)`, zone unknown) counts as inside when it is in any zone on Earth.
 */
export function changeKind(
	scan: Pick<ScanState, 'fromUtc'>,
	change: ChangedRecord,
	previous: Timestamp | undefined,
): ChangeKind {
	if (previous !== undefined) return 'updated';
	if (change.createdUtc === undefined || scan.fromUtc === undefined) return 'created';
	const latestUtc = change.createdLocal ? plus(change.createdUtc, LOCAL_BEHIND_UTC_MS) : change.createdUtc;
	return latestUtc >= scan.fromUtc ? 'created' : 'updated';
}

/**
 * Completes a scan: advances the watermark (a scan that saw nothing leaves it) and prunes `seen` below the next
 * scan's window.
 */
export function completeScan(state: PullState, scan: ScanState, settings: TriggerSettings): void {
	state.watermarkUtc = reachedWatermark(state, scan);
	endScan(state);
	if (state.watermarkUtc !== undefined) pruneBelow(state, state.seen, minus(state.watermarkUtc, settings.overlapMs));
}

/** Which attribute tells when a record was created, and whether it is UTC or the server's local time. */
export interface CreationAttribute {
	name: string;
	local: boolean;
}

/** The change facts of a record read with `$select=Id,AggregateLastUpdateTimeUtc[,creation attribute]`. */
export function changeOf(record: Record<string, unknown>, creation?: CreationAttribute): ChangedRecord | undefined {
	const id = record.Id;
	if (typeof id !== 'string' || id === '') return undefined;
	const change: ChangedRecord = { id: id.toLowerCase(), timestamp: toTimestamp(record.AggregateLastUpdateTimeUtc) };
	if (creation) {
		change.createdUtc = toTimestamp(creation.local ? wallClock(record[creation.name]) : record[creation.name]);
		if (creation.local) change.createdLocal = true;
	}
	return change;
}

/** A local date-time's wall-clock digits: a zone designator on it says nothing (ERP.net writes `Z` on every value). */
function wallClock(value: unknown): unknown {
	return typeof value === 'string' ? value.replace(/(?:Z|[+-]\d{2}:?\d{2})$/i, '') : value;
}
