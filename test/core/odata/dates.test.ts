import { execFileSync } from 'child_process';
import { join } from 'path';

import { DateTime } from 'luxon';

import { dateValue, isDateOnlyAttribute, isDateType, normalizedDate } from '../../../core/odata/dates';

/** A date typed into an n8n date field, as n8n hands it over: midnight in n8n's time zone (GENERIC_TIMEZONE). */
const typedIn = (zone: string, text = '2026-01-31T00:00:00') => DateTime.fromISO(text, { zone });

const ROOT = join(__dirname, '../../..');

/** normalizedDate of each text (as a date-time) in a Node process whose own time zone is `zone`. */
function normalizedInZone(zone: string, texts: string[]): { offsetMinutes: number; normalized: unknown[] } {
	const script = [
		"import { normalizedDate } from './core/odata/dates';",
		`const texts = ${JSON.stringify(texts)};`,
		'const offsetMinutes = new Date(2026, 0, 31).getTimezoneOffset();',
		'console.log(JSON.stringify({ offsetMinutes, normalized: texts.map((text) => normalizedDate(text, false)) }));',
	].join('\n');
	const output = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['-e', script], {
		cwd: ROOT,
		env: { ...process.env, TZ: zone },
		encoding: 'utf8',
	});
	return JSON.parse(output) as { offsetMinutes: number; normalized: unknown[] };
}

describe('isDateType', () => {
	it.each(['Edm.Date', 'Edm.DateTimeOffset'])('should take %s for a date type', (type) => {
		expect(isDateType(type)).toBe(true);
	});

	it.each(['Edm.String', 'Edm.TimeOfDay', 'Erp.Amount', '', undefined])('should not take %p for one', (type) => {
		expect(isDateType(type)).toBe(false);
	});
});

describe('isDateOnlyAttribute', () => {
	it('should take an Edm.Date attribute for a date without a time', () => {
		expect(isDateOnlyAttribute({ Name: 'DocumentDate', Type: 'Edm.Date' })).toBe(true);
	});

	it('should take a date-time attribute that ERP.net stores as a date (DateTimeStorageType) for one', () => {
		expect(
			isDateOnlyAttribute({
				Name: 'RequiredDeliveryDate',
				Type: 'Edm.DateTimeOffset',
				BaseInfo: { DateTimeStorageType: 'Date' },
			}),
		).toBe(true);
	});

	it('should take other date-time attributes, and no attribute, for no date-only attribute', () => {
		expect(isDateOnlyAttribute({ Name: 'CreationTimeUtc', Type: 'Edm.DateTimeOffset' })).toBe(false);
		expect(
			isDateOnlyAttribute({
				Name: 'PaymentDueDate',
				Type: 'Edm.DateTimeOffset',
				BaseInfo: { DateTimeStorageType: 'DateTime' },
			}),
		).toBe(false);
		expect(isDateOnlyAttribute({ Name: 'X', Type: 'Edm.DateTimeOffset', BaseInfo: null })).toBe(false);
		expect(isDateOnlyAttribute(undefined)).toBe(false);
	});
});

describe('normalizedDate', () => {
	it.each([
		['Europe/Sofia', '2026-01-30T22:00:00Z'],
		['America/New_York', '2026-01-31T05:00:00Z'],
		['Asia/Tokyo', '2026-01-30T15:00:00Z'],
		['UTC', '2026-01-31T00:00:00Z'],
	])('should keep the calendar date of a date typed in %s, and send a date-time as its instant in UTC', (zone, utc) => {
		expect(normalizedDate(typedIn(zone), true)).toBe('2026-01-31');
		expect(normalizedDate(typedIn(zone), false)).toBe(utc);
	});

	it('should keep the written date of a late-evening time west of UTC, whose instant is the next day', () => {
		const evening = typedIn('America/New_York', '2026-01-31T22:30:00');
		expect(normalizedDate(evening, true)).toBe('2026-01-31');
		expect(normalizedDate(evening, false)).toBe('2026-02-01T03:30:00Z');
	});

	it('should read a zoned text as its instant and keep milliseconds other than zero', () => {
		expect(normalizedDate('2026-01-31T00:00:00.000+02:00', false)).toBe('2026-01-30T22:00:00Z');
		expect(normalizedDate('2026-01-31T10:15:30.250+02:00', false)).toBe('2026-01-31T08:15:30.250Z');
		expect(normalizedDate('2026-01-31T10:15:30.250+02:00', true)).toBe('2026-01-31');
	});

	it('should take a JS Date in UTC', () => {
		const date = new Date('2026-01-30T22:00:00Z');
		expect(normalizedDate(date, false)).toBe('2026-01-30T22:00:00Z');
		expect(normalizedDate(date, true)).toBe('2026-01-30');
	});

	it('should take a date alone as its midnight in UTC for a date-time', () => {
		expect(normalizedDate(' 2026-01-31 ', false)).toBe('2026-01-31T00:00:00Z');
		expect(normalizedDate('2026-01-31', true)).toBe('2026-01-31');
	});

	it('should take a date-time without a zone as UTC, never the local time of an n8n process east of UTC', () => {
		// The process's time zone is fixed when it starts: the values are normalized in a child process in Sofia.
		const texts = ['2026-01-31T10:15', '2026-01-31 10:15:30', '2026-01-31'];
		expect(normalizedInZone('Europe/Sofia', texts)).toEqual({
			offsetMinutes: -120,
			normalized: ['2026-01-31T10:15:00Z', '2026-01-31T10:15:30Z', '2026-01-31T00:00:00Z'],
		});
	});

	it.each([
		['text that is no date', 'next Monday'],
		['an empty text', '  '],
		['a number', 20260131],
		['an invalid JS Date', new Date('x')],
		['an invalid Luxon DateTime', DateTime.fromISO('2026-13-45')],
		['a date-like text that does not parse', '2026-02-30T99:00'],
	])('should give undefined for %s', (_what, value) => {
		expect(normalizedDate(value, false)).toBeUndefined();
	});

	it('should give undefined for a date-only value without a leading date', () => {
		expect(normalizedDate('31.01.2026', true)).toBeUndefined();
		expect(normalizedDate('20260131', true)).toBeUndefined();
	});
});

describe('dateValue', () => {
	it('should send a date typed alone as typed, for date and date-time fields alike', () => {
		expect(dateValue('2026-01-31', true)).toBe('2026-01-31');
		expect(dateValue(' 2026-01-31 ', false)).toBe('2026-01-31');
	});

	it("should send n8n's zoned date as the calendar date to a date field and as UTC to a date-time field", () => {
		expect(dateValue(typedIn('Europe/Sofia'), true)).toBe('2026-01-31');
		expect(dateValue(typedIn('Europe/Sofia'), false)).toBe('2026-01-30T22:00:00Z');
		expect(dateValue('2026-01-31T00:00:00.000+02:00', true)).toBe('2026-01-31');
	});

	it('should leave values that are no date for ERP.net to judge', () => {
		expect(dateValue('next Monday', false)).toBe('next Monday');
		expect(dateValue(42, true)).toBe(42);
		expect(dateValue(null, true)).toBeNull();
	});
});
