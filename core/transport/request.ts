import type { IHttpRequestMethods, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeOperationError, UserError, sleep } from 'n8n-workflow';

import type { HttpFailure } from './errors';
import { describeLocation, isUnderRoot } from '../urlScope';
import { describeFailure, nodeApiError, redactFailure, toErpNetError } from './errors';
import { MAX_REDIRECTS, redirectError, redirectLocation } from './redirects';
import { currentSecrets, tokenOfFailedRequest } from './secrets';
import { sendOnCredentialSession, sessionFailure } from './session';
import type { ErpNetFunctions, ErpNetRequestOptions } from './types';
import { DEFAULT_TIMEOUT_MS } from './types';
import { getInstanceRoots } from './urls';

/** Rate limits are counted per minute (600 requests a session), so 429 is retried for about 1.5 minutes. */
const MAX_RATE_LIMIT_RETRIES = 8;
const MAX_FAILURE_RETRIES = 4;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 60_000;
/** A positive `Retry-After` below this (e.g. `0.001`) still waits this long. */
const MIN_RETRY_AFTER_MS = 100;

/**
 * Sends one request to the instance with the credential's token, on one of the credential's ERP.net sessions of
 * this process (./session.ts: one request at a time per session, in arrival order). Retries 429 (never executed
 * by ERP.net) for every method, and 502/503/504 and network failures for reads only: a write
 * whose outcome is unknown is reported, not repeated.
 */
export async function erpNetApiRequest(this: ErpNetFunctions, request: ErpNetRequestOptions): Promise<unknown> {
	const { domainRoot: apiRoot, credentialType } = await getInstanceRoots.call(this);
	if (!isUnderRoot(request.url, apiRoot)) {
		throw new NodeOperationError(
			this.getNode(),
			"Refusing to send the ERP.net token outside the instance's Domain API",
			{
				itemIndex: request.itemIndex,
				description: `The URL ${describeLocation(request.url)} is not under the instance's Domain API ${apiRoot}.`,
			},
		);
	}
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: { Accept: 'application/json', ...request.headers },
		json: !request.raw && !request.binary,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		// n8n's request helper would follow a redirect with the token, and re-send a write's body, to any
		// origin; redirects are handled here instead (redirectTarget).
		disableFollowRedirect: true,
	};
	if (request.raw || request.binary) {
		options.encoding = request.binary ? 'arraybuffer' : 'text';
		options.returnFullResponse = true;
	}
	if (request.binary && request.body !== undefined && typeof request.body !== 'string') {
		options.body = JSON.stringify(request.body);
		options.headers = { 'Content-Type': 'application/json', ...options.headers };
	} else if (request.body !== undefined) options.body = request.body;

	let redirects = 0;
	for (let attempt = 0; ; attempt++) {
		try {
			return await sendOnCredentialSession(
				this,
				credentialType,
				options,
				async () => await this.helpers.httpRequestWithAuthentication.call(this, credentialType, options),
			);
		} catch (error) {
			const gateFailure = sessionFailure(this, error, request.itemIndex, request.method);
			if (gateFailure) throw gateFailure;
			// The credential's own errors (token endpoint, instance URL) already say what to fix; the session gate
			// requests tokens itself, so they also arrive unwrapped.
			if (error instanceof UserError || (error as { cause?: unknown }).cause instanceof UserError) {
				const cause = error instanceof UserError ? error : (error as { cause: UserError }).cause;
				throw nodeApiError(this.getNode(), { message: cause.message } as JsonObject, {
					message: cause.message,
					description: cause.description ?? undefined,
					itemIndex: request.itemIndex,
				});
			}
			const secrets = await currentSecrets.call(this, [tokenOfFailedRequest(error)]);
			const failure = redactFailure(describeFailure(error), secrets);
			const location = redirectLocation(failure, request.url);
			if (location !== undefined) {
				const followable = request.method === 'GET' && isUnderRoot(location, apiRoot);
				if (followable && redirects < MAX_REDIRECTS) {
					redirects++;
					options.url = location;
					continue;
				}
				throw redirectError(this.getNode(), request, location, failure.status as number, followable);
			}
			const delay = retryDelay(request.method, failure, attempt);
			if (delay === undefined) throw toErpNetError(this.getNode(), failure, { ...request, credentialType }, attempt);
			await sleep(delay);
		}
	}
}

const RETRYABLE_READ_STATUSES = new Set([502, 503, 504]);
// A read that timed out (ECONNABORTED) is not retried: a hung server should fail the item promptly.
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

function retryDelay(method: IHttpRequestMethods, failure: HttpFailure, attempt: number): number | undefined {
	const isRead = method === 'GET';
	const retryable =
		failure.status === 429
			? attempt < MAX_RATE_LIMIT_RETRIES
			: attempt < MAX_FAILURE_RETRIES &&
				isRead &&
				(failure.status !== undefined
					? RETRYABLE_READ_STATUSES.has(failure.status)
					: RETRYABLE_NETWORK_CODES.has(failure.code ?? ''));
	if (!retryable) return undefined;
	return retryAfterMs(failure.headers) ?? backoffMs(attempt);
}

/**
 * The wait a `Retry-After` asks for. `0`, negative, empty, unparsable or past values give no wait of their own:
 * the exponential backoff applies then, so a server (or proxy) can never cause immediate retries.
 */
export function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	const seconds = Number(text);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(text) - Date.now();
	return Number.isFinite(ms) && ms > 0 ? Math.min(Math.max(ms, MIN_RETRY_AFTER_MS), MAX_RETRY_AFTER_MS) : undefined;
}

function backoffMs(attempt: number): number {
	const base = Math.min(500 * 2 ** attempt, MAX_BACKOFF_MS);
	return Math.round(base / 2 + Math.random() * (base / 2));
}
