import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchWrite } from '../transport/batch';
import { erpNetBatch } from '../transport/batch';
import * as entity from './entity/Entity.resource';
import type { PreparedWrite } from './entity/shared';

type BatchMode = 'atomic' | 'independent';
type Prepare = (this: IExecuteFunctions, itemIndex: number) => Promise<PreparedWrite>;

const BATCHABLE: Record<string, Prepare> = {
	create: entity.create.prepare,
	update: entity.update.prepare,
	delete: entity.delete.prepare,
	upsert: entity.upsert.prepare,
};

/** What one item produced in a batched run: its records, or the error that belongs to it. */
export type ItemOutcome = { records: IDataObject[] } | { error: NodeApiError | NodeOperationError };

interface PreparedItem {
	itemIndex: number;
	prepared?: PreparedWrite;
	error?: NodeApiError | NodeOperationError;
}

/** The batch settings of this run (read from the first item), or undefined when batching is off. */
export function batchSettings(this: IExecuteFunctions): { mode: BatchMode; size: number } | undefined {
	if (this.getInputData().length === 0) return undefined;
	const operation = this.getNodeParameter('operation', 0) as string;
	if (!BATCHABLE[operation]) return undefined;
	const options = this.getNodeParameter('options', 0, {}) as { batching?: string; batchSize?: number };
	if (options.batching !== 'atomic' && options.batching !== 'independent') return undefined;
	return { mode: options.batching, size: Math.max(1, Math.min(options.batchSize ?? 100, 1000)) };
}

/** Runs the chosen write for all items through `$batch` requests; one outcome per item, in item order. */
export async function runBatched(
	this: IExecuteFunctions,
	settings: { mode: BatchMode; size: number },
): Promise<ItemOutcome[]> {
	const prepare = BATCHABLE[this.getNodeParameter('operation', 0) as string];
	const itemCount = this.getInputData().length;
	const outcomes: ItemOutcome[] = [];
	for (let start = 0; start < itemCount; start += settings.size) {
		const chunk: PreparedItem[] = [];
		for (let itemIndex = start; itemIndex < Math.min(start + settings.size, itemCount); itemIndex++) {
			chunk.push(await prepareItem.call(this, prepare, itemIndex));
		}
		outcomes.push(...(await sendChunk.call(this, chunk, settings.mode)));
	}
	return outcomes;
}

async function prepareItem(this: IExecuteFunctions, prepare: Prepare, itemIndex: number): Promise<PreparedItem> {
	try {
		return { itemIndex, prepared: await prepare.call(this, itemIndex) };
	} catch (error) {
		return { itemIndex, error: asNodeError.call(this, error, itemIndex) };
	}
}

async function sendChunk(this: IExecuteFunctions, chunk: PreparedItem[], mode: BatchMode): Promise<ItemOutcome[]> {
	const invalid = chunk.find((item) => item.error);
	if (mode === 'atomic' && invalid) {
		return chunk.map((item) =>
			item.error
				? { error: item.error }
				: { error: notSent.call(this, item.itemIndex, `item ${invalid.itemIndex} is invalid`) },
		);
	}
	const ready = chunk.filter((item): item is Required<Pick<PreparedItem, 'itemIndex' | 'prepared'>> & PreparedItem => !!item.prepared);
	const writes: BatchWrite[] = ready.map((item) => ({
		itemIndex: item.itemIndex,
		write: item.prepared.write,
		readBack: item.prepared.readBack,
		action: item.prepared.action,
	}));
	const results = new Map<number, ItemOutcome>();
	if (writes.length > 0) {
		const first = ready[0].prepared;
		try {
			// erpNetBatch answers one outcome per write, in the order of the writes.
			const outcomes = await erpNetBatch.call(this, writes, mode === 'atomic', first.headers, first.timeoutMs);
			ready.forEach((item, index) => {
				const outcome = outcomes[index];
				results.set(
					item.itemIndex,
					outcome.error
						? { error: outcome.error }
						: { records: [item.prepared.output(outcome.written, outcome.readBack)] },
				);
			});
		} catch (error) {
			for (const item of ready) results.set(item.itemIndex, { error: asNodeError.call(this, error, item.itemIndex) });
		}
	}
	return chunk.map((item) => (item.error ? { error: item.error } : (results.get(item.itemIndex) as ItemOutcome)));
}

function notSent(this: IExecuteFunctions, itemIndex: number, reason: string): NodeOperationError {
	return new NodeOperationError(this.getNode(), `Not saved: ${reason}`, {
		itemIndex,
		description: 'With "All or Nothing" batching, no write of a batch is kept when one of them fails.',
	});
}

function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}
