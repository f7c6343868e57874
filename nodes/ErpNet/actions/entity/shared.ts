import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BatchOperation, ModelRepositoryDetails } from '../../../../core/odata';
import {
	entityId,
	entitySetOf,
	findInstructionKey,
	isGuid,
	parseEntityId,
	shapeRecord as shapeOutputRecord,
	StoredAttributeValueError,
} from '../../../../core/odata';
import {
	assertEntitySetName,
	erpNetApiRequest,
	erpNetBatch,
	getEntitySetModelFor,
	odataUrl,
	savedButNotReadBack,
} from '../../../../core/transport';
import { toDomainApiBody } from '../../helpers/fields';
import type { ContextOptions } from '../../../../core/query/contextHeaders';
import type { ItemOutcome, PreparedWrite } from '../node.type';

/** Options shared by every operation's `options` collection. */
export interface CommonOptions extends ContextOptions {
	simplify?: boolean;
	timeout?: number;
	/** Not a parameter: node version 1.1 and later simplify stored attributes to their short value. */
	storedAttributeValues?: boolean;
}

/** The node version from which Simplify turns a stored attribute into its short value (version 1 keeps the object). */
export const STORED_ATTRIBUTE_VALUES_VERSION = 1.1;

export function getEntitySet(this: IExecuteFunctions, itemIndex: number): string {
	const entitySet = entitySetOf(this.getNodeParameter('entitySet', itemIndex, '', { extractValue: true }));
	if (entitySet === '') {
		throw new NodeOperationError(this.getNode(), 'Choose an entity set', {
			itemIndex,
			description: 'Pick one from the list or type its name, e.g. Crm_Sales_Customers.',
		});
	}
	assertEntitySetName(this.getNode(), entitySet, itemIndex);
	return entitySet;
}

export function getRecordId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = String(this.getNodeParameter('recordId', itemIndex, '', { extractValue: true }) ?? '').trim();
	const id = parseEntityId(raw)?.id ?? raw;
	if (!isGuid(id)) {
		throw new NodeOperationError(this.getNode(), `"${raw}" is not a valid ERP.net record ID`, {
			itemIndex,
			description: 'ERP.net record IDs are GUIDs, e.g. 3f2504e0-4f89-41d3-9a0c-0305e82c3301.',
		});
	}
	return id.toLowerCase();
}

export function getOptions<T extends CommonOptions>(this: IExecuteFunctions, itemIndex: number): T {
	const options = this.getNodeParameter('options', itemIndex, {}) as unknown as T;
	return { ...options, storedAttributeValues: this.getNode().typeVersion >= STORED_ATTRIBUTE_VALUES_VERSION };
}

/** The record an item acts on and the operation's options. */
export interface RecordTarget<T extends CommonOptions = CommonOptions> {
	entitySet: string;
	id: string;
	/** The record's entity ID, `Set(id)`. */
	resource: string;
	options: T;
}

export function getRecordTarget<T extends CommonOptions>(this: IExecuteFunctions, itemIndex: number): RecordTarget<T> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = getOptions.call<IExecuteFunctions, [number], T>(this, itemIndex);
	return { entitySet, id, resource: entityId(entitySet, id), options };
}

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

/**
 * The entity set's model for the given fields (stored attributes with their definitions, core/transport/model.ts)
 * and the Domain API body of the write; a value the model refuses fails the item before any request.
 */
export async function writeBody(
	this: IExecuteFunctions,
	entitySet: string,
	fields: IDataObject,
	language: string,
	itemIndex: number,
): Promise<{ model: ModelRepositoryDetails; body: IDataObject }> {
	const model = await getEntitySetModelFor.call(this, entitySet, Object.keys(fields), itemIndex, true);
	let body: IDataObject | undefined;
	let refusal = '';
	try {
		body = toDomainApiBody(fields, model, language);
	} catch (error) {
		// toDomainApiBody refuses only stored-attribute values (StoredAttributeValueError).
		refusal = error instanceof StoredAttributeValueError ? error.message : String(error);
	}
	if (body === undefined) {
		throw new NodeOperationError(this.getNode(), refusal, {
			itemIndex,
			description:
				'A stored attribute takes text, or {"Value": "...", "ValueId": "...", "Description": {...}} as ERP.net returns it.',
		});
	}
	return { model, body };
}

export function timeoutMs(options: CommonOptions): number | undefined {
	return options.timeout ? options.timeout * 1000 : undefined;
}

export function shapeRecord(record: IDataObject, options: CommonOptions): IDataObject {
	return shapeOutputRecord(record, options.simplify, options.storedAttributeValues);
}

/** The record fields given on create/update: from the resource mapper or the JSON body. */
export function getRecordFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const inputMode = this.getNodeParameter('fieldsInput', itemIndex, 'mapper') as string;
	if (inputMode === 'json') {
		const raw = this.getNodeParameter('jsonBody', itemIndex, '{}') as unknown;
		const parsed = typeof raw === 'string' ? parseJsonBody.call(this, raw, itemIndex) : raw;
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
			throw new NodeOperationError(this.getNode(), 'The JSON must be one object, e.g. {"Number": "C0001"}', {
				itemIndex,
			});
		}
		return parsed as IDataObject;
	}
	const mappingMode = this.getNodeParameter('columns.mappingMode', itemIndex, 'defineBelow') as string;
	if (mappingMode === 'autoMapInputData') {
		const schema = this.getNodeParameter('columns.schema', itemIndex, []) as Array<{ id: string; removed?: boolean }>;
		const known = new Set(schema.filter((field) => !field.removed).map((field) => field.id));
		const input = this.getInputData()[itemIndex]?.json ?? {};
		return refuseInstructions.call(
			this,
			Object.fromEntries(Object.entries(input).filter(([key]) => known.has(key))),
			itemIndex,
		);
	}
	const values = this.getNodeParameter('columns.value', itemIndex, {}) as IDataObject;
	return refuseInstructions.call(
		this,
		Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined)),
		itemIndex,
	);
}

/** Mapped values are data: an `@erpnet.*`/`@odata.*` key in a field name or inside a value fails the item. */
function refuseInstructions(this: IExecuteFunctions, fields: IDataObject, itemIndex: number): IDataObject {
	for (const [name, value] of Object.entries(fields)) {
		const found = name.includes('@')
			? name
			: findInstructionKey(typeof value === 'string' ? jsonObjectOf(value) : value);
		if (found) {
			throw new NodeOperationError(
				this.getNode(),
				`The value of ${name} contains "${found}", which ERP.net would run as an instruction`,
				{
					itemIndex,
					description:
						'Mapped field values are data: @erpnet.* and @odata.* keys are refused, so that input data cannot create, delete or re-target records. To send such annotations on purpose, use "Fields Input: JSON".',
				},
			);
		}
	}
	return fields;
}

function jsonObjectOf(text: string): unknown {
	if (!/^\s*[[{]/.test(text)) return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function parseJsonBody(this: IExecuteFunctions, raw: string, itemIndex: number): unknown {
	try {
		return JSON.parse(raw) as unknown;
	} catch (error) {
		throw new NodeOperationError(this.getNode(), 'The JSON is not valid', {
			itemIndex,
			description: (error as Error).message,
		});
	}
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
