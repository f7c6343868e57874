/**
 * The sandbox's server clock: what `AggregateLastUpdateTimeUtc`, `CreationTime` defaults and the HTTP `Date`
 * header read. Tests move it away from the machine's clock and make it stamp the way a busy server does
 * (sandbox/src/odata/DECISIONS.md, "Change tracking"):
 * - `offsetMs`: server time = machine time + offset (a client whose clock differs from the server's);
 * - `resolutionMs`: change timestamps rounded down to this step (1000 → many changes share one timestamp);
 * - `commitDelayMs`: a change is stamped this long before it becomes visible, as a long transaction that
 *   commits late (https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html: "Overlap is too small for your worst-case transaction duration");
 * - `dateHeaderOffsetMs`: the HTTP `Date` header runs this far ahead of (or, negative, behind) the clock that
 *   stamps the changes: a front end (proxy, load balancer, web server) whose clock is not the database's;
 * - `timeZoneOffsetMs`: the server's local time zone (UTC + offset). `Default(Now)` attributes such as the
 *   documents' CreationTime hold local time (https://docs.erp.net/model/entities/General.Documents.Documents.html),
 *   `Default(NowUtc)` ones UTC; the Domain API writes both with `Z`.
 */
export interface SandboxClock {
	offsetMs: number;
	resolutionMs: number;
	commitDelayMs: number;
	dateHeaderOffsetMs: number;
	timeZoneOffsetMs: number;
	/** Server time in epoch milliseconds. */
	now(): number;
	/** The `AggregateLastUpdateTimeUtc` of a change committed now (ISO 8601, milliseconds, `Z`). */
	changeTimestamp(): string;
}

export type SandboxClockSettings = Partial<
	Pick<SandboxClock, 'offsetMs' | 'resolutionMs' | 'commitDelayMs' | 'dateHeaderOffsetMs' | 'timeZoneOffsetMs'>
>;

export function createSandboxClock(settings: SandboxClockSettings = {}): SandboxClock {
	const clock: SandboxClock = {
		offsetMs: settings.offsetMs ?? 0,
		resolutionMs: settings.resolutionMs ?? 1,
		commitDelayMs: settings.commitDelayMs ?? 0,
		dateHeaderOffsetMs: settings.dateHeaderOffsetMs ?? 0,
		timeZoneOffsetMs: settings.timeZoneOffsetMs ?? 0,
		now: () => Date.now() + clock.offsetMs,
		changeTimestamp: () => {
			const resolution = Math.max(1, Math.floor(clock.resolutionMs));
			const stamped = clock.now() - Math.max(0, clock.commitDelayMs);
			return new Date(Math.floor(stamped / resolution) * resolution).toISOString();
		},
	};
	return clock;
}
