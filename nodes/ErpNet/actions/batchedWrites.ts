import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { parseEntityId } from '../../../core/odata';
import type { BatchOutcome, BatchWrite } from '../../../core/transport';
import {
	ATOMIC_BATCHING_NOTE,
	BATCH_WRITE_ALLOWANCE_MS,
	DEFAULT_TIMEOUT_MS,
	erpNetBatch,
	nodeApiError,
	savedButNotReadBack,
	toNodeError,
} from '../../../core/transport';
import type { ItemOutcome, NodeError, OperationModule, PreparedWrite } from './node.type';
import { batchPartHeaders } from './writeRunner';
import { chosenOperation, findOperation } from './router';

type BatchMode = 'atomic' | 'independent';
type Prepare = NonNullable<OperationModule['prepare']>;

export interface BatchSettings {
	mode: BatchMode;
	size: number;
	prepare: Prepare;
}

interface PreparedItem {
	itemIndex: number;
	prepared?: PreparedWrite;
	error?: NodeError;
}

/**
 * The batch settings of this run (read from the first item), or undefined when batching is off or the chosen
 * resource and operation cannot be batched.
 */
export function batchSettings(this: IExecuteFunctions): BatchSettings | undefined {
	if (this.getInputData().length === 0) return undefined;
	const { resource, operation } = chosenOperation.call(this, 0);
	const prepare = findOperation(resource, operation)?.prepare;
	if (!prepare) return undefined;
	const options = this.getNodeParameter('options', 0, {}) as { batching?: string; batchSize?: unknown };
	if (options.batching !== 'atomic' && options.batching !== 'independent') return undefined;
	return { mode: options.batching, size: batchSize(this.getNode(), options.batchSize), prepare };
}

function batchSize(node: INode, value: unknown): number {
	if (value === undefined || value === null || value === '') return 100;
	const size = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(String(value)) ? Number(value) : NaN;
	if (!Number.isInteger(size) || size < 1 || size > 1000) {
		throw new NodeOperationError(node, `Batch Size must be a whole number from 1 to 1000, not "${String(value)}"`, {
			itemIndex: 0,
			description: 'Set "Batch Size" in the options to how many items to send in one $batch request, e.g. 100.',
		});
	}
	return size;
}

/**
 * Runs the chosen write for all items through `$batch` requests; one outcome per item, by item index. Without
 * Continue On Fail the first failure stops the run before the next batch is sent, as unbatched mode stops at the
 * first failed item.
 */
export async function runBatched(this: IExecuteFunctions, settings: BatchSettings): Promise<ItemOutcome[]> {
	const itemCount = this.getInputData().length;
	const stopOnFailure = !this.continueOnFail();
	const outcomes: ItemOutcome[] = [];
	let waiting: number[] = [];
	let next = 0;
	while (waiting.length > 0 || next < itemCount) {
		const queue = waiting;
		const { chunk, deferred } = await fillChunk.call(
			this,
			settings,
			() => queue.shift() ?? (next < itemCount ? next++ : undefined),
			stopOnFailure,
		);
		waiting = [...deferred, ...queue];
		const sent = await sendChunk.call(this, chunk, settings.mode);
		chunk.forEach((item, index) => (outcomes[item.itemIndex] = sent[index]));
		const failure = stopOnFailure ? firstCause(chunk, sent) : undefined;
		if (failure !== undefined) throw stopError(outcomes, failure, itemCount);
	}
	return outcomes;
}

/**
 * Up to Batch Size prepared items. An item for a record already in the chunk waits for the next chunk and is
 * prepared again then, so that it is built on what the earlier item saved: a multi-language field read before
 * the earlier write, or its ObjectVersion, would revert that write or fail as "changed by someone else".
 */
async function fillChunk(
	this: IExecuteFunctions,
	settings: BatchSettings,
	nextItem: () => number | undefined,
	stopOnFailure: boolean,
): Promise<{ chunk: PreparedItem[]; deferred: number[] }> {
	const chunk: PreparedItem[] = [];
	const deferred: number[] = [];
	const records = new Set<string>();
	while (chunk.length < settings.size) {
		const itemIndex = nextItem();
		if (itemIndex === undefined) break;
		const item = await prepareItem.call(this, settings.prepare, itemIndex);
		const record = item.prepared ? recordOf(item.prepared) : undefined;
		if (record !== undefined && records.has(record)) {
			deferred.push(itemIndex);
			continue;
		}
		if (record !== undefined) records.add(record);
		chunk.push(item);
		if (item.error && stopOnFailure) break;
	}
	return { chunk, deferred };
}

/**
 * The record a write changes: the GUID of an updated or deleted record or of a document an action changes, or the
 * find criteria of a merge. Creates and notifications change no existing record.
 */
function recordOf(prepared: PreparedWrite): string | undefined {
	const { write } = prepared;
	const [target, action] = write.resource.split('/');
	if (action === undefined || prepared.actionChangesRecord) {
		const id = parseEntityId(target)?.id;
		if (id !== undefined) return id;
	}
	const findBy = write.body?.['@erpnet.findBy'];
	return findBy === undefined ? undefined : `${write.resource} ${JSON.stringify(findBy)}`;
}

/** The item whose failure caused the chunk's errors: an invalid item, else one ERP.net refused, else the first. */
function firstCause(chunk: PreparedItem[], sent: ItemOutcome[]): number | undefined {
	const failures = chunk.filter((_item, index) => sent[index].error);
	const cause =
		failures.find((item) => item.error) ??
		failures.find((item) => sent[chunk.indexOf(item)].error instanceof NodeApiError) ??
		failures[0];
	return cause?.itemIndex;
}

function stopError(outcomes: ItemOutcome[], itemIndex: number, itemCount: number): NodeError {
	const error = outcomes[itemIndex].error as NodeError;
	error.context.itemIndex = itemIndex;
	const answered = outcomes.filter((outcome) => outcome !== undefined).length;
	const notSentNote =
		answered < itemCount
			? `The other ${itemCount - answered} item(s) were not sent, because Continue On Fail is off.`
			: undefined;
	error.description = [error.description, savedItemsNote(outcomes, itemIndex), notSentNote].filter(Boolean).join(' ');
	return error;
}

async function prepareItem(this: IExecuteFunctions, prepare: Prepare, itemIndex: number): Promise<PreparedItem> {
	try {
		return { itemIndex, prepared: await prepare.call(this, itemIndex) };
	} catch (error) {
		return { itemIndex, error: toNodeError(this.getNode(), error, itemIndex) };
	}
}

async function sendChunk(this: IExecuteFunctions, chunk: PreparedItem[], mode: BatchMode): Promise<ItemOutcome[]> {
	const invalid = chunk.find((item) => item.error);
	if (mode === 'atomic' && invalid) {
		return chunk.map((item) =>
			failed(item.error ?? notSent.call(this, item.itemIndex, `item ${invalid.itemIndex} is invalid`)),
		);
	}
	const ready = chunk.filter((item): item is PreparedItem & { prepared: PreparedWrite } => !!item.prepared);
	const writes: BatchWrite[] = ready.map((item) => ({
		itemIndex: item.itemIndex,
		// Each item's own Language and context parameters travel on its own part (the capture on
		// https://docs.erp.net/dev/domain-api/data-manipulation/batch.html).
		write: { ...item.prepared.write, headers: batchPartHeaders(item.prepared.headers) },
		readBack: item.prepared.readBack,
		action: item.prepared.action,
	}));
	const results = new Map<number, ItemOutcome>();
	if (writes.length > 0) {
		try {
			const outcomes = await erpNetBatch.call(
				this,
				writes,
				mode === 'atomic',
				{},
				batchTimeout(ready.map((item) => item.prepared)),
			);
			ready.forEach((item, index) => results.set(item.itemIndex, itemOutcome(item.prepared, outcomes[index])));
		} catch (error) {
			// The batch as a whole failed (a timeout, a cut connection): each item gets the error under its own index.
			const cause = toNodeError(this.getNode(), error, ready[0].itemIndex);
			for (const item of ready)
				results.set(item.itemIndex, failed(errorForItem(this.getNode(), cause, item.itemIndex)));
		}
	}
	return chunk.map((item) => (item.error ? failed(item.error) : (results.get(item.itemIndex) as ItemOutcome)));
}

function itemOutcome(prepared: PreparedWrite, outcome: BatchOutcome): ItemOutcome {
	if (outcome.error) return failed(outcome.error);
	// Saved, but not read back: the write's own result, marked saved, so that it never reads as a failed write.
	if (outcome.readBackError)
		return { records: [savedButNotReadBack(prepared.output(outcome.written, undefined), outcome.readBackError)] };
	return { records: [prepared.output(outcome.written, outcome.readBack)] };
}

/**
 * The Timeout (default 120 s) plus each write's allowance: ERP.net runs the parts of a `$batch` one after another,
 * so a batch of 100 document actions (up to 5 s each) needs far longer than one request.
 */
function batchTimeout(prepared: PreparedWrite[]): number {
	const base = prepared[0].timeoutMs ?? DEFAULT_TIMEOUT_MS;
	return prepared.reduce((total, write) => total + (write.batchAllowanceMs ?? BATCH_WRITE_ALLOWANCE_MS), base);
}

/** The same error under another item's index. */
function errorForItem(node: INode, error: NodeError, itemIndex: number): NodeError {
	const description = error.description ?? undefined;
	if (error instanceof NodeApiError) {
		const httpCode = error.httpCode ?? undefined;
		return nodeApiError(
			node,
			{ message: error.message, httpCode: httpCode ?? null },
			{ message: error.message, description, httpCode, itemIndex },
		);
	}
	return new NodeOperationError(node, error.message, { description, itemIndex });
}

function failed(error: NodeError): ItemOutcome {
	return { records: [], error };
}

function notSent(this: IExecuteFunctions, itemIndex: number, reason: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Not saved: ${reason}`, {
		itemIndex,
		description: ATOMIC_BATCHING_NOTE,
	});
}

/**
 * For an error that stops the run (Continue On Fail off): the items of the same run that ERP.net already saved,
 * with their IDs, so that running the workflow again does not write them twice.
 */
export function savedItemsNote(outcomes: ItemOutcome[], failedIndex?: number): string | undefined {
	const saved = outcomes
		.map((outcome, itemIndex) => ({ outcome, itemIndex }))
		.filter(({ outcome, itemIndex }) => itemIndex !== failedIndex && !outcome.error && outcome.records.length > 0)
		.map(({ outcome, itemIndex }) => {
			const record = outcome.records[0] as IDataObject;
			const id = record.Id ?? record.id;
			return id !== undefined ? `item ${itemIndex} (ID ${String(id)})` : `item ${itemIndex}`;
		});
	if (saved.length === 0) return undefined;
	return (
		`ERP.net already saved ${saved.length} other item(s) of this run: ${saved.join(', ')}. ` +
		'Running the workflow again would write them again; remove them from the input first.'
	);
}
