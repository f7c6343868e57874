/**
 * The trigger's incremental pull, as https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html
 * describes it, as pure functions over the state n8n keeps between polls (workflow static data):
 * - a scan reads `AggregateLastUpdateTimeUtc ge <from>` page by page through `@odata.nextLink` and may span
 *   several polls (`scan.nextUrl` keeps its place);
 * - `seen` is the docs' `lastAppliedUtcById`: a record is emitted only when its timestamp is newer than the
 *   one already processed for its Id;
 * - the watermark advances only when a scan completes, to the newest timestamp seen but never past the server
 *   time at which the scan started (a record changed behind the cursor of a long scan is stamped after that
 *   time, so the next scan, which starts `overlap` earlier, finds it);
 * - `seen` is pruned below the next scan's start: older records are dropped by `from` anyway, so the state
 *   holds only the records changed within the overlap window.
 */
import type { Timestamp } from './timestamps';
import { maxTimestamp, minTimestamp, minus, plus, toTimestamp } from './timestamps';

export type StartFrom = 'now' | 'date' | 'all';
export type TriggerEvent = 'createdOrUpdated' | 'created' | 'updated';
export type ChangeKind = 'created' | 'updated';

export interface ScanState {
	/** The next page to read, exactly as the server returned it (opaque, https://docs.erp.net/dev/domain-api/querying-data/paging.html). */
	nextUrl?: string;
	/** Start of the window (`ge`); undefined for a full read (Start From: All). */
	fromUtc?: Timestamp;
	/** Server time (`Date` header) of the scan's first response. */
	startedUtc: Timestamp;
	maxSeenUtc?: Timestamp;
	/** First scan of Start From: Now: records already there are remembered, not emitted. */
	baseline: boolean;
}

/** The state as n8n stores it between polls (workflow static data: plain JSON). */
export interface TriggerState {
	version: 1;
	/** What the state belongs to (entity set, filter, start); another value starts over. */
	key: string;
	watermarkUtc?: Timestamp;
	/** Id → last processed AggregateLastUpdateTimeUtc (`lastAppliedUtcById` of https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html). */
	seen: Record<string, Timestamp>;
	scan?: ScanState;
}

/** The state while a poll works on it: the checkpoint as a Map (a backlog adds hundreds of thousands of Ids). */
export interface PullState extends Omit<TriggerState, 'seen'> {
	seen: Map<string, Timestamp>;
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
	/** Canonical creation time where the entity has one. */
	createdUtc?: Timestamp;
}

export interface Emission<T> {
	record: T;
	change: ChangedRecord;
	kind: ChangeKind;
}

export function emptyState(key: string): PullState {
	return { version: 1, key, seen: new Map() };
}

/** The stored state when it belongs to `key`, else a fresh one. */
export function loadState(stored: unknown, key: string): PullState {
	const candidate = stored as Partial<TriggerState> | undefined;
	if (!candidate || candidate.version !== 1 || candidate.key !== key || typeof candidate.seen !== 'object' || candidate.seen === null) {
		return emptyState(key);
	}
	const seen = new Map<string, Timestamp>();
	for (const id in candidate.seen) seen.set(id, candidate.seen[id]);
	return { version: 1, key, watermarkUtc: candidate.watermarkUtc, seen, scan: candidate.scan && { ...candidate.scan } };
}

/** The state to store (plain JSON). */
export function storedState(state: PullState): TriggerState {
	const seen: Record<string, Timestamp> = {};
	for (const [id, timestamp] of state.seen) seen[id] = timestamp;
	return { version: 1, key: state.key, watermarkUtc: state.watermarkUtc, seen, scan: state.scan && { ...state.scan } };
}

/** A new scan at server time `serverNow`. */
export function beginScan(state: Pick<PullState, 'watermarkUtc'>, settings: TriggerSettings, serverNow: Timestamp): ScanState {
	if (state.watermarkUtc !== undefined) {
		return { fromUtc: minus(state.watermarkUtc, settings.overlapMs), startedUtc: serverNow, baseline: false };
	}
	switch (settings.startFrom) {
		case 'all':
			return { startedUtc: serverNow, baseline: false };
		case 'date':
			return { fromUtc: settings.startDate ?? serverNow, startedUtc: serverNow, baseline: false };
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
		const previous = state.seen.get(id);
		if (previous !== undefined && timestamp <= previous) continue;
		state.seen.set(id, timestamp);
		scan.maxSeenUtc = maxTimestamp(scan.maxSeenUtc, timestamp);
		// Baseline (Start From: Now): what was there when the trigger started is remembered, not emitted; changes
		// stamped after the second of the server's `Date` (whole seconds) at the start are emitted.
		if (!scan.baseline || timestamp >= plus(scan.startedUtc, 1000)) emit(emissions, settings, record, change, changeKind(scan, change, previous));
	}
	return emissions;
}

function emit<T>(emissions: Array<Emission<T>>, settings: TriggerSettings, record: T, change: ChangedRecord, kind: ChangeKind): void {
	if (settings.event === 'createdOrUpdated' || settings.event === kind) emissions.push({ record, change, kind });
}

/**
 * Created: not processed before and, where the entity has a creation time, created inside the scan's window
 * (an old record changed after a quiet period is an update, although the pruned state no longer knows it).
 */
export function changeKind(scan: Pick<ScanState, 'fromUtc'>, change: ChangedRecord, previous: Timestamp | undefined): ChangeKind {
	if (previous !== undefined) return 'updated';
	if (change.createdUtc === undefined || scan.fromUtc === undefined) return 'created';
	return change.createdUtc >= scan.fromUtc ? 'created' : 'updated';
}

/** Completes a scan: advances the watermark and prunes `seen` below the next scan's window. */
export function completeScan(state: PullState, scan: ScanState, settings: TriggerSettings): void {
	const reached = scan.baseline ? scan.startedUtc : minTimestamp(scan.maxSeenUtc ?? scan.startedUtc, scan.startedUtc);
	state.watermarkUtc = maxTimestamp(state.watermarkUtc, reached);
	state.scan = undefined;
	const keepFrom = minus(state.watermarkUtc as Timestamp, settings.overlapMs);
	for (const [id, timestamp] of state.seen) {
		if (timestamp < keepFrom) state.seen.delete(id);
	}
}

/** The change facts of a record read with `$select=Id,AggregateLastUpdateTimeUtc[,creation attribute]`. */
export function changeOf(record: Record<string, unknown>, creationAttribute?: string): ChangedRecord | undefined {
	const id = record.Id;
	if (typeof id !== 'string' || id === '') return undefined;
	return {
		id: id.toLowerCase(),
		timestamp: toTimestamp(record.AggregateLastUpdateTimeUtc),
		createdUtc: creationAttribute ? toTimestamp(record[creationAttribute]) : undefined,
	};
}
