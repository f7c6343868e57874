/**
 * `AggregateLastUpdateTimeUtc` values compared exactly. ERP.net serialises .NET date-times with up to seven
 * fractional digits, so epoch milliseconds would merge two changes made within one millisecond: values are
 * kept as canonical UTC strings with nine fractional digits, which sort as text.
 */
const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
/** What ERP.net sends (UTC with `Z`, up to seven fractional digits): canonical without date arithmetic. */
const UTC_DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.(\d{1,9}))?Z$/;

/** A canonical timestamp: `2026-01-31T10:00:00.123456700Z`. */
export type Timestamp = string;

/**
 * The canonical form of an ISO 8601 value, or undefined when it is not one. A value without a zone
 * designator is read as UTC (Domain API date-times are UTC; the sandbox writes `Z`).
 */
export function toTimestamp(value: unknown): Timestamp | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : fromMilliseconds(value.getTime());
	if (typeof value !== 'string') return undefined;
	// the common case, once per record and poll: a backlog reads hundreds of thousands
	const utc = UTC_DATE_TIME.exec(value);
	if (utc && (utc[2] < '29' || isCalendarDate(value))) return `${value.slice(0, 19)}.${(utc[4] ?? '').padEnd(9, '0')}Z`;
	const match = ISO_DATE_TIME.exec(value.trim());
	if (!match) return undefined;
	const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
	const wholeSeconds = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second) - zoneOffsetMs(zone);
	if (Number.isNaN(wholeSeconds)) return undefined;
	return `${new Date(wholeSeconds).toISOString().slice(0, 19)}.${fraction.padEnd(9, '0')}Z`;
}

/** Whether the date part of `YYYY-MM-DD...` exists (29-31 of short months do not). */
function isCalendarDate(value: string): boolean {
	const year = Number(value.slice(0, 4));
	const month = Number(value.slice(5, 7));
	const day = Number(value.slice(8, 10));
	return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

function zoneOffsetMs(zone: string): number {
	if (zone.toUpperCase() === 'Z') return 0;
	const digits = zone.replace(':', '');
	const sign = digits.startsWith('-') ? -1 : 1;
	return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
}

export function fromMilliseconds(epochMs: number): Timestamp {
	const iso = new Date(epochMs).toISOString();
	return `${iso.slice(0, 23)}000000Z`;
}

/** Epoch milliseconds, rounded down (the sub-millisecond digits are dropped). */
export function toMilliseconds(timestamp: Timestamp): number {
	return Date.parse(`${timestamp.slice(0, 23)}Z`);
}

/** `timestamp - ms`, rounded down to the millisecond (earlier is the safe side for a `ge` filter). */
export function minus(timestamp: Timestamp, ms: number): Timestamp {
	return fromMilliseconds(toMilliseconds(timestamp) - ms);
}

export function plus(timestamp: Timestamp, ms: number): Timestamp {
	return fromMilliseconds(toMilliseconds(timestamp) + ms);
}

/** The OData literal for `ge` filters: milliseconds, rounded down so that no later change is excluded. */
export function filterLiteral(timestamp: Timestamp): string {
	return `${timestamp.slice(0, 23)}Z`;
}

/** ISO 8601 as ERP.net writes it, for output: the canonical form without trailing zero digits. */
export function displayTimestamp(timestamp: Timestamp): string {
	const [whole, fraction] = timestamp.slice(0, -1).split('.');
	const trimmed = fraction.replace(/0+$/, '');
	return `${whole}.${trimmed.padEnd(3, '0')}Z`;
}

export function maxTimestamp(left: Timestamp | undefined, right: Timestamp | undefined): Timestamp | undefined {
	if (left === undefined) return right;
	if (right === undefined) return left;
	return left >= right ? left : right;
}

export function minTimestamp(left: Timestamp | undefined, right: Timestamp | undefined): Timestamp | undefined {
	if (left === undefined) return right;
	if (right === undefined) return left;
	return left <= right ? left : right;
}

/** The instant of an HTTP `Date` header (RFC 9110, whole seconds), or undefined. */
export function fromHttpDate(header: unknown): Timestamp | undefined {
	const text = Array.isArray(header) ? header[0] : header;
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	const instant = Date.parse(text);
	return Number.isNaN(instant) ? undefined : fromMilliseconds(instant);
}
