import type { IDataObject } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import type { ErpNetTokenSettings } from './tokenSettings';
import { text } from './tokenSettings';
import { redact } from '../redact';

/** The instance address the messages give as an example. */
export const EXAMPLE_URL = 'https://demodb.my.erp.net';

/** Minimal shape of the full response `helpers.httpRequest` returns with `returnFullResponse: true`. */
export interface TokenHttpResponse {
	statusCode: number;
	headers?: IDataObject;
	body?: unknown;
}

/**
 * Removes every spelling of the given secrets (plain, whitespace-changed, form-, URI- or JSON-encoded) from the
 * token endpoint's text; a short secret (`DEMO`) too wherever it stands as a whole word, which there can only be
 * the secret.
 */
export function redactSecrets(value: string, secrets: string[]): string {
	return redact(value, secrets, { wholeWords: true });
}

/** An OAuth `error` shown as sent only when it is a plain code (RFC 6749 §5.2 codes are lower case and `_`). */
const PLAIN_OAUTH_CODE = /^[a-z_]{1,40}$/;

function shortServerText(value: unknown, secrets: string[]): string {
	// Redacted before whitespace is collapsed, and again after, so neither spelling survives.
	const raw = redactSecrets(redactSecrets(text(value), secrets).replace(/\s+/g, ' ').trim(), secrets);
	return raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
}

function headerValue(headers: IDataObject | undefined, name: string): string {
	if (!headers) return '';
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? text(value[0]) : text(value);
	}
	return '';
}

/** Parses the token endpoint's body: an object, a JSON string or a Buffer. `undefined` when it is not JSON. */
function parseJsonBody(body: unknown): IDataObject | undefined {
	let value: unknown = body;
	if (Buffer.isBuffer(value)) value = value.toString('utf8');
	if (typeof value === 'string') {
		const trimmed = value.trim();
		if (!trimmed.startsWith('{')) return undefined;
		try {
			value = JSON.parse(trimmed);
		} catch {
			return undefined;
		}
	}
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as IDataObject;
	return undefined;
}

export function tokenError(message: string, description: string): UserError {
	// A plain UserError without `cause`, `code`, status fields or request options: n8n wraps it into a
	// NodeApiError that keeps this message and description and has nothing secret to serialise.
	return new UserError(message, { description, level: 'warning' });
}

/** The message for an OAuth error code returned by the token endpoint (RFC 6749 §5.2, IdentityServer). */
export function oauthErrorToUserError(
	code: string,
	serverDescription: string,
	settings: ErpNetTokenSettings,
	status: number,
): UserError {
	const detail = serverDescription ? ` ERP.net said: "${serverDescription}".` : '';
	const where = `Token endpoint: ${settings.tokenUrl} (HTTP ${status}).`;
	switch (code) {
		case 'invalid_client':
			return tokenError(
				"ERP.net rejected the client ID or secret (invalid_client). Check the trusted application's ApplicationUri and secret.",
				`The Client ID ("${settings.clientId}") must be the ApplicationUri of an enabled, Confidential trusted application of this instance, and the Client Secret its plain secret (ERP.net stores base64(SHA-256(secret)) in ApplicationSecretHash).${detail} ${where}`,
			);
		case 'invalid_scope':
			return tokenError(
				`ERP.net rejected the requested scope "${settings.scope}" (invalid_scope). Request only scopes listed in the trusted application's Scope field.`,
				`Change the credential's Scope to scopes the trusted application allows (e.g. "read" for read-only access, "read update" to also write), or add the missing scope to the trusted application's Scope in ERP.net.${detail} ${where}`,
			);
		case 'unauthorized_client':
			return tokenError(
				'ERP.net does not allow this trusted application to use the client credentials flow (unauthorized_client). Set SystemUserAllowed and assign a SystemUser.',
				`In ERP.net, open the trusted application "${settings.clientId}", set SystemUserAllowed = true and choose the SystemUser the integration runs as.${detail} ${where}`,
			);
		case 'unsupported_grant_type':
			return tokenError(
				'The token endpoint does not support the client credentials grant (unsupported_grant_type). Check that the Instance URL points to an ERP.net instance.',
				`n8n sends grant_type=client_credentials to ${settings.tokenUrl}; this server does not accept it. Use the address of your ERP.net instance, e.g. ${EXAMPLE_URL}.${detail}`,
			);
		case 'invalid_request':
			return tokenError(
				'ERP.net reported the token request as incomplete (invalid_request). Check that Client ID and Client Secret are both filled in.',
				`ERP.net needs client_id and client_secret in the request; both come from the credential.${detail} ${where}`,
			);
		case 'invalid_grant':
			return tokenError(
				'ERP.net rejected the token request (invalid_grant). Check the Client ID, Client Secret and that the trusted application is enabled.',
				`${detail.trim()} ${where}`.trim(),
			);
		default:
			return tokenError(
				`ERP.net refused to issue an access token (${code}).`,
				`Check the credential's Client ID, Client Secret and Scope against the trusted application in ERP.net.${detail} ${where}`,
			);
	}
}

/**
 * Turns the token endpoint's answer into `{ accessToken }` or a `UserError` saying what to fix.
 * Never includes the secret (or any token) in the error.
 */
export function interpretTokenResponse(
	response: TokenHttpResponse,
	settings: ErpNetTokenSettings,
): { accessToken: string; grantedScope?: string; expiresInSeconds?: number } {
	const status = Number(response.statusCode);
	const secrets = [settings.clientSecret];
	const json = parseJsonBody(response.body);
	const contentType = headerValue(response.headers, 'content-type').split(';')[0].trim();

	if (status >= 300 && status < 400) {
		const location = shortServerText(headerValue(response.headers, 'location').split('?')[0], secrets);
		return throwing(
			tokenError(
				`The ERP.net token endpoint redirected the request (HTTP ${status}). Check the Instance URL.`,
				`${settings.tokenUrl} answered with a redirect${location ? ` to ${location}` : ''}. Enter the instance's final https:// address (e.g. ${EXAMPLE_URL}); n8n does not follow redirects with the client secret.`,
			),
		);
	}

	if (json && typeof json.error === 'string' && json.error !== '') {
		const description = shortServerText(json.error_description, secrets);
		const code = PLAIN_OAUTH_CODE.test(json.error)
			? json.error
			: 'an error code that is not a plain OAuth code, not shown';
		return throwing(oauthErrorToUserError(code, description, settings, status));
	}

	if (status === 404) {
		return throwing(
			tokenError(
				'The ERP.net token endpoint was not found (HTTP 404). Check the Instance URL.',
				`There is no Instance ID token endpoint at ${settings.tokenUrl}. The Instance URL must be the address of your ERP.net instance, e.g. ${EXAMPLE_URL}.`,
			),
		);
	}

	if (status === 429) {
		return throwing(
			tokenError(
				'ERP.net is receiving too many token requests (HTTP 429). Try again in a minute.',
				`The token endpoint ${settings.tokenUrl} is rate limiting this client.`,
			),
		);
	}

	if (status >= 500) {
		return throwing(
			tokenError(
				`The ERP.net identity server failed to issue a token (HTTP ${status}). Try again later.`,
				`${settings.tokenUrl} answered HTTP ${status}. If this persists, check the instance's status in ERP.net.`,
			),
		);
	}

	if (json === undefined) {
		const received = contentType ? `content type ${contentType}` : 'a body that is not JSON';
		return throwing(
			tokenError(
				'The ERP.net token endpoint did not answer with JSON. Check the Instance URL.',
				`${settings.tokenUrl} answered HTTP ${status} with ${received}, not the JSON of an ERP.net Instance ID. The Instance URL must be the address of your ERP.net instance, e.g. ${EXAMPLE_URL}, not a login page or another site.`,
			),
		);
	}

	if (status < 200 || status >= 300) {
		return throwing(
			tokenError(
				`ERP.net did not issue an access token (HTTP ${status}).`,
				`${settings.tokenUrl} answered HTTP ${status} without an OAuth error code. Check the Instance URL, Client ID and Client Secret.`,
			),
		);
	}

	const accessToken = json.access_token;
	if (typeof accessToken !== 'string' || accessToken.trim() === '') {
		return throwing(
			tokenError(
				'ERP.net answered the token request without an access token.',
				`${settings.tokenUrl} answered HTTP ${status} but its JSON has no "access_token". Check that the Instance URL points to an ERP.net instance, e.g. ${EXAMPLE_URL}.`,
			),
		);
	}
	const tokenType = text(json.token_type);
	if (tokenType !== '' && tokenType.toLowerCase() !== 'bearer') {
		return throwing(
			tokenError(
				`ERP.net issued a token of type "${shortServerText(tokenType, [settings.clientSecret, accessToken])}", not a Bearer token.`,
				`${settings.tokenUrl} must issue Bearer access tokens for the Domain API.`,
			),
		);
	}
	const expiresIn = Number(json.expires_in);
	return {
		accessToken,
		grantedScope: typeof json.scope === 'string' ? json.scope : undefined,
		expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
	};
}

function throwing(error: UserError): never {
	throw error;
}
