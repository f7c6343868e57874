import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BatchWrite } from '../../../core/transport/batchRequest';
import { ATOMIC_BATCHING_NOTE, erpNetBatch } from '../../../core/transport/batchRequest';
import { toNodeError } from '../../../core/transport/errors';
import type { ItemOutcome, NodeError, OperationModule, PreparedWrite } from './node.type';
import { batchPartHeaders } from './entity/shared';
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

/** Runs the chosen write for all items through `$batch` requests; one outcome per item, in item order. */
export async function runBatched(this: IExecuteFunctions, settings: BatchSettings): Promise<ItemOutcome[]> {
	const itemCount = this.getInputData().length;
	const outcomes: ItemOutcome[] = [];
	for (let start = 0; start < itemCount; start += settings.size) {
		const chunk: PreparedItem[] = [];
		for (let itemIndex = start; itemIndex < Math.min(start + settings.size, itemCount); itemIndex++) {
			chunk.push(await prepareItem.call(this, settings.prepare, itemIndex));
		}
		outcomes.push(...(await sendChunk.call(this, chunk, settings.mode)));
	}
	return outcomes;
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
		return chunk.map((item) => failed(item.error ?? notSent.call(this, item.itemIndex, `item ${invalid.itemIndex} is invalid`)));
	}
	const ready = chunk.filter((item): item is PreparedItem & { prepared: PreparedWrite } => !!item.prepared);
	const writes: BatchWrite[] = ready.map((item) => ({
		itemIndex: item.itemIndex,
		// Each item's own Language and context parameters travel on its own part (the capture on https://docs.erp.net/dev/domain-api/data-manipulation/batch.html).
		write: { ...item.prepared.write, headers: batchPartHeaders(item.prepared.headers) },
		readBack: item.prepared.readBack,
		action: item.prepared.action,
	}));
	const results = new Map<number, ItemOutcome>();
	if (writes.length > 0) {
		const first = ready[0].prepared;
		try {
			// erpNetBatch answers one outcome per write, in the order of the writes.
			const outcomes = await erpNetBatch.call(this, writes, mode === 'atomic', {}, first.timeoutMs);
			ready.forEach((item, index) => {
				const outcome = outcomes[index];
				results.set(
					item.itemIndex,
					outcome.error
						? failed(outcome.error)
						: { records: [item.prepared.output(outcome.written, outcome.readBack)] },
				);
			});
		} catch (error) {
			for (const item of ready) results.set(item.itemIndex, failed(toNodeError(this.getNode(), error, item.itemIndex)));
		}
	}
	return chunk.map((item) => (item.error ? failed(item.error) : (results.get(item.itemIndex) as ItemOutcome)));
}

function failed(error: NodeError): ItemOutcome {
	return { records: [], error };
}

function notSent(this: IExecuteFunctions, itemIndex: number, reason: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Not saved: ${reason}`, { itemIndex, description: ATOMIC_BATCHING_NOTE });
}

/**
 * For an error that stops the run (Continue On Fail off): the items of the same run that ERP.net already saved,
 * with their IDs, so that running the workflow again does not write them twice.
 */
export function savedItemsNote(outcomes: ItemOutcome[]): string | undefined {
	const saved = outcomes
		.map((outcome, itemIndex) => ({ outcome, itemIndex }))
		.filter(({ outcome }) => !outcome.error && outcome.records.length > 0)
		.map(({ outcome, itemIndex }) => {
			const record = outcome.records[0] as IDataObject;
			const id = record.Id ?? record.id;
			return id !== undefined ? `item ${itemIndex} (ID ${String(id)})` : `item ${itemIndex}`;
		});
	if (saved.length === 0) return undefined;
	return `ERP.net already saved ${saved.length} other item(s) of this run: ${saved.join(', ')}. Running the workflow again would write them again; remove them from the input first.`;
}
