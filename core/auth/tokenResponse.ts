import type { IDataObject } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import type { ErpNetTokenSettings } from './tokenSettings';
import { text } from './tokenSettings';
import { redact } from '../redact';
import type { TokenAnswerCase, TokenAnswerFacts } from './tokenMessages';
import { oauthErrorText, TOKEN_ANSWER_MESSAGES } from './tokenMessages';

export { EXAMPLE_URL } from './tokenMessages';

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
	const { message, description } = oauthErrorText({
		code,
		clientId: settings.clientId,
		scope: settings.scope,
		tokenUrl: settings.tokenUrl,
		detail: serverDescription ? ` ERP.net said: "${serverDescription}".` : '',
		where: `Token endpoint: ${settings.tokenUrl} (HTTP ${status}).`,
	});
	return tokenError(message, description);
}

/** What the token endpoint answered, read once for the checks. */
interface TokenAnswer {
	status: number;
	json: IDataObject | undefined;
}

/** Which failure the answer is, in the order the checks apply; undefined when it carries a Bearer token. */
function failedAnswerCase({ status, json }: TokenAnswer): TokenAnswerCase | 'oauthError' | undefined {
	if (status >= 300 && status < 400) return 'redirect';
	if (json && typeof json.error === 'string' && json.error !== '') return 'oauthError';
	if (status === 404) return 'notFound';
	if (status === 429) return 'rateLimited';
	if (status >= 500) return 'serverFailed';
	if (json === undefined) return 'notJson';
	if (status < 200 || status >= 300) return 'notIssued';
	if (typeof json.access_token !== 'string' || json.access_token.trim() === '') return 'noAccessToken';
	const tokenType = text(json.token_type);
	if (tokenType !== '' && tokenType.toLowerCase() !== 'bearer') return 'notBearer';
	return undefined;
}

/** The facts the messages show, every server text redacted of the client secret (and the token it sent). */
function answerFacts(
	response: TokenHttpResponse,
	settings: ErpNetTokenSettings,
	answer: TokenAnswer,
): TokenAnswerFacts {
	const secrets = [settings.clientSecret];
	const accessToken = answer.json?.access_token;
	const contentType = headerValue(response.headers, 'content-type').split(';')[0].trim();
	return {
		tokenUrl: settings.tokenUrl,
		status: answer.status,
		location: shortServerText(headerValue(response.headers, 'location').split('?')[0], secrets),
		received: contentType ? `content type ${contentType}` : 'a body that is not JSON',
		tokenType: shortServerText(
			answer.json?.token_type,
			typeof accessToken === 'string' ? [...secrets, accessToken] : secrets,
		),
	};
}

function oauthAnswerError(answer: TokenAnswer, settings: ErpNetTokenSettings): UserError {
	const code = text(answer.json?.error);
	const description = shortServerText(answer.json?.error_description, [settings.clientSecret]);
	const shownCode = PLAIN_OAUTH_CODE.test(code) ? code : 'an error code that is not a plain OAuth code, not shown';
	return oauthErrorToUserError(shownCode, description, settings, answer.status);
}

/**
 * Turns the token endpoint's answer into `{ accessToken }` or a `UserError` saying what to fix.
 * Never includes the secret (or any token) in the error.
 */
export function interpretTokenResponse(
	response: TokenHttpResponse,
	settings: ErpNetTokenSettings,
): { accessToken: string; grantedScope?: string; expiresInSeconds?: number } {
	const answer: TokenAnswer = { status: Number(response.statusCode), json: parseJsonBody(response.body) };
	const failure = failedAnswerCase(answer);
	if (failure === 'oauthError') throw oauthAnswerError(answer, settings);
	if (failure !== undefined) {
		const { message, description } = TOKEN_ANSWER_MESSAGES[failure](answerFacts(response, settings, answer));
		throw tokenError(message, description);
	}
	const json = answer.json as IDataObject;
	const expiresIn = Number(json.expires_in);
	return {
		accessToken: json.access_token as string,
		grantedScope: typeof json.scope === 'string' ? json.scope : undefined,
		expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
	};
}
