import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchOperation, BatchResponse, BatchResponsePart } from '../odata/batchMultipart';
import { buildBatchBody, parseBatchResponse } from '../odata/batchMultipart';
import { isGuid, parseEntityId } from '../odata/syntax';
import { redactDeep } from '../redact';
import { nodeApiError, WRITE_OUTCOME_UNKNOWN } from './errors';
import { erpNetApiRequest } from './request';
import { currentSecrets } from './secrets';
import type { ErpNetFunctions } from './types';
import { odataUrl } from './urls';
import { businessErrorHint } from './errorHints';

/** The name of atomic batching in the node's options. */
export const ATOMIC_BATCHING_NAME = 'All or Nothing';
/** Why an item of a failed atomic batch was not saved. */
export const ATOMIC_BATCHING_NOTE =
	`With "${ATOMIC_BATCHING_NAME}" batching, ` + 'no write of a batch is kept when one of them fails.';

export interface BatchWrite {
	itemIndex: number;
	write: BatchOperation;
	readBack?: string;
	action: string;
}

/** The answer to one write, in the order of the writes. */
export interface BatchOutcome {
	written?: IDataObject;
	readBack?: IDataObject;
	error?: NodeApiError | NodeOperationError;
	/** Why the record was not read back although the write was saved: the item is saved, not failed. */
	readBackError?: string;
}

/** How long a `$batch` may take per write on top of the Timeout, unless the write says otherwise. */
export const BATCH_WRITE_ALLOWANCE_MS = 1_000;

/**
 * Sends writes in one `$batch` request (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html). Atomic: one
 * changeset, all or
 * nothing. Otherwise each write is its own changeset. Read-backs follow as plain GETs, after the writes.
 */
export async function erpNetBatch(
	this: ErpNetFunctions,
	writes: BatchWrite[],
	atomic: boolean,
	headers: IDataObject,
	timeoutMs?: number,
): Promise<BatchOutcome[]> {
	const boundary = `batch_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
	const body = buildBatchBody(
		writes.map((write) => write.write),
		atomic,
		boundary,
		writes.flatMap((write) => (write.readBack ? [write.readBack] : [])),
	);
	const response = (await erpNetApiRequest.call(this, {
		method: 'POST',
		url: await odataUrl.call(this, '$batch'),
		body,
		raw: true,
		headers: { ...headers, 'Content-Type': `multipart/mixed; boundary=${boundary}`, Accept: 'multipart/mixed' },
		itemIndex: writes[0]?.itemIndex,
		timeoutMs,
		action: `send a batch of ${writes.length} writes`,
	})) as { body: string; headers: Record<string, string> };

	const secrets = await currentSecrets.call(this);
	const parsed = parseBatchResponse(String(response.body), response.headers['content-type']);
	const answer = { ...parsed, parts: redactDeep(parsed.parts, secrets) };
	return matchResponses(this.getNode(), writes, answer, atomic);
}

/**
 * Pairs the answers with the writes, never by position alone
 * (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html): a write's answer by its Content-ID, a read-back
 * by the record it names (`@odata.id` or `Id`). A changeset that failed as a whole may be answered by one response
 * without Content-ID (OData 4.0 Protocol 11.7.4); it is taken as that changeset's answer only when the answer has
 * exactly one entry per request, and only when it is a failure. A write without an answer has an unknown outcome.
 */
function matchResponses(node: INode, writes: BatchWrite[], response: BatchResponse, atomic: boolean): BatchOutcome[] {
	const byContentId = new Map(
		response.parts.filter((part) => part.contentId !== undefined).map((part) => [part.contentId as string, part]),
	);
	const failedChangesets = wholeChangesetFailures(writes, response, atomic);
	const answerOf = (index: number) => {
		const check = byContentId.get(`v${index + 1}`);
		if (isFailure(check)) return check;
		return byContentId.get(String(index + 1)) ?? (atomic ? undefined : failedChangesets.get(index));
	};
	const failedIndex = writes.findIndex((_write, index) => isFailure(answerOf(index)));
	const failed = failedIndex >= 0 ? writes[failedIndex] : undefined;
	const wholeFailure = atomic ? failedChangesets.get(0) : undefined;
	const readBacks = readBacksByRecord(response.parts);

	return writes.map((write, index): BatchOutcome => {
		if (wholeFailure) {
			return {
				error: notSaved(
					node,
					write,
					`ERP.net refused the whole batch: ${partError(node, wholeFailure, write, response).message}`,
				),
			};
		}
		const part = answerOf(index);
		if (part === undefined) {
			return { error: atomic && failed ? rolledBack(node, write, failed) : partError(node, part, write, response) };
		}
		if (isFailure(part)) return { error: partError(node, part, write, response) };
		if (atomic && failed) return { error: rolledBack(node, write, failed) };
		const written = objectBody(part.body);
		if (!write.readBack) return { written };
		const readBack = readBacks.get(recordKey(write.readBack) ?? '');
		if (readBack) return { written, readBack };
		return { written, readBackError: notReadBack(response) };
	});
}

/** Changesets answered by one failure response in their own position, keyed by changeset index. */
function wholeChangesetFailures(
	writes: BatchWrite[],
	response: BatchResponse,
	atomic: boolean,
): Map<number, BatchResponsePart> {
	const changesets = atomic ? 1 : writes.length;
	const reads = writes.filter((write) => write.readBack).length;
	const failures = new Map<number, BatchResponsePart>();
	if (!response.complete || response.entryCount !== changesets + reads) return failures;
	for (const part of response.parts) {
		if (part.entry < changesets && !part.inChangeset && part.contentId === undefined && isFailure(part)) {
			failures.set(part.entry, part);
		}
	}
	return failures;
}

function rolledBack(node: INode, write: BatchWrite, failed: BatchWrite): NodeOperationError {
	return notSaved(node, write, `the batch was rolled back because item ${failed.itemIndex} failed`);
}

function notSaved(node: INode, write: BatchWrite, reason: string): NodeOperationError {
	return new NodeOperationError(node, `Not saved: ${reason}`, {
		itemIndex: write.itemIndex,
		description: ATOMIC_BATCHING_NOTE,
	});
}

/** The records read back, by the lower-case GUID they name. */
function readBacksByRecord(parts: BatchResponsePart[]): Map<string, IDataObject> {
	const records = new Map<string, IDataObject>();
	for (const part of parts) {
		const record = objectBody(part.body);
		if (part.inChangeset || isFailure(part) || !record) continue;
		const key =
			recordKey(record['@odata.id']) ?? (isGuid(String(record.Id)) ? String(record.Id).toLowerCase() : undefined);
		if (key && !records.has(key)) records.set(key, record);
	}
	return records;
}

/** The GUID an entity ID or URL names (`Set(<guid>)`, relative or absolute, with or without a query). */
function recordKey(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const path = value.split(/[?#]/)[0];
	return parseEntityId(path.slice(path.lastIndexOf('/') + 1))?.id;
}

function isFailure(part: BatchResponsePart | undefined): boolean {
	return part !== undefined && part.status >= 400;
}

function objectBody(body: unknown): IDataObject | undefined {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : undefined;
}

function describePartError(error: { message?: string; code?: unknown; type?: string } | undefined): string | undefined {
	const technical =
		error?.code !== undefined
			? `ERP.net error code ${String(error.code)}${error.type ? `; type ${error.type}` : ''}`
			: undefined;
	const hint = businessErrorHint(error?.message);
	return [hint, technical].filter((part) => part !== undefined).join(' ') || undefined;
}

function partError(
	node: INode,
	part: BatchResponsePart | undefined,
	write: BatchWrite,
	response: BatchResponse,
): NodeApiError {
	if (!part) return unknownOutcome(node, write, response);
	const error = (part.body as { error?: { message?: string; code?: unknown; type?: string } } | undefined)?.error;
	const message = error?.message ?? `ERP.net could not ${write.action} (HTTP ${part.status})`;
	return nodeApiError(
		node,
		{ message, httpCode: String(part.status) },
		{ message, description: describePartError(error), httpCode: String(part.status), itemIndex: write.itemIndex },
	);
}

/** A write the answer says nothing certain about. */
function unknownOutcome(node: INode, write: BatchWrite, response: BatchResponse): NodeApiError {
	const message = response.complete
		? `ERP.net's batch response has no answer with Content-ID for item ${write.itemIndex}, so its outcome is unknown`
		: `ERP.net's batch response was cut off or could not be read before the answer for item ${write.itemIndex}, ` +
			'so its outcome is unknown';
	return nodeApiError(
		node,
		{ message, httpCode: null },
		{ message, description: WRITE_OUTCOME_UNKNOWN, itemIndex: write.itemIndex },
	);
}

function notReadBack(response: BatchResponse): string {
	return response.complete
		? "ERP.net's batch response holds no readable copy of the record"
		: "ERP.net's batch response was cut off or could not be read";
}
