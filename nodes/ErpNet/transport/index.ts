import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, UserError, sleep } from 'n8n-workflow';

import { domainApiRoot, normalizeInstanceUrl } from '../helpers/instanceUrl';
import type { ErpNetErrorBody, ODataCollection, ODataQuery } from '../helpers/interfaces';
import { encodeQuery, isEntitySetName } from '../helpers/odata';

export type ErpNetFunctions = IExecuteFunctions | ILoadOptionsFunctions;

export const CREDENTIAL_TYPE = 'erpNetApi';
/** ERP.net recommends `$top=1000` and warns against larger pages (querying-data/paging.md). */
export const MAX_PAGE_SIZE = 1000;
export const EXPAND_PAGE_SIZE = 200;
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_PAGES = 10_000;
/** Rate limits are counted per minute (600 requests a session), so 429 is retried for about 1.5 minutes. */
const MAX_RATE_LIMIT_RETRIES = 8;
const MAX_FAILURE_RETRIES = 4;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 60_000;

export interface ErpNetRequestOptions {
	method: IHttpRequestMethods;
	/** An absolute URL on the instance, from `odataUrl`/`apiUrl` or a next link. */
	url: string;
	body?: IDataObject | IDataObject[] | string;
	headers?: IDataObject;
	/** Send the body as given and resolve with `{ body (text), headers }`, e.g. for `$batch`. */
	raw?: boolean;
	itemIndex?: number;
	timeoutMs?: number;
	/** What the request does, for messages: e.g. "read Crm_Sales_Customers". */
	action?: string;
}

export interface PageOptions {
	/** Stop once this many records were read; undefined reads all. */
	limit?: number;
	pageSize?: number;
	maxPages?: number;
	headers?: IDataObject;
	itemIndex?: number;
	timeoutMs?: number;
}

interface InstanceRoots {
	instanceUrl: string;
	origin: string;
	odataRoot: string;
}

interface HttpFailure {
	status?: number;
	body?: unknown;
	headers?: Record<string, unknown>;
	code?: string;
	causeMessage?: string;
}

const rootsByContext = new WeakMap<object, Promise<InstanceRoots>>();

/** The instance's roots, read from the credential once per execution context. */
export async function getInstanceRoots(this: ErpNetFunctions): Promise<InstanceRoots> {
	let roots = rootsByContext.get(this);
	if (!roots) {
		roots = this.getCredentials(CREDENTIAL_TYPE).then((credentials) => {
			const instanceUrl = normalizeInstanceUrl(String(credentials.instanceUrl ?? ''));
			return { instanceUrl, origin: new URL(instanceUrl).origin, odataRoot: domainApiRoot(instanceUrl) };
		});
		rootsByContext.set(this, roots);
	}
	return await roots;
}

/** URL of a Domain API resource (`Crm_Sales_Customers`, `Crm_Sales_Customers(<guid>)`) with query options. */
export async function odataUrl(
	this: ErpNetFunctions,
	resource: string,
	query: ODataQuery | Record<string, string | number | boolean | undefined> = {},
): Promise<string> {
	const { odataRoot } = await getInstanceRoots.call(this);
	const queryString = encodeQuery(query);
	return `${odataRoot}${resource}${queryString ? `?${queryString}` : ''}`;
}

/** URL under `{instance}/api/domain/` (model endpoints). */
export async function apiUrl(this: ErpNetFunctions, path: string): Promise<string> {
	const { instanceUrl } = await getInstanceRoots.call(this);
	return `${instanceUrl}/api/domain/${path}`;
}

export function assertEntitySetName(this: ErpNetFunctions, entitySet: string, itemIndex?: number): void {
	if (!isEntitySetName(entitySet)) {
		throw new NodeOperationError(
			this.getNode(),
			`"${entitySet}" is not a valid ERP.net entity set name`,
			{
				itemIndex,
				description:
					'Entity set names look like Crm_Sales_Customers: the repository name with dots replaced by underscores.',
			},
		);
	}
}

/**
 * Sends one request to the instance with the credential's token. Retries 429 (never executed
 * by ERP.net) for every method, and 502/503/504 and network failures for reads only: a write
 * whose outcome is unknown is reported, not repeated.
 */
export async function erpNetApiRequest(this: ErpNetFunctions, request: ErpNetRequestOptions): Promise<unknown> {
	const { origin } = await getInstanceRoots.call(this);
	if (new URL(request.url).origin !== origin) {
		throw new NodeOperationError(this.getNode(), 'Refusing to send the ERP.net token to another host', {
			itemIndex: request.itemIndex,
			description: `The URL ${new URL(request.url).origin} is not on the credential's instance ${origin}.`,
		});
	}
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: { Accept: 'application/json', ...request.headers },
		json: !request.raw,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};
	if (request.raw) {
		options.encoding = 'text';
		options.returnFullResponse = true;
	}
	if (request.body !== undefined) options.body = request.body;

	for (let attempt = 0; ; attempt++) {
		try {
			return await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options);
		} catch (error) {
			// The credential's own errors (token endpoint, instance URL) already say what to fix.
			if ((error as { cause?: unknown }).cause instanceof UserError) {
				const cause = (error as { cause: UserError }).cause;
				throw new NodeApiError(this.getNode(), { message: cause.message } as JsonObject, {
					message: cause.message,
					description: cause.description ?? undefined,
					itemIndex: request.itemIndex,
				});
			}
			const failure = describeFailure(error);
			const delay = retryDelay(request.method, failure, attempt);
			if (delay === undefined) throw toErpNetError.call(this, failure, request, attempt);
			await sleep(delay);
		}
	}
}

/** Reads a collection page by page, yielding each page's records as soon as it arrives. */
export async function* erpNetApiPages(
	this: ErpNetFunctions,
	entitySet: string,
	query: ODataQuery,
	options: PageOptions = {},
): AsyncGenerator<IDataObject[]> {
	const { origin, odataRoot } = await getInstanceRoots.call(this);
	const pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
	const pageTop = (received: number) =>
		options.limit === undefined ? pageSize : Math.min(pageSize, options.limit - received);

	let received = 0;
	let skip = 0;
	let serverPages = false;
	let url = await odataUrl.call(this, entitySet, { ...query, $top: pageTop(0) });
	const visited = new Set<string>([url]);

	for (let page = 1; ; page++) {
		const top = pageTop(received);
		const response = (await erpNetApiRequest.call(this, {
			method: 'GET',
			url,
			headers: options.headers,
			itemIndex: options.itemIndex,
			timeoutMs: options.timeoutMs,
			action: `read ${entitySet}`,
		})) as ODataCollection;
		const records = collectionValues.call(this, response, options.itemIndex);
		const remaining = options.limit === undefined ? records.length : options.limit - received;
		const pageRecords = records.length > remaining ? records.slice(0, remaining) : records;
		received += pageRecords.length;
		if (pageRecords.length > 0) yield pageRecords;
		if (options.limit !== undefined && received >= options.limit) return;

		const nextLink = response['@odata.nextLink'];
		if (typeof nextLink === 'string' && nextLink !== '') {
			serverPages = true;
			url = resolveNextLink.call(this, nextLink, odataRoot, origin, options.itemIndex);
		} else if (!serverPages && records.length === top && records.length > 0) {
			// Servers before 26.2 send no next link: page on the client with $skip (paging.md).
			skip += records.length;
			url = await odataUrl.call(this, entitySet, { ...query, $top: pageTop(received), $skip: skip });
		} else {
			return;
		}
		if (visited.has(url)) {
			throw new NodeOperationError(this.getNode(), 'ERP.net returned the same next page twice', {
				itemIndex: options.itemIndex,
				description: `Stopped reading ${entitySet} after ${received} records to avoid an endless loop.`,
			});
		}
		visited.add(url);
		if (page >= maxPages) {
			throw new NodeOperationError(this.getNode(), `Stopped after ${maxPages} pages of ${entitySet}`, {
				itemIndex: options.itemIndex,
				description: `${received} records were read. Narrow the read with a filter, or raise "Max Pages".`,
			});
		}
	}
}

/** Reads a collection into one array (for small reads such as list searches). */
export async function erpNetApiRequestAllItems(
	this: ErpNetFunctions,
	entitySet: string,
	query: ODataQuery,
	options: PageOptions = {},
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	for await (const page of erpNetApiPages.call(this, entitySet, query, options)) {
		for (const record of page) records.push(record);
	}
	return records;
}

function collectionValues(this: ErpNetFunctions, response: ODataCollection, itemIndex?: number): IDataObject[] {
	if (!response || !Array.isArray(response.value)) {
		throw new NodeOperationError(this.getNode(), 'ERP.net answered with something that is not an OData collection', {
			itemIndex,
			description: 'Check that the instance URL points to an ERP.net instance.',
		});
	}
	return response.value;
}

/** A next link is followed as returned (absolute or relative), but only on the instance's own origin. */
function resolveNextLink(
	this: ErpNetFunctions,
	nextLink: string,
	odataRoot: string,
	origin: string,
	itemIndex?: number,
): string {
	const resolved = new URL(nextLink, odataRoot);
	if (resolved.origin !== origin) {
		throw new NodeOperationError(this.getNode(), 'ERP.net returned a next page link to another host', {
			itemIndex,
			description: `The link points to ${resolved.origin}, not to ${origin}; it was not followed and the token was not sent there.`,
		});
	}
	return /^https?:\/\//i.test(nextLink) ? nextLink : resolved.toString();
}

function describeFailure(error: unknown): HttpFailure {
	const source = error as {
		cause?: { response?: { status?: number; data?: unknown; headers?: Record<string, unknown> }; code?: string; message?: string };
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

function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(String(value)) - Date.now();
	return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

function backoffMs(attempt: number): number {
	const base = Math.min(500 * 2 ** attempt, MAX_BACKOFF_MS);
	return Math.round(base / 2 + Math.random() * (base / 2));
}

const RENAME_PATTERN = /entity set name '([A-Za-z0-9_]+)' is no more supported\.\s*The new name of this entity is '([A-Za-z0-9_]+)'/i;
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i;

/** Maps a failed request to a NodeApiError whose message says what to fix; no token, header or request echo. */
function toErpNetError(
	this: ErpNetFunctions,
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
	return new NodeApiError(this.getNode(), safeResponse, {
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
			if (erpError?.message) return { message: erpError.message, description: technical };
			return {
				message: `ERP.net could not ${action} (HTTP ${failure.status})`,
				description: typeof failure.body === 'string' ? failure.body.slice(0, 300) : undefined,
			};
	}
}

function explainNetworkFailure(
	failure: HttpFailure,
	request: ErpNetRequestOptions,
): { message: string; description?: string } {
	const code = failure.code ?? '';
	const host = new URL(request.url).host;
	const unsure =
		request.method !== 'GET'
			? ' The write may or may not have been carried out: check the record in ERP.net before running it again.'
			: '';
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(failure.causeMessage ?? '')) {
		return {
			message: `ERP.net did not answer within ${Math.round((request.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} seconds`,
			description: `Raise the "Timeout" option or narrow the request.${unsure}`,
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

function erpNetError(body: unknown): { message?: string; code?: string | number; type?: string; info?: string } | undefined {
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
	// Two ERP.net doc pages show the error fields without the `error` wrapper (error-handling.md).
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
