/**
 * Format specifiers of string interpolation (https://docs.erp.net/tech/advanced/string-interpolation/format-specifiers.html):
 * .NET standard and custom date/time and numeric formats, multi-language strings, amounts, quantities and GUIDs.
 * The sandbox server's culture is the one the docs' examples show: dates `13.01.2022` and `01.01.2021 15:00:00`
 * (day.month.year, 24-hour), numbers `1,234.50`, English month names; the server's time zone is UTC.
 */
const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const SHORT_DATE = 'dd.MM.yyyy';
const LONG_DATE = 'dd MMMM yyyy';
const LONG_TIME = 'HH:mm:ss';
const SHORT_TIME = 'HH:mm';

/** Standard date and time format strings: one letter. */
const STANDARD_DATE_FORMATS: Record<string, string> = {
	d: SHORT_DATE,
	D: LONG_DATE,
	f: `${LONG_DATE} ${SHORT_TIME}`,
	F: `${LONG_DATE} ${LONG_TIME}`,
	g: `${SHORT_DATE} ${SHORT_TIME}`,
	G: `${SHORT_DATE} ${LONG_TIME}`,
	M: 'MMMM dd',
	m: 'MMMM dd',
	O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
	o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
	s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
	t: SHORT_TIME,
	T: LONG_TIME,
	u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
	U: `${LONG_DATE} ${LONG_TIME}`,
	y: 'MMMM yyyy',
	Y: 'MMMM yyyy',
};

function pad(value: number, width: number): string {
	return String(value).padStart(width, '0');
}

/** A date/time with a .NET format string; `defaultFormat` when none is given. */
export function formatDate(instant: Date, format: string | undefined, defaultFormat: string): string {
	const pattern = !format ? defaultFormat : (STANDARD_DATE_FORMATS[format] ?? format);
	let text = '';
	for (let index = 0; index < pattern.length; ) {
		const character = pattern[index];
		if (character === "'" || character === '"') {
			const end = pattern.indexOf(character, index + 1);
			text += pattern.slice(index + 1, end < 0 ? undefined : end);
			index = end < 0 ? pattern.length : end + 1;
			continue;
		}
		if (character === '\\' || character === '%') {
			if (character === '\\') text += pattern[index + 1] ?? '';
			else if (index + 1 < pattern.length) text += dateToken(instant, pattern[index + 1], 1);
			index += 2;
			continue;
		}
		let run = 1;
		while (pattern[index + run] === character) run++;
		text += dateToken(instant, character, run);
		index += run;
	}
	return text;
}

function dateToken(instant: Date, character: string, run: number): string {
	const hours = instant.getUTCHours();
	switch (character) {
		case 'y':
			return run === 2
				? pad(instant.getUTCFullYear() % 100, 2)
				: run === 1
					? String(instant.getUTCFullYear() % 100)
					: pad(instant.getUTCFullYear(), run);
		case 'M':
			return run >= 4
				? MONTHS[instant.getUTCMonth()]
				: run === 3
					? MONTHS[instant.getUTCMonth()].slice(0, 3)
					: pad(instant.getUTCMonth() + 1, run);
		case 'd':
			return run >= 4
				? DAYS[instant.getUTCDay()]
				: run === 3
					? DAYS[instant.getUTCDay()].slice(0, 3)
					: pad(instant.getUTCDate(), run);
		case 'H':
			return pad(hours, Math.min(run, 2));
		case 'h':
			return pad(hours % 12 === 0 ? 12 : hours % 12, Math.min(run, 2));
		case 'm':
			return pad(instant.getUTCMinutes(), Math.min(run, 2));
		case 's':
			return pad(instant.getUTCSeconds(), Math.min(run, 2));
		case 'f':
		case 'F': {
			const fraction = pad(instant.getUTCMilliseconds(), 3).padEnd(7, '0').slice(0, Math.min(run, 7));
			return character === 'F' ? fraction.replace(/0+$/, '') : fraction;
		}
		case 't':
			return (hours < 12 ? 'AM' : 'PM').slice(0, run === 1 ? 1 : 2);
		case 'K':
		case 'Z':
			return 'Z';
		case 'z':
			return run === 1 ? '+0' : run === 2 ? '+00' : '+00:00';
		case '/':
			return '.';
		default:
			return character.repeat(run);
	}
}

function groupThousands(integer: string): string {
	return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fixed(value: number, decimals: number, grouped: boolean): string {
	const text = Math.abs(value).toFixed(decimals);
	const [integer, fraction] = text.split('.');
	const sign = value < 0 && Number(text) !== 0 ? '-' : '';
	return `${sign}${grouped ? groupThousands(integer) : integer}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** A number with a .NET standard (`N2`, `F`, `D6`, `P`, `C3`) or custom (`#,##0.000`) format; plain when none. */
export function formatNumber(value: number, format: string | undefined): string {
	if (!format) return String(value);
	const standard = /^([CcDdFfNnPpGg])(\d{0,2})$/.exec(format);
	if (standard) {
		const precision = standard[2] === '' ? undefined : Number(standard[2]);
		switch (standard[1].toUpperCase()) {
			case 'C':
				return `${value < 0 ? '-' : ''}$${fixed(Math.abs(value), precision ?? 2, true)}`;
			case 'D':
				return `${value < 0 ? '-' : ''}${pad(Math.trunc(Math.abs(value)), precision ?? 1)}`;
			case 'F':
				return fixed(value, precision ?? 2, false);
			case 'N':
				return fixed(value, precision ?? 2, true);
			case 'P':
				return `${fixed(value * 100, precision ?? 2, true)}%`;
			default:
				return String(value);
		}
	}
	const [integerPart, fractionPart = ''] = format.split('.');
	const decimals = (fractionPart.match(/[0#]/g) ?? []).length;
	return fixed(value, decimals, integerPart.includes(','));
}

/** https://docs.erp.net/tech/advanced/string-interpolation/format-specifiers.html, "Multilanguge string". */
export function formatMultilanguage(
	value: Record<string, unknown>,
	format: string | undefined,
	language: string,
): string {
	const texts = Object.entries(value).filter(
		(entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
	);
	const inLanguage = (code: string) => texts.find(([key]) => key.toUpperCase() === code.toUpperCase())?.[1];
	const upper = (format ?? '').toUpperCase();
	if (upper === 'D' || upper === 'DUMP' || upper === 'CONTENTS')
		return texts.map(([key, text]) => `${key.toUpperCase()}='${text}'`).join(' ');
	if (upper === 'A' || upper === 'ANY') return inLanguage(language) ?? texts[0]?.[1] ?? '';
	if (['', 'C', 'CURRENT', 'G', 'T', 'TRANSLITERATED'].includes(upper))
		return inLanguage(language) ?? inLanguage('EN') ?? texts[0]?.[1] ?? '';
	return inLanguage(upper) ?? '';
}

/** GUIDs as .NET `Guid.ToString(format)`: `D` (default) plain, `N` without hyphens, `B` in braces, `P` in parentheses. */
export function formatGuid(value: string, format: string | undefined): string {
	const id = value.toLowerCase();
	switch (format) {
		case 'N':
		case 'n':
			return id.replace(/-/g, '');
		case 'B':
		case 'b':
			return `{${id}}`;
		case 'P':
		case 'p':
			return `(${id})`;
		default:
			return id;
	}
}

/** Amounts: `A` (default) `USD 1,234.50`, `CV`, `VC`, `V` or a number format applied to the value. */
export function formatAmount(value: number, currency: string, format: string | undefined): string {
	const upper = (format ?? 'A').toUpperCase();
	if (upper === 'A' || upper === 'CV') return `${currency} ${formatNumber(value, '#,##0.00')}`.trim();
	if (upper === 'VC') return `${formatNumber(value, 'N2')} ${currency}`.trim();
	if (upper === 'V') return formatNumber(value, 'N2');
	return formatNumber(value, format);
}

/** Quantities: `Q` (default) and `VU` `12.346 kg`, `UV`, `V`, or a number format applied to the value. */
export function formatQuantity(value: number, unit: string, format: string | undefined): string {
	const upper = (format ?? 'Q').toUpperCase();
	if (upper === 'Q' || upper === 'VU') return `${formatNumber(value, '#,##0.000')} ${unit}`.trim();
	if (upper === 'UV') return `${unit} ${formatNumber(value, '#,##0.000')}`.trim();
	if (upper === 'V') return formatNumber(value, '#,##0.000');
	return formatNumber(value, format);
}

export const DEFAULT_DATE_FORMAT = SHORT_DATE;
export const DEFAULT_DATE_TIME_FORMAT = `${SHORT_DATE} ${LONG_TIME}`;
export const DEFAULT_TIME_FORMAT = LONG_TIME;
