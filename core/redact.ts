/**
 * Removes secrets (the access token, its signature part, the client secret) from text that came from ERP.net
 * or a proxy, in every spelling a server may echo them: plain, with whitespace runs collapsed or changed,
 * form- or URI-encoded (either case of `%xx`), and JSON-escaped as System.Text.Json writes it (`\u0026`, …).
 */

const MASK = '***';
/** Shorter values are not secrets worth hunting for and would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

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
	const variants = new Set([
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		jsonEscaped(secret),
		JSON.stringify(secret).slice(1, -1),
	]);
	return [...variants].filter((variant) => variant.length >= MIN_SECRET_LENGTH);
}

/** A pattern for one spelling: case-insensitive (`%c3%bc` = `%C3%BC`), any whitespace run matching any other. */
function patternOf(spelling: string): string {
	return spelling
		.split(/\s+/)
		.map(escapeRegExp)
		.join('\\s+');
}

export function secretPattern(secrets: Array<string | undefined>): RegExp | undefined {
	const patterns = secrets
		.filter((secret): secret is string => typeof secret === 'string' && secret.trim().length >= MIN_SECRET_LENGTH)
		.flatMap(spellings)
		.sort((a, b) => b.length - a.length)
		.map(patternOf);
	return patterns.length > 0 ? new RegExp(patterns.join('|'), 'gi') : undefined;
}

/** The text with every spelling of every secret replaced by `***`. */
export function redact(text: string, secrets: Array<string | undefined>): string {
	const pattern = secretPattern(secrets);
	return pattern ? text.replace(pattern, MASK) : text;
}

/** A copy of a JSON-like value with every string redacted (keys included). */
export function redactDeep<T>(value: T, secrets: Array<string | undefined>): T {
	const pattern = secretPattern(secrets);
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
