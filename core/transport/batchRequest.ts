import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchOperation, BatchResponsePart } from '../odata/batchMultipart';
import { buildBatchBody, parseBatchResponse } from '../odata/batchMultipart';
import { redactDeep } from '../redact';
import { erpNetApiRequest } from './request';
import { currentSecrets } from './secrets';
import type { ErpNetFunctions } from './types';
import { odataUrl } from './urls';
import { businessErrorHint } from './errorHints';

/** The name of atomic batching in the node's options. */
export const ATOMIC_BATCHING_NAME = 'All or Nothing';
/** Why an item of a failed atomic batch was not saved. */
export const ATOMIC_BATCHING_NOTE = `With "${ATOMIC_BATCHING_NAME}" batching, no write of a batch is kept when one of them fails.`;

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
}

/**
 * Sends writes in one `$batch` request (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html). Atomic: one changeset, all or
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
	const parts = redactDeep(parseBatchResponse(String(response.body), response.headers['content-type']), secrets);
	return matchResponses(this.getNode(), writes, parts, atomic);
}

/**
 * Pairs response parts with writes: changeset answers by Content-ID only (an answer without the expected ID fails
 * its own write), read-backs in the order of the top-level parts (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html: "in the same order").
 */
function matchResponses(
	node: INode,
	writes: BatchWrite[],
	parts: BatchResponsePart[],
	atomic: boolean,
): BatchOutcome[] {
	const byContentId = new Map(parts.filter((part) => part.inChangeset && part.contentId).map((part) => [part.contentId, part]));
	const readResponses = parts.filter((part) => !part.inChangeset);
	const answerOf = (index: number) => {
		const check = byContentId.get(`v${index + 1}`);
		return isFailure(check) ? check : byContentId.get(String(index + 1));
	};
	const failed = writes.find((_write, index) => isFailure(answerOf(index)));
	let readIndex = 0;

	return writes.map((write, index): BatchOutcome => {
		const part = answerOf(index);
		const readBack = write.readBack ? readResponses[readIndex++] : undefined;
		if (isFailure(part) || (part === undefined && !(atomic && failed))) {
			return { error: partError(node, part, write) };
		}
		if (atomic && failed) {
			return {
				error: new NodeOperationError(node, `Not saved: the batch was rolled back because item ${failed.itemIndex} failed`, {
					itemIndex: write.itemIndex,
					description: ATOMIC_BATCHING_NOTE,
				}),
			};
		}
		if (readBack && isFailure(readBack)) return { error: partError(node, readBack, write) };
		return {
			written: objectBody(part?.body),
			readBack: objectBody(readBack?.body),
		};
	});
}

function isFailure(part: BatchResponsePart | undefined): boolean {
	return part !== undefined && part.status >= 400;
}

function objectBody(body: unknown): IDataObject | undefined {
	return body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : undefined;
}

function describePartError(error: { message?: string; code?: unknown; type?: string } | undefined): string | undefined {
	const technical = error?.code !== undefined ? `ERP.net error code ${String(error.code)}${error.type ? `; type ${error.type}` : ''}` : undefined;
	const hint = businessErrorHint(error?.message);
	return [hint, technical].filter((part) => part !== undefined).join(' ') || undefined;
}

function partError(node: INode, part: BatchResponsePart | undefined, write: BatchWrite): NodeApiError {
	const error = (part?.body as { error?: { message?: string; code?: unknown; type?: string } } | undefined)?.error;
	const message = part
		? (error?.message ?? `ERP.net could not ${write.action} (HTTP ${part.status})`)
		: `ERP.net's batch response has no answer with Content-ID for item ${write.itemIndex}, so its outcome is unknown`;
	return new NodeApiError(
		node,
		{ message, httpCode: part ? String(part.status) : null },
		{
			message,
			description: describePartError(error),
			httpCode: part ? String(part.status) : undefined,
			itemIndex: write.itemIndex,
		},
	);
}
