import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { normalizeInstanceUrl, tokenEndpoint } from '../nodes/ErpNet/helpers/instanceUrl';

/*
 * ERP.net client-credentials authentication.
 *
 * n8n calls `preAuthentication` when the hidden expirable `accessToken` is empty or after a request answered
 * 401, stores its result in the credential and then calls `authenticate` for every request. There is no
 * proactive expiry: ERP.net answers 401 for an expired token and n8n refreshes once and resends.
 *
 * n8n reuses a stored token even after the user edits the credential (instance URL, client ID, secret or
 * scope). To make an edit take effect at once, the hook also stores a fingerprint of those settings next to
 * the token, and `authenticate` withholds a token whose fingerprint no longer matches: the request goes out
 * without `Authorization`, ERP.net answers 401, and n8n's refresh path fetches a token for the new settings.
 */

/** How long the token request may take before it is abandoned. */
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

const EXAMPLE_URL = 'https://demodb.my.erp.net';

const FINGERPRINT_VERSION = 'v1';

/** The credential settings that determine which token is valid, after normalisation. */
export interface ErpNetTokenSettings {
	instanceUrl: string;
	tokenUrl: string;
	clientId: string;
	clientSecret: string;
	scope: string;
}

/** Minimal shape of the full response `helpers.httpRequest` returns with `returnFullResponse: true`. */
export interface TokenHttpResponse {
	statusCode: number;
	headers?: IDataObject;
	body?: unknown;
}

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : String(value);
}

/** Collapses the scope list to single spaces; an empty scope means "all scopes of the trusted application". */
export function normalizeScope(scope: unknown): string {
	return text(scope).trim().split(/\s+/).filter(Boolean).join(' ');
}

/** Reads and validates the user's settings. Throws a `UserError` that names the field to fix. */
export function readTokenSettings(credentials: ICredentialDataDecryptedObject): ErpNetTokenSettings {
	const instanceUrl = normalizeInstanceUrl(text(credentials.instanceUrl));
	const clientId = text(credentials.clientId).trim();
	const clientSecret = text(credentials.clientSecret);
	if (clientId === '') {
		throw new UserError('The ERP.net credential has no Client ID.', {
			description:
				"Enter the ApplicationUri of the trusted application in ERP.net (e.g. 'my.company/n8n') as the Client ID.",
		});
	}
	if (clientSecret === '') {
		throw new UserError('The ERP.net credential has no Client Secret.', {
			description:
				"Enter the plain secret of the trusted application; ERP.net stores only its hash (ApplicationSecretHash).",
		});
	}
	return {
		instanceUrl,
		tokenUrl: tokenEndpoint(instanceUrl),
		clientId,
		clientSecret,
		scope: normalizeScope(credentials.scope),
	};
}

/**
 * A one-way fingerprint of the settings a token was issued for. It never contains the secret itself; the
 * version prefix lets a later release change the recipe (which then forces one refresh).
 */
export function settingsFingerprint(settings: ErpNetTokenSettings): string {
	const digest = createHash('sha256')
		.update(
			JSON.stringify([
				'n8n-nodes-erpnet/token-settings',
				settings.instanceUrl,
				settings.clientId,
				settings.clientSecret,
				settings.scope,
			]),
			'utf8',
		)
		.digest('base64url');
	return `${FINGERPRINT_VERSION}:${digest}`;
}

/** The fingerprint of the credential's current settings, or `undefined` when they are invalid. */
export function credentialFingerprint(credentials: ICredentialDataDecryptedObject): string | undefined {
	try {
		return settingsFingerprint(readTokenSettings(credentials));
	} catch {
		return undefined;
	}
}

/** The `application/x-www-form-urlencoded` body of the token request, exactly as the ERP.net docs show it. */
export function buildTokenRequestBody(settings: ErpNetTokenSettings): string {
	const form = new URLSearchParams();
	form.set('grant_type', 'client_credentials');
	form.set('client_id', settings.clientId);
	form.set('client_secret', settings.clientSecret);
	if (settings.scope !== '') form.set('scope', settings.scope);
	return form.toString();
}

/** Removes every spelling of the given secrets (plain, form- and URI-encoded) from server-provided text. */
export function redactSecrets(value: string, secrets: string[]): string {
	let result = value;
	for (const secret of secrets) {
		if (!secret) continue;
		const variants = new Set([
			secret,
			new URLSearchParams({ s: secret }).toString().slice(2),
			encodeURIComponent(secret),
		]);
		for (const variant of variants) {
			if (variant) result = result.split(variant).join('***');
		}
	}
	return result;
}

function shortServerText(value: unknown, secrets: string[]): string {
	const raw = text(value).replace(/\s+/g, ' ').trim();
	const redacted = redactSecrets(raw, secrets);
	return redacted.length > 300 ? `${redacted.slice(0, 300)}…` : redacted;
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

function tokenError(message: string, description: string): UserError {
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
): { accessToken: string } {
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
		return throwing(oauthErrorToUserError(json.error, description, settings, status));
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
	return { accessToken };
}

function throwing(error: UserError): never {
	throw error;
}

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
		codes.some((code) => ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'].includes(code)) ||
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

/** Requests a token with the client-credentials grant; the implementation behind `preAuthentication`. */
export async function requestAccessToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<{ accessToken: string; tokenFingerprint: string }> {
	const settings = readTokenSettings(credentials);
	let response: TokenHttpResponse;
	try {
		response = (await helpers.httpRequest({
			method: 'POST',
			url: settings.tokenUrl,
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: buildTokenRequestBody(settings),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: TOKEN_REQUEST_TIMEOUT_MS,
		})) as TokenHttpResponse;
	} catch (error) {
		throw transportErrorToUserError(error, settings);
	}
	const { accessToken } = interpretTokenResponse(response, settings);
	return { accessToken, tokenFingerprint: settingsFingerprint(settings) };
}

/** The absolute URL a request will be sent to, as axios combines `baseURL` and `url`; `undefined` if unknown. */
export function requestTargetUrl(requestOptions: IHttpRequestOptions): string | undefined {
	const options = requestOptions as IHttpRequestOptions & { uri?: unknown };
	const url = text(options.url !== undefined && options.url !== '' ? options.url : options.uri);
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
	const baseURL = text(options.baseURL);
	if (baseURL === '') return undefined;
	return url === '' ? baseURL : `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function removeAuthorizationHeader(requestOptions: IHttpRequestOptions): void {
	if (!requestOptions.headers) return;
	for (const key of Object.keys(requestOptions.headers)) {
		if (key.toLowerCase() === 'authorization') delete requestOptions.headers[key];
	}
}

/**
 * Adds `Authorization: Bearer <token>` to requests for the credential's instance.
 * - Requests to any other origin are refused (the token is never sent elsewhere).
 * - A token issued for other settings (fingerprint mismatch) or an empty token is not sent, so that ERP.net
 *   answers 401 and n8n fetches a token for the current settings.
 */
export async function authenticateRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const instanceUrl = normalizeInstanceUrl(text(credentials.instanceUrl));
	const expectedOrigin = new URL(instanceUrl).origin;
	const target = requestTargetUrl(requestOptions);
	let targetOrigin: string | undefined;
	try {
		targetOrigin = target === undefined ? undefined : new URL(target).origin;
	} catch {
		targetOrigin = undefined;
	}
	if (targetOrigin !== undefined && targetOrigin !== expectedOrigin) {
		throw new UserError(
			`The ERP.net credential sends its access token only to ${expectedOrigin}, not to ${targetOrigin}.`,
			{
				description:
					'Requests made with this credential must go to the instance set in its Instance URL. Check the URL of the request or the Instance URL of the credential.',
				level: 'warning',
			},
		);
	}

	removeAuthorizationHeader(requestOptions);
	const token = text(credentials.accessToken);
	if (targetOrigin === undefined || token === '') return requestOptions;
	if (text(credentials.tokenFingerprint) !== credentialFingerprint(credentials)) return requestOptions;

	requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` };
	return requestOptions;
}

/**
 * n8n expression that derives the instance base URL from `$credentials.instanceUrl` for the credential test
 * (the same normalisation as `normalizeInstanceUrl` for valid input: scheme added, query, trailing slashes and
 * a pasted `/id`, `/api` or `/sys` suffix removed).
 */
export const INSTANCE_URL_EXPRESSION = String.raw`={{ String($credentials.instanceUrl).trim().replace(/^(?![a-z][a-z0-9+.-]*:\/\/)\/*/i, 'https://').replace(/[?#].*$/, '').replace(/^([^:\/]+:\/\/[^\/]+(?:\/(?!(?:id|api|sys)(?:\/|$))[^\/]+)*).*$/i, '$1') }}`;

export class ErpNetApi implements ICredentialType {
	name = 'erpNetApi';

	displayName = 'ERP.net API';

	icon: Icon = { light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' };

	documentationUrl = 'https://docs.erp.net/dev/auth/flows/client-credentials/overview.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://demodb.my.erp.net',
			description:
				'Address of your ERP.net instance. A pasted /id or /api/domain/odata/ suffix is ignored; https:// is required.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. my.company/n8n',
			description:
				'ApplicationUri of the trusted application registered in ERP.net for n8n (client credentials flow, with SystemUserAllowed and a SystemUser)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Plain secret of the trusted application (ERP.net stores only its hash)',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'read update',
			description:
				'Space-separated scopes to request: "read" for read-only access, "read update" to also create, update and delete. Must be allowed by the trusted application\'s Scope. Leave empty to get all of its scopes.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Token Fingerprint',
			name: 'tokenFingerprint',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await requestAccessToken(this.helpers, credentials);
	}

	authenticate = authenticateRequest;

	test: ICredentialTestRequest = {
		request: {
			baseURL: INSTANCE_URL_EXPRESSION,
			url: '/api/domain/odata/General_Currencies_Currencies?$top=1&$select=Id',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'ERP.net issued a token but the Domain API rejected it (HTTP 401). Check that the Instance URL is the instance the trusted application belongs to.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"The Domain API refused access (HTTP 403). Give the trusted application's SystemUser permission to read General_Currencies_Currencies and request the 'read' scope.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The ERP.net Domain API was not found under this Instance URL (HTTP 404). Check the Instance URL, e.g. https://demodb.my.erp.net.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'ERP.net is rate limiting this client (HTTP 429). Try the test again in a minute.',
				},
			},
		],
	};
}
