/**
 * Dates and date-times as ERP.net takes them. n8n hands a date typed into a date field as a zoned date-time in its
 * time zone (GENERIC_TIMEZONE), e.g. `2026-01-31` → `2026-01-31T00:00:00.000+02:00`, which ERP.net keeps as the
 * instant: `2026-01-30T22:00:00Z`, a day early for a date. So a date attribute gets the calendar date as written
 * (`2026-01-31`), and a date-time the same instant in UTC (`2026-01-30T22:00:00Z`).
 */
import type { ModelAttribute } from './types';

const DATE_TYPES = new Set(['Edm.Date', 'Edm.DateTimeOffset']);
const LEADING_DATE = /^(\d{4}-\d{2}-\d{2})(?=$|[T ])/;
const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** A date or date-time type of the model (attributes and method parameters). */
export function isDateType(type: string | undefined): boolean {
	return DATE_TYPES.has(type ?? '');
}

/**
 * A date without a time: `Edm.Date`, or a date-time attribute that ERP.net stores as a date
 * (`BaseInfo.DateTimeStorageType`, https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html).
 */
export function isDateOnlyAttribute(attribute: ModelAttribute | undefined): boolean {
	return attribute?.Type === 'Edm.Date' || attribute?.BaseInfo?.DateTimeStorageType === 'Date';
}

/** The text of a date value: an n8n (Luxon) DateTime in its own zone, a JS Date in UTC, any other value as text. */
function dateText(value: unknown): string | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	if (value && typeof value === 'object' && typeof (value as { toISO?: unknown }).toISO === 'function') {
		return String((value as { toISO(): string | null }).toISO() ?? '');
	}
	return typeof value === 'string' ? value.trim() : undefined;
}

/** `2026-01-31` for a date, `2026-01-30T22:00:00Z` for a date-time; undefined when the value is no date. */
export function normalizedDate(value: unknown, dateOnly: boolean): string | undefined {
	const text = dateText(value);
	if (!text) return undefined;
	const date = LEADING_DATE.exec(text)?.[1];
	if (dateOnly) return date;
	// A date-time without a zone is UTC, never n8n's local time; a date alone is its midnight in UTC.
	const zoned =
		date === text ? `${text}T00:00:00Z` : ZONELESS_DATE_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text;
	const instant = Date.parse(zoned);
	return Number.isNaN(instant) ? undefined : new Date(instant).toISOString().replace('.000Z', 'Z');
}

/**
 * A field or parameter value with its date normalized. A date typed alone (`2026-01-31`) is sent as typed, which
 * ERP.net takes for date-times too; values that are no date are left for ERP.net to judge.
 */
export function dateValue(value: unknown, dateOnly: boolean): unknown {
	if (typeof value === 'string' && LEADING_DATE.exec(value.trim())?.[0] === value.trim()) return value.trim();
	return normalizedDate(value, dateOnly) ?? value;
}
