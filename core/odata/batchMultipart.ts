import type { IDataObject } from 'n8n-workflow';

/** One write inside an OData `$batch` (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html). */
export interface BatchOperation {
	method: 'POST' | 'PATCH' | 'DELETE';
	/** Relative to the service root, e.g. `Crm_Sales_Customers(<guid>)`. */
	resource: string;
	body?: IDataObject;
	/** This write's own headers (Accept-Language, one `Prefer` per context parameter), on its own part. */
	headers?: Record<string, string | string[]>;
	/**
	 * A request sent just before this one in the same changeset, so that both apply or neither does: e.g. a
	 * PATCH with only the ObjectVersion check before a DELETE. Its Content-ID is `v<n>`.
	 */
	precondition?: BatchOperation;
}

export interface BatchResponsePart {
	/** The Content-ID the request was sent with (the operation's position, 1-based). */
	contentId?: string;
	status: number;
	headers: Record<string, string>;
	body: unknown;
	/** Whether the part answered a request inside a changeset (else a top-level answer). */
	inChangeset?: boolean;
	/** The position of the top-level answer the part belongs to (a changeset or one response), 0-based. */
	entry: number;
}

/** A `$batch` answer as far as it could be read. */
export interface BatchResponse {
	/** Every response that arrived whole, changesets flattened, in order. */
	parts: BatchResponsePart[];
	/** How many top-level answers arrived whole (a changeset counts once). */
	entryCount: number;
	/**
	 * False when the answer is not multipart, ends before its closing delimiter or has a part that cannot be read
	 * (a cut connection, a proxy's HTML page): the requests without a part may or may not have been carried out.
	 */
	complete: boolean;
}

const CRLF = '\r\n';

/**
 * Builds a `multipart/mixed` batch body. Atomic: all operations in one changeset (all or none is
 * applied). Independent: each operation in a changeset of its own, so each succeeds or fails alone.
 * `reads` (resources to GET) follow the changesets as individual requests.
 */
export function buildBatchBody(
	operations: BatchOperation[],
	atomic: boolean,
	boundary: string,
	reads: string[] = [],
): string {
	const changesets = atomic
		? [operations.map((operation, index) => ({ operation, index }))]
		: operations.map((operation, index) => [{ operation, index }]);
	const lines: string[] = [];
	changesets.forEach((changeset, changesetIndex) => {
		const changesetBoundary = `changeset_${boundary}_${changesetIndex + 1}`;
		lines.push(`--${boundary}`, `Content-Type: multipart/mixed; boundary=${changesetBoundary}`, '');
		for (const { operation, index } of changeset) {
			if (operation.precondition)
				lines.push(`--${changesetBoundary}`, ...requestPart(operation.precondition, `v${index + 1}`));
			lines.push(`--${changesetBoundary}`, ...requestPart(operation, String(index + 1)));
		}
		lines.push(`--${changesetBoundary}--`);
	});
	for (const resource of reads) {
		lines.push(`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '');
		lines.push(`GET ${resource} HTTP/1.1`, 'Accept: application/json', '', '');
	}
	lines.push(`--${boundary}--`, '');
	return lines.join(CRLF);
}

function requestPart(operation: BatchOperation, contentId: string): string[] {
	const lines = [
		'Content-Type: application/http',
		'Content-Transfer-Encoding: binary',
		`Content-ID: ${contentId}`,
		'',
		`${operation.method} ${operation.resource} HTTP/1.1`,
	];
	for (const [name, value] of Object.entries(operation.headers ?? {})) {
		for (const single of Array.isArray(value) ? value : [value])
			lines.push(`${name}: ${single.replace(/[\r\n]/g, ' ')}`);
	}
	if (operation.body !== undefined) {
		lines.push('Content-Type: application/json', '', JSON.stringify(operation.body));
	} else {
		lines.push('');
	}
	lines.push('');
	return lines;
}

/** The boundary parameter of a multipart content type. */
export function boundaryOf(contentType: string | undefined): string | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * Parses a `multipart/mixed` batch response into its HTTP responses, changesets flattened, in order. What cannot
 * be read (no boundary, a part cut off or garbled) is left out and the answer marked incomplete.
 */
export function parseBatchResponse(body: string, contentType: string | undefined): BatchResponse {
	const boundary = boundaryOf(contentType);
	if (!boundary) return { parts: [], entryCount: 0, complete: false };
	const { segments, closed } = splitParts(body, boundary);
	const response: BatchResponse = { parts: [], entryCount: 0, complete: closed };
	for (const segment of segments) {
		const entity = parseEntity(segment, false, response.entryCount);
		if (!entity) {
			response.complete = false;
			break;
		}
		response.parts.push(...entity.parts);
		response.entryCount += 1;
		if (!entity.complete) {
			response.complete = false;
			break;
		}
	}
	return response;
}

/** The parts between delimiters; a part not followed by a delimiter may be cut off and is left out. */
function splitParts(body: string, boundary: string): { segments: string[]; closed: boolean } {
	const delimiter = `--${boundary}`;
	const pieces = body.split(delimiter);
	const segments: string[] = [];
	for (let index = 1; index < pieces.length; index++) {
		if (pieces[index].startsWith('--')) return { segments, closed: true };
		if (index === pieces.length - 1) break;
		segments.push(pieces[index].replace(/^[ \t]*\r?\n/, '').replace(/\r?\n$/, ''));
	}
	return { segments, closed: false };
}

function splitHead(text: string): { headers: Record<string, string>; rest: string } {
	const match = /\r?\n\r?\n/.exec(text);
	const head = match ? text.slice(0, match.index) : text;
	const rest = match ? text.slice(match.index + match[0].length) : '';
	const headers: Record<string, string> = {};
	for (const line of head.split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { headers, rest };
}

/**
 * One top-level answer: a changeset's responses (those that arrived whole) or one response; undefined if unreadable.
 */
function parseEntity(
	part: string,
	inChangeset: boolean,
	entry: number,
): { parts: BatchResponsePart[]; complete: boolean } | undefined {
	const { headers, rest } = splitHead(part);
	const contentType = headers['content-type'] ?? '';
	if (/^multipart\/mixed/i.test(contentType) && !inChangeset) {
		const boundary = boundaryOf(contentType);
		if (!boundary) return undefined;
		const { segments, closed } = splitParts(rest, boundary);
		const parts: BatchResponsePart[] = [];
		for (const segment of segments) {
			const inner = parseEntity(segment, true, entry);
			if (!inner) return { parts, complete: false };
			parts.push(...inner.parts);
		}
		return { parts, complete: closed };
	}
	const statusLine = /^HTTP\/\d(?:\.\d)?\s+(\d{3})[^\r\n]*\r?\n?/.exec(rest);
	if (!statusLine) return undefined;
	const response = splitHead(rest.slice(statusLine[0].length));
	const parsed: BatchResponsePart = {
		contentId: headers['content-id'],
		status: Number(statusLine[1]),
		headers: response.headers,
		body: parseBody(response.rest.trim()),
		inChangeset,
		entry,
	};
	return { parts: [parsed], complete: true };
}

function parseBody(text: string): unknown {
	if (text === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}
