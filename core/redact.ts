/**
 * Removes secrets (the access token, its signature part, the client secret) from text that came from ERP.net
 * or a proxy, in every spelling a server may echo them: plain, with whitespace runs collapsed or changed,
 * form- or URI-encoded (either case of `%xx`), and JSON-escaped as System.Text.Json writes it (`\u0026`, …).
 */

const MASK = '***';
/**
 * Shorter values (ERP.net's demo secret is `DEMO`) are redacted only where they stand as a value: as plain words
 * they would blank out ordinary data (a product named `DEMO stand`). See `shortSecretPatterns`.
 */
const MIN_SECRET_LENGTH = 6;

export interface RedactOptions {
	/**
	 * Text from the token endpoint: there a short secret as a whole word can only be the secret, so it is redacted
	 * wherever it stands as one.
	 */
	wholeWords?: boolean;
	/** Header values: a value that is a short secret and nothing else (a request header echoed back) is redacted. */
	wholeValues?: boolean;
}

/** The parts of a token worth redacting on their own: the signature of a JWT (`header.payload.signature`). */
export function tokenParts(token: string): string[] {
	const parts = token.split('.');
	return parts.length === 3 ? [token, parts[2]] : [token];
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** System.Text.Json escapes `&`, `'`, `+`, `<`, `>`, `` ` `` and every non-ASCII character as `\uXXXX`. */
function jsonEscaped(text: string): string {
	return text.replace(/[&'+<>`\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function spellings(secret: string): string[] {
	return [
		...new Set([
			secret,
			encodeURIComponent(secret),
			new URLSearchParams({ s: secret }).toString().slice(2),
			jsonEscaped(secret),
			JSON.stringify(secret).slice(1, -1),
		]),
	];
}

/** A pattern for one spelling: case-insensitive (`%c3%bc` = `%C3%BC`), any whitespace run matching any other. */
function patternOf(spelling: string): string {
	return spelling.split(/\s+/).map(escapeRegExp).join('\\s+');
}

/** Not part of the same word: a short secret is never cut out of a longer word or value. */
const BEFORE_WORD = '(?<![\\p{L}\\p{N}_])';
const AFTER_WORD = '(?![\\p{L}\\p{N}_])';

/**
 * Where a short secret is redacted in any text: as the whole value of a form or query pair (`client_secret=DEMO&…`,
 * a form body echoed back), of a JSON member named like a secret or a credential header (`"client_secret":"DEMO"`),
 * and of an echoed header line (`X-Client-Secret: DEMO`). A value that merely starts with it (`DEMO stand`) stays.
 */
function shortSecretPatterns(spelling: string, options: RedactOptions): string[] {
	const value = patternOf(spelling);
	const patterns = [
		`(?<=(?:^|[?&\\s"'(,;])[\\w.%\\-\\[\\]]+=)${value}(?=$|[&\\s"',;)#])`,
		`(?<="[^"]*(?:secret|authorization|password)[^"]*"\\s*:\\s*")${value}(?=")`,
		`(?<=(?:^|\\n)[\\w-]+:[ \\t]*)${value}(?=[ \\t]*(?:\\r?\\n|$))`,
	];
	if (options.wholeWords === true) patterns.push(`${BEFORE_WORD}${value}${AFTER_WORD}`);
	if (options.wholeValues === true) patterns.push(`^\\s*${value}\\s*$`);
	return patterns;
}

function isSecret(secret: string | undefined): secret is string {
	return typeof secret === 'string' && secret.trim() !== '';
}

export function secretPattern(secrets: Array<string | undefined>, options: RedactOptions = {}): RegExp | undefined {
	const usable = [...new Set(secrets.filter(isSecret))];
	const long = usable
		.filter((secret) => secret.trim().length >= MIN_SECRET_LENGTH)
		.flatMap(spellings)
		.filter((spelling) => spelling.length >= MIN_SECRET_LENGTH)
		.sort((a, b) => b.length - a.length)
		.map(patternOf);
	const short = usable
		.filter((secret) => secret.trim().length < MIN_SECRET_LENGTH)
		.flatMap(spellings)
		.sort((a, b) => b.length - a.length)
		.flatMap((spelling) => shortSecretPatterns(spelling, options));
	const patterns = [...long, ...short];
	return patterns.length > 0 ? new RegExp(patterns.join('|'), 'giu') : undefined;
}

/** The text with every spelling of every secret replaced by `***`. */
export function redact(text: string, secrets: Array<string | undefined>, options: RedactOptions = {}): string {
	const pattern = secretPattern(secrets, options);
	return pattern ? text.replace(pattern, MASK) : text;
}

/** A copy of a JSON-like value with every string redacted (keys included). */
export function redactDeep<T>(value: T, secrets: Array<string | undefined>, options: RedactOptions = {}): T {
	const pattern = secretPattern(secrets, options);
	if (!pattern) return value;
	const walk = (inner: unknown): unknown => {
		if (typeof inner === 'string') return inner.replace(pattern, MASK);
		// A binary body (e.g. a printout request's error) stays binary, its text redacted.
		if (Buffer.isBuffer(inner)) return Buffer.from(inner.toString('utf8').replace(pattern, MASK), 'utf8');
		if (inner instanceof ArrayBuffer || ArrayBuffer.isView(inner)) return inner;
		if (Array.isArray(inner)) return inner.map(walk);
		if (inner && typeof inner === 'object') {
			return Object.fromEntries(Object.entries(inner).map(([key, entry]) => [key.replace(pattern, MASK), walk(entry)]));
		}
		return inner;
	};
	return walk(value) as T;
}
