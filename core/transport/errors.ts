import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { referenceTokenRejected } from '../auth/referenceToken';
import type { ErpNetErrorBody } from '../odata/types';
import { redact, redactDeep } from '../redact';
import type { ErpNetRequestOptions } from './types';
import { DEFAULT_TIMEOUT_MS, REFERENCE_TOKEN_CREDENTIAL_TYPE } from './types';
import { businessErrorHint } from './errorHints';

function headerText(headers: Record<string, unknown> | undefined, name: string): string {
	const value = headers?.[name];
	return typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : '';
}

/** What is known about a failed request, taken from n8n's error and its axios cause. */
export interface HttpFailure {
	status?: number;
	body?: unknown;
	headers?: Record<string, unknown>;
	code?: string;
	causeMessage?: string;
}

export function describeFailure(error: unknown): HttpFailure {
	const source = error as {
		cause?: {
			response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
			code?: string;
			message?: string;
		};
		httpCode?: string | null;
		context?: { data?: unknown };
		code?: string;
		message?: string;
	};
	const cause = source.cause ?? {};
	const status = cause.response?.status ?? (source.httpCode ? Number(source.httpCode) : undefined);
	return {
		status: Number.isFinite(status) ? status : undefined,
		body: cause.response?.data ?? source.context?.data,
		headers: cause.response?.headers,
		code: cause.code ?? source.code,
		causeMessage: cause.message ?? source.message,
	};
}

/** The failure with every text ERP.net or a proxy sent redacted of the token and the client secret. */
export function redactFailure(failure: HttpFailure, secrets: string[]): HttpFailure {
	return {
		...failure,
		body: redactDeep(failure.body, secrets),
		headers: redactDeep(failure.headers, secrets, { wholeValues: true }),
		causeMessage: failure.causeMessage === undefined ? undefined : redact(failure.causeMessage, secrets),
	};
}

/** What a write whose answer never arrived whole has to be told (a timeout, a cut connection, a garbled answer). */
export const WRITE_OUTCOME_UNKNOWN =
	'The write may or may not have been carried out: check the record in ERP.net before running it again.';

const RENAME_PATTERN =
	/entity set name '([A-Za-z0-9_]+)' is no more supported\.\s*The new name of this entity is '([A-Za-z0-9_]+)'/i;
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i;

/** Maps a failed request to a NodeApiError whose message says what to fix; no token, header or request echo. */
export function toErpNetError(
	node: INode,
	failure: HttpFailure,
	request: ErpNetRequestOptions,
	attempts: number,
): NodeApiError {
	const { message, description } = explainFailure(failure, request, attempts);
	const httpCode = failure.status !== undefined ? String(failure.status) : undefined;
	const safeResponse: JsonObject = { message, httpCode: httpCode ?? null };
	if (failure.body !== undefined && typeof failure.body === 'object') {
		safeResponse.body = failure.body as JsonObject;
	}
	return new NodeApiError(node, safeResponse, {
		message,
		description,
		httpCode,
		itemIndex: request.itemIndex,
	});
}

function explainFailure(
	failure: HttpFailure,
	request: ErpNetRequestOptions,
	attempts: number,
): { message: string; description?: string } {
	const action = request.action ?? `${request.method} ${new URL(request.url).pathname}`;
	const erpError = erpNetError(failure.body);
	const technical = erpError ? technicalDetails(erpError) : undefined;

	if (failure.status === undefined) return explainNetworkFailure(failure, request);
	const rename = erpError?.message ? RENAME_PATTERN.exec(erpError.message) : null;
	if (rename) {
		return {
			message: `The entity set '${rename[1]}' was renamed to '${rename[2]}' in ERP.net`,
			description: `Use '${rename[2]}' instead. ${erpError?.message ?? ''}`.trim(),
		};
	}
	switch (failure.status) {
		case 401:
			if (request.credentialType === REFERENCE_TOKEN_CREDENTIAL_TYPE) {
				return referenceTokenRejected(headerText(failure.headers, 'www-authenticate'));
			}
			return {
				message: 'ERP.net did not accept the access token (401), even after requesting a new one',
				description:
					'Check that the trusted application is enabled and allowed to use its system user, and that the credential points to the right instance.',
			};
		case 403:
			return {
				message: erpError?.message ?? `ERP.net refused to ${action} (403)`,
				description:
					'The trusted application\'s scope or its system user\'s permissions do not allow this. Writes need the scope "update" in the credential and in the trusted application.',
			};
		case 404:
			return {
				message: erpError?.message ?? `Not found: ${action} (404)`,
				description:
					'Check the entity set name and the record ID. Entity set names are case-sensitive, e.g. Crm_Sales_Customers.',
			};
		case 429:
			return {
				message: `ERP.net's rate limit was still exceeded after ${attempts} retries (429)`,
				description:
					'ERP.net allows one concurrent request per session and a limited number of requests per minute. Run fewer executions at the same time with this credential, or retry later.',
			};
		default:
			if (erpError?.message) {
				const hint = businessErrorHint(erpError.message);
				return { message: erpError.message, description: hint ? `${hint} ${technical ?? ''}`.trim() : technical };
			}
			return {
				message: `ERP.net could not ${action} (HTTP ${failure.status})`,
				description: statusDescription(failure, request),
			};
	}
}

/** A proxy's text, after the warning that a gateway (502, 504) may have given up while ERP.net went on with a write. */
function statusDescription(failure: HttpFailure, request: ErpNetRequestOptions): string | undefined {
	const unsure =
		request.method !== 'GET' && (failure.status === 502 || failure.status === 504) ? WRITE_OUTCOME_UNKNOWN : '';
	const body = typeof failure.body === 'string' ? failure.body.slice(0, 300) : '';
	return [unsure, body].filter((text) => text !== '').join(' ') || undefined;
}

function explainNetworkFailure(
	failure: HttpFailure,
	request: ErpNetRequestOptions,
): { message: string; description?: string } {
	const code = failure.code ?? '';
	const host = new URL(request.url).host;
	const unsure = request.method !== 'GET' ? ` ${WRITE_OUTCOME_UNKNOWN}` : '';
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(failure.causeMessage ?? '')) {
		return {
			message: `ERP.net did not answer within ${Math.round((request.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} seconds`,
			description: `Raise the "Timeout" option or narrow the request.${unsure} ERP.net may still be working on it: the credential's next requests run on a new ERP.net session, not behind this one.`,
		};
	}
	if (TLS_CODES.test(code)) {
		return {
			message: `The TLS certificate of ${host} is not trusted (${code})`,
			description: 'Check the instance URL; ERP.net instances use a valid https certificate.',
		};
	}
	if (code === 'ENOTFOUND' || code === 'ECONNREFUSED' || code === 'EAI_AGAIN') {
		return {
			message: `Could not reach ERP.net at ${host} (${code})`,
			description: 'Check the instance URL in the credential, e.g. https://yourdb.my.erp.net.',
		};
	}
	return {
		message: `The connection to ERP.net at ${host} failed${code ? ` (${code})` : ''}`,
		description: `${failure.causeMessage ?? ''}${unsure}`.trim() || undefined,
	};
}

function erpNetError(
	body: unknown,
): { message?: string; code?: string | number; type?: string; info?: string } | undefined {
	// A binary request (a printout) fails with the error envelope as bytes.
	if (body instanceof ArrayBuffer || body instanceof Uint8Array)
		return erpNetError(Buffer.from(body as ArrayBuffer).toString('utf8'));
	if (typeof body === 'string') {
		try {
			return erpNetError(JSON.parse(body));
		} catch {
			return undefined;
		}
	}
	if (!body || typeof body !== 'object') return undefined;
	const envelope = body as ErpNetErrorBody;
	if (envelope.error && typeof envelope.error === 'object') return envelope.error;
	// Two ERP.net doc pages show the error fields without the `error` wrapper
	// (https://docs.erp.net/dev/domain-api/data-manipulation/error-handling.html).
	if (typeof envelope.message === 'string') return envelope as { message?: string };
	return undefined;
}

function technicalDetails(error: { code?: string | number; type?: string; info?: string }): string | undefined {
	const parts = [
		error.code !== undefined && error.code !== null ? `ERP.net error code ${error.code}` : '',
		error.type ? `type ${error.type}` : '',
		error.info ? `info: ${String(error.info).slice(0, 500)}` : '',
	].filter((part) => part !== '');
	return parts.length > 0 ? parts.join('; ') : undefined;
}

/** An error as n8n's error classes: n8n errors are passed on unchanged, anything else wrapped for the item. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
