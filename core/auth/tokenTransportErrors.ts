import type { UserError } from 'n8n-workflow';

import type { TokenTransportCase } from './tokenMessages';
import { TLS_PROBLEMS, TOKEN_TRANSPORT_MESSAGES } from './tokenMessages';
import { tokenError } from './tokenResponse';
import type { ErpNetTokenSettings } from './tokenSettings';
import { text, TOKEN_REQUEST_TIMEOUT_MS } from './tokenSettings';

/** Error codes on an error and its causes (AggregateError children included), outermost first. */
export function errorCodes(error: unknown): string[] {
	const codes: string[] = [];
	const seen = new Set<unknown>();
	const visit = (value: unknown, depth: number) => {
		if (value === null || typeof value !== 'object' || seen.has(value) || depth > 5) return;
		seen.add(value);
		const record = value as { code?: unknown; cause?: unknown; errors?: unknown };
		if (typeof record.code === 'string' && record.code !== '') codes.push(record.code);
		visit(record.cause, depth + 1);
		if (Array.isArray(record.errors)) for (const child of record.errors) visit(child, depth + 1);
	};
	visit(error, 0);
	return codes;
}

const TIMEOUT_CODES = [
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
];
const CONNECTION_LOST_CODES = ['ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN'];

/** The first code that names a certificate problem of TLS_PROBLEMS. */
function certificateCode(codes: string[]): string | undefined {
	return codes.find((code) => Object.prototype.hasOwnProperty.call(TLS_PROBLEMS, code));
}

/** Which failure the error is, in the order the checks apply. */
function transportFailureCase(codes: string[], message: string): TokenTransportCase {
	if (certificateCode(codes) !== undefined) return 'untrustedCertificate';
	const tlsCode = (code: string) => code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
	if (codes.some(tlsCode) || /ssl|tls/i.test(message)) return 'tlsFailed';
	if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) return 'hostNotFound';
	if (codes.includes('ECONNREFUSED')) return 'refused';
	if (codes.some((code) => TIMEOUT_CODES.includes(code)) || /timeout/i.test(message)) return 'timedOut';
	if (codes.some((code) => CONNECTION_LOST_CODES.includes(code))) return 'connectionLost';
	return 'notSent';
}

function instanceHost(settings: ErpNetTokenSettings): string {
	try {
		return new URL(settings.instanceUrl).host;
	} catch {
		return settings.instanceUrl;
	}
}

/**
 * Replaces an error thrown by `helpers.httpRequest` for the token request (network, DNS, TLS, timeout).
 * The original error is dropped on purpose: axios errors carry the request options, including the form
 * body with the client secret.
 */
export function transportErrorToUserError(error: unknown, settings: ErpNetTokenSettings): UserError {
	const codes = errorCodes(error);
	const message = text((error as { message?: unknown } | undefined)?.message);
	const certificate = certificateCode(codes);
	const { message: shown, description } = TOKEN_TRANSPORT_MESSAGES[transportFailureCase(codes, message)]({
		host: instanceHost(settings),
		tokenUrl: settings.tokenUrl,
		codeNote: codes.length > 0 ? ` (error code ${codes[0]})` : '',
		tlsProblem: certificate === undefined ? '' : TLS_PROBLEMS[certificate],
		timeoutSeconds: TOKEN_REQUEST_TIMEOUT_MS / 1000,
	});
	return tokenError(shown, description);
}
