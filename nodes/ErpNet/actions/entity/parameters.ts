/**
 * The parameters every operation on a record reads: the entity set, the record, the Options collection (typed as
 * the operation declares it) and text parameters; and what the common options mean for a request and its output.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { entityId, entitySetOf, isGuid, parseEntityId, shapeRecord as shapeOutputRecord } from '../../../../core/odata';
import type { ContextOptions } from '../../../../core/query';
import { assertEntitySetName } from '../../../../core/transport';

/** Options shared by every operation's `options` collection. */
export interface CommonOptions extends ContextOptions {
	simplify?: boolean;
	timeout?: number;
	/** Not a parameter: node version 1.1 and later simplify stored attributes to their short value. */
	storedAttributeValues?: boolean;
}

/** The node version from which Simplify turns a stored attribute into its short value (version 1 keeps the object). */
export const STORED_ATTRIBUTE_VALUES_VERSION = 1.1;

/** A text parameter of the item: `fallback` when not set, `''` for an expression that resolves to nothing. */
export function stringParameter(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback = '',
	options: { extractValue?: boolean } = {},
): string {
	return String(this.getNodeParameter(name, itemIndex, fallback, options) ?? '');
}

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
	const raw = stringParameter.call(this, 'recordId', itemIndex, '', { extractValue: true }).trim();
	const id = parseEntityId(raw)?.id ?? raw;
	if (!isGuid(id)) {
		throw new NodeOperationError(this.getNode(), `"${raw}" is not a valid ERP.net record ID`, {
			itemIndex,
			description: 'ERP.net record IDs are GUIDs, e.g. 3f2504e0-4f89-41d3-9a0c-0305e82c3301.',
		});
	}
	return id.toLowerCase();
}

/**
 * The item's Options collection as the operation types it, e.g. `operationOptions<GetOptions>(this, itemIndex)`
 * (a generic reader takes the context as an argument: `.call` cannot be given a type argument).
 */
export function operationOptions<T extends CommonOptions>(context: IExecuteFunctions, itemIndex: number): T {
	const options = context.getNodeParameter('options', itemIndex, {}) as CommonOptions;
	const storedAttributeValues = context.getNode().typeVersion >= STORED_ATTRIBUTE_VALUES_VERSION;
	return { ...options, storedAttributeValues } as T;
}

/** The record an item acts on and the operation's options. */
export interface RecordTarget<T extends CommonOptions = CommonOptions> {
	entitySet: string;
	id: string;
	/** The record's entity ID, `Set(id)`. */
	resource: string;
	options: T;
}

/** The item's entity set, record and options, e.g. `recordTarget<UpdateOptions>(this, itemIndex)`. */
export function recordTarget<T extends CommonOptions>(context: IExecuteFunctions, itemIndex: number): RecordTarget<T> {
	const entitySet = getEntitySet.call(context, itemIndex);
	const id = getRecordId.call(context, itemIndex);
	const options = operationOptions<T>(context, itemIndex);
	return { entitySet, id, resource: entityId(entitySet, id), options };
}

export function timeoutMs(options: CommonOptions): number | undefined {
	return options.timeout ? options.timeout * 1000 : undefined;
}

export function shapeRecord(record: IDataObject, options: CommonOptions): IDataObject {
	return shapeOutputRecord(record, options.simplify, options.storedAttributeValues);
}
