/**
 * The write runner of both resources: a prepared write on a record (entity write or document action) sent on its
 * own, followed by its read-back, or as a one-changeset `$batch` when it carries a precondition.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BatchOperation } from '../../../core/odata';
import { erpNetApiRequest, erpNetBatch, odataUrl, savedButNotReadBack } from '../../../core/transport';
import type { RecordTarget } from './entity/parameters';
import { shapeRecord, timeoutMs } from './entity/parameters';
import type { ItemOutcome, PreparedWrite } from './node.type';

/**
 * A write on the target record. Its output is the record read back (shaped as the options say) or, when
 * nothing was read back, `fallback`.
 */
export function recordWrite(
	target: RecordTarget,
	write: { write: BatchOperation; readBack?: string; action: string; headers: IDataObject; fallback: IDataObject },
): PreparedWrite {
	const { fallback, ...prepared } = write;
	return {
		...prepared,
		timeoutMs: timeoutMs(target.options),
		output: (_written, record) => (record ? shapeRecord(record, target.options) : { ...fallback }),
	};
}

/** Sends a prepared write on its own, then its read-back, and shapes the output. */
export async function runWrite(
	this: IExecuteFunctions,
	prepared: PreparedWrite,
	itemIndex: number,
): Promise<ItemOutcome> {
	if (prepared.write.precondition) return await runGuardedWrite.call(this, prepared, itemIndex);
	const written = (await erpNetApiRequest.call(this, {
		method: prepared.write.method,
		url: await odataUrl.call(this, prepared.write.resource),
		body: prepared.write.body,
		headers: prepared.headers,
		itemIndex,
		timeoutMs: prepared.timeoutMs,
		action: prepared.action,
	})) as IDataObject | undefined;
	if (!prepared.readBack) return { records: [prepared.output(written || undefined, undefined)] };
	try {
		const readBack = (await erpNetApiRequest.call(this, {
			method: 'GET',
			url: await odataUrl.call(this, prepared.readBack),
			headers: prepared.headers,
			itemIndex,
			timeoutMs: prepared.timeoutMs,
			action: `read ${prepared.readBack}`,
		})) as IDataObject;
		return { records: [prepared.output(written || undefined, readBack)] };
	} catch (error) {
		return { records: [savedButNotReadBack(prepared.output(written || undefined, undefined), error)] };
	}
}

/** A write with a precondition goes out as a one-changeset `$batch`, so that both apply or neither does. */
async function runGuardedWrite(
	this: IExecuteFunctions,
	prepared: PreparedWrite,
	itemIndex: number,
): Promise<ItemOutcome> {
	const [outcome] = await erpNetBatch.call(
		this,
		[
			{
				itemIndex,
				write: { ...prepared.write, headers: batchPartHeaders(prepared.headers) },
				readBack: prepared.readBack,
				action: prepared.action,
			},
		],
		true,
		{},
		prepared.timeoutMs,
	);
	if (outcome.error) return { records: [], error: outcome.error };
	return { records: [prepared.output(outcome.written, outcome.readBack)] };
}

/** An item's request headers as its own `$batch` part carries them. */
export function batchPartHeaders(headers: IDataObject): Record<string, string | string[]> {
	const part: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (Array.isArray(value)) part[name] = value.map(String);
		else if (value !== undefined && value !== null && value !== '') part[name] = String(value);
	}
	return part;
}
