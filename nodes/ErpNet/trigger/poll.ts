/**
 * One poll of the trigger: continue the running scan or start a new one, read pages until the scan ends or
 * the time budget is spent, and return the records to emit with the state to store. The HTTP side is behind
 * `PageReader` so that this is testable without n8n.
 */
import type { ChangedRecord, CreationAttribute, Emission, ScanState, TriggerSettings, TriggerState } from './state';
import { applyPage, beginScan, changeOf, completeScan, endScan, loadState, storedState } from './state';
import type { Timestamp } from './timestamps';

export interface ChangesPage {
	records: Array<Record<string, unknown>>;
	nextLink?: string;
	/** The server's `Date` header. */
	serverTime?: Timestamp;
}

export interface PageReader {
	/**
	 * "Now" on the server with the cheapest request: its `Date` header, but never later than the newest change
	 * stamp (the front end's `Date` may run ahead of the clock that stamps the changes).
	 */
	serverTime(): Promise<Timestamp>;
	/** Whether a stored next link still leads into the instance's Domain API (the credential may have moved). */
	canFollow(nextLink: string): Promise<boolean>;
	/** First page of a scan: records with `AggregateLastUpdateTimeUtc ge fromUtc` (all when undefined). */
	firstPage(fromUtc: Timestamp | undefined): Promise<ChangesPage>;
	/** A page by its `@odata.nextLink`, unchanged. */
	nextPage(nextLink: string): Promise<ChangesPage>;
}

export interface PollInput {
	stored: unknown;
	key: string;
	/** The key an earlier release stored the same state under (taken over once). */
	legacyKey?: string;
	settings: TriggerSettings;
	creationAttribute?: CreationAttribute;
	reader: PageReader;
	/** True once the poll must stop reading (checked before each further page). */
	outOfTime: () => boolean;
}

export interface PollResult {
	state: TriggerState;
	emissions: Array<Emission<Record<string, unknown>>>;
	/** Requests made. */
	pages: number;
}

export async function pollChanges(input: PollInput): Promise<PollResult> {
	const { settings, reader } = input;
	const state = loadState(input.stored, input.key, input.legacyKey);
	const emissions: Array<Emission<Record<string, unknown>>> = [];
	let pages = 0;
	let scan: ScanState;
	let page: ChangesPage;
	const resumeUrl = state.scan?.nextUrl;
	if (state.scan && resumeUrl && !(await reader.canFollow(resumeUrl))) {
		// a link of another instance (a state from before states were kept per instance): the scan starts
		// again; what it pruned while running is read again rather than lost
		endScan(state);
		state.prunedBeforeUtc = undefined;
	}
	if (state.scan && resumeUrl) {
		scan = state.scan;
		page = await reader.nextPage(resumeUrl);
	} else {
		let serverNow: Timestamp | undefined;
		if (state.watermarkUtc === undefined && settings.startFrom === 'now') {
			serverNow = await reader.serverTime();
			pages++;
		}
		// The window start is known before the first request except for Start From: Now (above); the scan's
		// server time is then the first page's Date header (at or before the moment the server read the page).
		const provisional = beginScan(state, settings, serverNow ?? '9999-12-31T23:59:59.999999999Z');
		page = await reader.firstPage(provisional.fromUtc);
		scan = { ...provisional, startedUtc: serverNow ?? page.serverTime ?? (await reader.serverTime()) };
	}
	pages++;
	// A full read (no window) calls every first sighting "created" (changeKind): the creation time is not read then.
	const creationAttribute = scan.fromUtc === undefined ? undefined : input.creationAttribute;
	for (;;) {
		const records: Array<{ record: Record<string, unknown>; change: ChangedRecord }> = [];
		for (const record of page.records) {
			const change = changeOf(record, creationAttribute);
			if (change) records.push({ record, change });
		}
		for (const emission of applyPage(state, scan, settings, records)) emissions.push(emission);
		if (!page.nextLink) {
			completeScan(state, scan, settings);
			break;
		}
		scan.nextUrl = page.nextLink;
		if (input.outOfTime()) {
			state.scan = scan;
			break;
		}
		page = await reader.nextPage(page.nextLink);
		pages++;
	}
	return { state: storedState(state), emissions, pages };
}
