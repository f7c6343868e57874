import type { UserError } from 'n8n-workflow';

import { EXAMPLE_URL, tokenError } from './tokenResponse';
import type { ErpNetTokenSettings } from './tokenSettings';
import { text, TOKEN_REQUEST_TIMEOUT_MS } from './tokenSettings';

const TLS_MESSAGES: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'uses a self-signed certificate',
	SELF_SIGNED_CERT_IN_CHAIN: 'uses a certificate chain with a self-signed certificate',
	CERT_HAS_EXPIRED: 'uses an expired certificate',
	CERT_NOT_YET_VALID: 'uses a certificate that is not valid yet',
	ERR_TLS_CERT_ALTNAME_INVALID: 'uses a certificate issued for a different host name',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'uses a certificate that cannot be verified',
	UNABLE_TO_GET_ISSUER_CERT: 'uses a certificate whose issuer is unknown',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'uses a certificate whose issuer is not trusted',
	CERT_UNTRUSTED: 'uses an untrusted certificate',
	CERT_REVOKED: 'uses a revoked certificate',
	CERT_SIGNATURE_FAILURE: 'uses a certificate with an invalid signature',
};

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

/**
 * Replaces an error thrown by `helpers.httpRequest` for the token request (network, DNS, TLS, timeout).
 * The original error is dropped on purpose: axios errors carry the request options, including the form
 * body with the client secret.
 */
export function transportErrorToUserError(error: unknown, settings: ErpNetTokenSettings): UserError {
	const codes = errorCodes(error);
	const message = text((error as { message?: unknown } | undefined)?.message);
	let host = settings.instanceUrl;
	try {
		host = new URL(settings.instanceUrl).host;
	} catch {
		// keep the instance URL
	}
	const codeNote = codes.length > 0 ? ` (error code ${codes[0]})` : '';

	const tlsCode = codes.find((code) => code in TLS_MESSAGES);
	if (tlsCode !== undefined) {
		return tokenError(
			`The TLS certificate of ${host} is not trusted: the server ${TLS_MESSAGES[tlsCode]}. Check the Instance URL.`,
			`n8n refuses to send the client secret over a connection it cannot verify${codeNote}. ERP.net instances have valid certificates; check that the Instance URL is your instance's address (e.g. ${EXAMPLE_URL}) and that no proxy intercepts HTTPS.`,
		);
	}
	if (
		codes.some((code) => code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) ||
		/ssl|tls/i.test(message)
	) {
		return tokenError(
			`The secure (TLS) connection to ${host} failed. Check the Instance URL.`,
			`The TLS handshake with ${host} failed${codeNote}. Make sure the Instance URL uses https:// for an HTTPS server, e.g. ${EXAMPLE_URL}.`,
		);
	}
	if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) {
		return tokenError(
			`The ERP.net host "${host}" could not be found. Check the Instance URL for typos.`,
			`The DNS lookup of ${host} failed${codeNote}. Your instance address looks like ${EXAMPLE_URL}.`,
		);
	}
	if (codes.includes('ECONNREFUSED')) {
		return tokenError(
			`The connection to ${host} was refused. Check the Instance URL and that the instance is running.`,
			`Nothing accepted the connection at ${settings.tokenUrl}${codeNote}.`,
		);
	}
	if (
		codes.some((code) =>
			['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'].includes(
				code,
			),
		) ||
		/timeout/i.test(message)
	) {
		return tokenError(
			`The ERP.net token endpoint at ${host} did not answer in time. Try again later or check the Instance URL.`,
			`No answer from ${settings.tokenUrl} within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} seconds${codeNote}.`,
		);
	}
	if (codes.some((code) => ['ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN'].includes(code))) {
		return tokenError(
			`The connection to ${host} failed before ERP.net answered. Check the Instance URL and your network, then try again.`,
			`The token request to ${settings.tokenUrl} could not be completed${codeNote}.`,
		);
	}
	return tokenError(
		`The access token could not be requested from ${host}. Check the Instance URL and your network.`,
		`The token request to ${settings.tokenUrl} failed before ERP.net answered${codeNote}.`,
	);
}
