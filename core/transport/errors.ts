import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { referenceTokenRejected } from '../auth/referenceToken';
import type { ErpNetErrorBody } from '../odata/types';
import { redact, redactDeep } from '../redact';
import type { ErpNetRequestOptions } from './types';
import { DEFAULT_TIMEOUT_MS, REFERENCE_TOKEN_CREDENTIAL_TYPE } from './types';
import { businessErrorHint } from './errorHints';
import type {
	FailureText,
	NetworkFailureCase,
	NetworkFailureFacts,
	StatusFailureCase,
	StatusFailureFacts,
} from './failureMessages';
import { NETWORK_FAILURE_MESSAGES, STATUS_FAILURE_MESSAGES, WRITE_OUTCOME_UNKNOWN } from './failureMessages';

export { WRITE_OUTCOME_UNKNOWN } from './failureMessages';

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

const RENAME_PATTERN =
	/entity set name '([A-Za-z0-9_]+)' is no more supported\.\s*The new name of this entity is '([A-Za-z0-9_]+)'/i;
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i;
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

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
	return nodeApiError(node, safeResponse, { message, description, httpCode, itemIndex: request.itemIndex });
}

/**
 * A NodeApiError that shows the message given. n8n's own constructor puts a generic text (no host; "retry" even
 * after a write) in place of a message that contains a network code's letters anywhere (ENOTFOUND, EPERM, ...: in a
 * host name or in ERP.net's own message too).
 */
export function nodeApiError(
	node: INode,
	errorResponse: JsonObject,
	options: NodeApiErrorOptions & { message: string },
): NodeApiError {
	const error = new NodeApiError(node, errorResponse, options);
	error.message = options.message;
	return error;
}

type NodeApiErrorOptions = NonNullable<ConstructorParameters<typeof NodeApiError>[2]>;

function explainFailure(failure: HttpFailure, request: ErpNetRequestOptions, attempts: number): FailureText {
	if (failure.status === undefined) {
		return NETWORK_FAILURE_MESSAGES[networkFailureCase(failure)](networkFacts(failure, request));
	}
	const facts = statusFacts(failure, failure.status, request, attempts);
	const failureCase = statusFailureCase(facts);
	if (failureCase === 'accessTokenRejected' && request.credentialType === REFERENCE_TOKEN_CREDENTIAL_TYPE) {
		return referenceTokenRejected(headerText(failure.headers, 'www-authenticate'));
	}
	return STATUS_FAILURE_MESSAGES[failureCase](facts);
}

/** Which answer it is, in the order the checks apply: a rename ERP.net reports comes before its status. */
function statusFailureCase({ status, renamed, erpMessage }: StatusFailureFacts): StatusFailureCase {
	if (renamed) return 'renamed';
	if (status === 401) return 'accessTokenRejected';
	if (status === 403) return 'forbidden';
	if (status === 404) return 'notFound';
	if (status === 429) return 'rateLimited';
	return erpMessage ? 'businessError' : 'failed';
}

function statusFacts(
	failure: HttpFailure,
	status: number,
	request: ErpNetRequestOptions,
	attempts: number,
): StatusFailureFacts {
	const erpError = erpNetError(failure.body);
	const rename = erpError?.message ? RENAME_PATTERN.exec(erpError.message) : null;
	return {
		status,
		action: request.action ?? `${request.method} ${new URL(request.url).pathname}`,
		attempts,
		erpMessage: erpError?.message,
		technical: erpError ? technicalDetails(erpError) : undefined,
		hint: erpError?.message ? businessErrorHint(erpError.message) : undefined,
		renamed: rename ? { from: rename[1], to: rename[2] } : undefined,
		statusDetail: statusDescription(failure, request),
	};
}

/** A proxy's text, after the warning that a gateway (502, 504) may have given up while ERP.net went on with a write. */
function statusDescription(failure: HttpFailure, request: ErpNetRequestOptions): string | undefined {
	const unsure =
		request.method !== 'GET' && (failure.status === 502 || failure.status === 504) ? WRITE_OUTCOME_UNKNOWN : '';
	const body = typeof failure.body === 'string' ? failure.body.slice(0, 300) : '';
	return [unsure, body].filter((text) => text !== '').join(' ') || undefined;
}

function networkFailureCase({ code = '', causeMessage }: HttpFailure): NetworkFailureCase {
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(causeMessage ?? '')) return 'timedOut';
	if (TLS_CODES.test(code)) return 'untrustedCertificate';
	if (UNREACHABLE_CODES.has(code)) return 'unreachable';
	return 'connectionFailed';
}

function networkFacts(failure: HttpFailure, request: ErpNetRequestOptions): NetworkFailureFacts {
	return {
		host: new URL(request.url).host,
		code: failure.code ?? '',
		timeoutSeconds: Math.round((request.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000),
		unsure: request.method !== 'GET' ? ` ${WRITE_OUTCOME_UNKNOWN}` : '',
		causeMessage: failure.causeMessage,
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
