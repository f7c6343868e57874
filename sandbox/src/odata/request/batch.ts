/**
 * `POST $batch` (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html): a multipart/mixed body of requests and changesets.
 * Responses come back in request order, formatted like the real capture in https://docs.erp.net/dev/domain-api/data-manipulation/batch.html
 * (`--batchresponse_<uuid>`, `Content-Type: application/http`, `Content-Transfer-Encoding: binary`, the
 * status line, the response headers, a blank line, the body). A changeset is atomic: on the first failure
 * its changes are rolled back and, as in the capture, the changeset's response holds only that failure
 * (with its Content-ID). OData 4.0 also allows one top-level `application/http` response for the whole failed
 * changeset (OData 4.0 Protocol 11.7.4, "Responding to a Batch Request"): `setBatchChangesetFailure('response')`
 * answers so, without a Content-ID. `$1` refers to the entity created by the changeset request with Content-ID 1.
 */
import { randomUUID } from 'node:crypto';

import { ODataRequestError } from '../errors';
import { handleODataRequest } from './handle-request';
import { errorResponse } from './json';
import type { ODataRequest, ODataResponse, RequestEnvironment } from './types';
import { partEnvironment } from './part-context';

const CRLF = '\r\n';

const STATUS_TEXT: Record<number, string> = {
	200: 'OK',
	201: 'Created',
	204: 'No Content',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	500: 'Internal Server Error',
};

interface MimePart {
	headers: Record<string, string>;
	content: string;
}

interface BatchOperation {
	contentId?: string;
	request: ODataRequest;
}

type BatchItem = { kind: 'request'; operation: BatchOperation } | { kind: 'changeset'; operations: BatchOperation[] };

class ChangesetFailure extends Error {
	constructor(
		readonly contentId: string | undefined,
		readonly response: ODataResponse,
	) {
		super('changeset failed');
	}
}

/**
 * How a failed changeset is answered: `changeset` as in ERP.net's capture (a changeset holding the failed request's
 * answer with its Content-ID), `response` as OData 4.0 also allows (one response for the whole changeset).
 */
export type ChangesetFailureAnswer = 'changeset' | 'response';

/** The body of a JSON or text response, as the batch part carries it. */
export type BodySerializer = (response: ODataResponse) => string;

export function handleBatch(
	contentType: string,
	body: string,
	environment: RequestEnvironment,
	serializeBody: BodySerializer = defaultSerializer,
	changesetFailure: ChangesetFailureAnswer = 'changeset',
): ODataResponse {
	const boundary = boundaryOf(contentType);
	if (!contentType.toLowerCase().startsWith('multipart/mixed') || !boundary) {
		throw new ODataRequestError("The $batch request must have the content type 'multipart/mixed' with a boundary.");
	}
	const items = splitMultipart(body, boundary).map((part) => parseBatchItem(part, environment));
	const responseBoundary = `batchresponse_${randomUUID()}`;
	const parts = items.map((item) => formatBatchItem(item, environment, serializeBody, changesetFailure));
	const payload =
		parts.map((part) => `--${responseBoundary}${CRLF}${part}`).join('') + `--${responseBoundary}--${CRLF}`;
	return {
		status: 200,
		headers: { 'Content-Type': `multipart/mixed; boundary=${responseBoundary}`, 'OData-Version': '4.0' },
		body: payload,
	};
}

function defaultSerializer(response: ODataResponse): string {
	if (response.body === undefined) return '';
	return typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
}

export function boundaryOf(contentType: string): string | undefined {
	for (const parameter of contentType.split(';').slice(1)) {
		const [name, ...rest] = parameter.split('=');
		if (name.trim().toLowerCase() === 'boundary')
			return rest
				.join('=')
				.trim()
				.replace(/^"(.*)"$/, '$1');
	}
	return undefined;
}

/** The parts between `--boundary` delimiter lines, up to `--boundary--`. */
export function splitMultipart(body: string, boundary: string): MimePart[] {
	const lines = body.split(/\r?\n/);
	const parts: MimePart[] = [];
	let current: string[] | undefined;
	for (const line of lines) {
		const trimmed = line.trimEnd();
		if (trimmed === `--${boundary}` || trimmed === `--${boundary}--`) {
			if (current) parts.push(parseMimePart(current));
			current = trimmed.endsWith('--') && trimmed !== `--${boundary}` ? undefined : [];
			if (trimmed === `--${boundary}--`) break;
			continue;
		}
		current?.push(line);
	}
	if (parts.length === 0) throw new ODataRequestError('The $batch request contains no parts.');
	return parts;
}

function parseHeaders(lines: string[]): { headers: Record<string, string>; rest: string[] } {
	const headers: Record<string, string> = {};
	let index = 0;
	while (index < lines.length && lines[index].trim() === '') index++;
	for (; index < lines.length && lines[index].trim() !== ''; index++) {
		const colon = lines[index].indexOf(':');
		if (colon > 0) headers[lines[index].slice(0, colon).trim().toLowerCase()] = lines[index].slice(colon + 1).trim();
	}
	return { headers, rest: lines.slice(index + 1) };
}

function parseMimePart(lines: string[]): MimePart {
	const { headers, rest } = parseHeaders(lines);
	return { headers, content: rest.join('\n') };
}

function parseBatchItem(part: MimePart, environment: RequestEnvironment): BatchItem {
	const contentType = part.headers['content-type'] ?? '';
	if (contentType.toLowerCase().startsWith('multipart/mixed')) {
		const boundary = boundaryOf(contentType);
		if (!boundary) throw new ODataRequestError('A changeset must declare its boundary.');
		const operations = splitMultipart(part.content, boundary).map((inner) => parseOperation(inner, environment));
		return { kind: 'changeset', operations };
	}
	return { kind: 'request', operation: parseOperation(part, environment) };
}

function parseOperation(part: MimePart, environment: RequestEnvironment): BatchOperation {
	const lines = part.content.split('\n');
	let first = 0;
	while (first < lines.length && lines[first].trim() === '') first++;
	const [method, target] = (lines[first] ?? '').trim().split(/\s+/);
	if (!method || !target)
		throw new ODataRequestError(`The $batch part does not start with a request line: '${lines[first] ?? ''}'.`);
	const { headers, rest } = parseHeaders(lines.slice(first + 1).length > 0 ? ['', ...lines.slice(first + 1)] : []);
	const text = rest.join('\n').trim();
	const { resourcePath, query } = splitTarget(target, environment);
	let body: unknown;
	if (text !== '') {
		try {
			body = JSON.parse(text);
		} catch (error) {
			body = new InvalidJson((error as Error).message);
		}
	}
	return {
		contentId: part.headers['content-id'] ?? headers['content-id'],
		request: { method: method.toUpperCase(), resourcePath, query, body, headers },
	};
}

/** A body that failed to parse; reported when its request runs, so the other parts still run. */
class InvalidJson {
	constructor(readonly message: string) {}
}

/** Relative (`General_Products_Products?$top=2`), absolute URL, absolute path or `$1/Prices`. */
function splitTarget(target: string, environment: RequestEnvironment): { resourcePath: string; query: string } {
	let path = target;
	const root = environment.serviceRoot;
	const rootPath = new URL(root).pathname;
	if (path.startsWith(root)) path = path.slice(root.length);
	else if (/^https?:\/\//i.test(path))
		path = new URL(path).pathname.slice(rootPath.length) + (new URL(path).search || '');
	else if (path.startsWith(rootPath)) path = path.slice(rootPath.length);
	else if (path.startsWith('/')) path = path.slice(1);
	const question = path.indexOf('?');
	const rawPath = question < 0 ? path : path.slice(0, question);
	let resourcePath: string;
	try {
		resourcePath = decodeURIComponent(rawPath);
	} catch {
		resourcePath = rawPath;
	}
	return { resourcePath, query: question < 0 ? '' : path.slice(question + 1) };
}

function runOperation(operation: BatchOperation, environment: RequestEnvironment): ODataResponse {
	if (operation.request.body instanceof InvalidJson) {
		return errorResponse(
			new ODataRequestError(`The request body is not valid JSON: ${operation.request.body.message}`),
		);
	}
	return handleODataRequest(operation.request, partEnvironment(environment, operation.request.headers));
}

function formatBatchItem(
	item: BatchItem,
	environment: RequestEnvironment,
	serializeBody: BodySerializer,
	changesetFailure: ChangesetFailureAnswer,
): string {
	if (item.kind === 'request')
		return formatOperationResponse(runOperation(item.operation, environment), undefined, serializeBody);
	const changesetBoundary = `changesetresponse_${randomUUID()}`;
	const responses = runChangeset(item.operations, environment);
	const failure = responses.find(({ response }) => response.status >= 400);
	if (failure && changesetFailure === 'response')
		return formatOperationResponse(failure.response, undefined, serializeBody);
	const body =
		responses
			.map(
				({ contentId, response }) =>
					`--${changesetBoundary}${CRLF}${formatOperationResponse(response, contentId, serializeBody)}`,
			)
			.join('') + `--${changesetBoundary}--${CRLF}`;
	return `Content-Type: multipart/mixed; boundary=${changesetBoundary}${CRLF}${CRLF}${body}`;
}

function runChangeset(
	operations: BatchOperation[],
	environment: RequestEnvironment,
): Array<{ contentId?: string; response: ODataResponse }> {
	const observer = environment.commitObserver;
	const run = () => runChangesetOperations(operations, environment);
	return observer
		? observer.transaction(run, (responses) => responses.every(({ response }) => response.status < 400), environment)
		: run();
}

function runChangesetOperations(
	operations: BatchOperation[],
	environment: RequestEnvironment,
): Array<{ contentId?: string; response: ODataResponse }> {
	const contentIds = new Map(environment.contentIds ?? []);
	const changesetEnvironment: RequestEnvironment = { ...environment, contentIds };
	let running: BatchOperation | undefined;
	try {
		return environment.store.atomically(() =>
			operations.map((operation) => {
				running = operation;
				const response = runOperation(operation, changesetEnvironment);
				if (response.status >= 400) throw new ChangesetFailure(operation.contentId, response);
				rememberCreatedEntity(operation, response, contentIds, environment);
				return { contentId: operation.contentId, response };
			}),
		);
	} catch (error) {
		if (error instanceof ChangesetFailure) return [{ contentId: error.contentId, response: error.response }];
		// https://docs.erp.net/dev/domain-api/data-manipulation/batch.html's capture: the failed changeset's answer keeps the failing request's Content-ID.
		return [{ contentId: running?.contentId, response: errorResponse(error) }];
	}
}

function rememberCreatedEntity(
	operation: BatchOperation,
	response: ODataResponse,
	contentIds: Map<string, { entitySet: string; id: string }>,
	environment: RequestEnvironment,
): void {
	const location = response.headers.Location;
	if (!operation.contentId || !location?.startsWith(environment.serviceRoot)) return;
	const entityId = location.slice(environment.serviceRoot.length);
	const open = entityId.indexOf('(');
	if (open < 0) return;
	contentIds.set(`$${operation.contentId}`, { entitySet: entityId.slice(0, open), id: entityId.slice(open + 1, -1) });
}

function formatOperationResponse(
	response: ODataResponse,
	contentId: string | undefined,
	serializeBody: BodySerializer,
): string {
	const partHeaders = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
	if (contentId !== undefined) partHeaders.push(`Content-ID: ${contentId}`);
	const statusLine = `HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? 'Unknown'}`;
	const headers = Object.entries(response.headers).map(([name, value]) => `${name}: ${value}`);
	const body = serializeBody(response);
	return [...partHeaders, '', statusLine, ...headers, '', body].join(CRLF) + CRLF;
}
