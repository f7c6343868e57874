import type { IDataObject } from 'n8n-workflow';

import { isStoredAttributeName, storedAttributeShortValue } from './storedAttributes';
import { isGuid, parseEntityId } from './syntax';

type JsonValue = IDataObject[keyof IDataObject];

/**
 * A record as the node outputs it: ERP.net's JSON plus `Id` (from `@odata.id`) when it was not
 * selected, so that the next node can use it; a single entity's `@odata.context` is response metadata
 * and is dropped. Large reads go through here, so it copies a record at most once.
 */
export function outputRecord(record: IDataObject): IDataObject {
	const odataId = record['@odata.id'];
	const id = typeof record.Id !== 'string' && typeof odataId === 'string' ? idOfEntityId(odataId) : undefined;
	const result = id ? { Id: id, ...record } : record;
	if (result['@odata.context'] === undefined) return result;
	const copy = result === record ? { ...record } : result;
	delete copy['@odata.context'];
	return copy;
}

/** The GUID of `Set(<guid>)`; the common relative form is read without a regular expression. */
function idOfEntityId(odataId: string): string | undefined {
	const length = odataId.length;
	if (length > 38 && odataId[length - 1] === ')' && odataId[length - 38] === '(') {
		const id = odataId.slice(length - 37, length - 1);
		if (isGuid(id)) return id.toLowerCase();
	}
	return parseEntityId(odataId)?.id;
}

/**
 * Drops `@odata.*` annotations. A reference that was only `{"@odata.id": "Set(guid)"}` becomes
 * `{ Id, EntitySet }`, so no information is lost. With `storedAttributeValues`, a stored attribute
 * (`CustomProperty_*`, `{Value, ValueId, Description}`) becomes its short value.
 */
export function simplifyRecord(record: IDataObject, storedAttributeValues = false): IDataObject {
	return simplifyValue(outputRecord(record), storedAttributeValues) as IDataObject;
}

function simplifyValue(value: JsonValue, storedAttributeValues: boolean): JsonValue {
	if (Array.isArray(value)) {
		return (value as JsonValue[]).map((item) => simplifyValue(item, storedAttributeValues)) as IDataObject[];
	}
	if (value === null || typeof value !== 'object' || value instanceof Date) return value;
	const source = value as IDataObject;
	const odataId = source['@odata.id'];
	const parsed = typeof odataId === 'string' ? parseEntityId(odataId) : undefined;
	const result: IDataObject = {};
	if (parsed && source.Id === undefined) {
		result.Id = parsed.id;
		if (Object.keys(source).length === 1) result.EntitySet = parsed.entitySet;
	}
	for (const [key, child] of Object.entries(source)) {
		if (key.startsWith('@odata.')) continue;
		result[key] =
			storedAttributeValues && isStoredAttributeName(key)
				? (storedAttributeShortValue(child) as JsonValue)
				: simplifyValue(child, storedAttributeValues);
	}
	return result;
}

/** A record as the node outputs it, simplified or not. */
export function shapeRecord(record: IDataObject, simplify = false, storedAttributeValues = false): IDataObject {
	return simplify ? simplifyRecord(record, storedAttributeValues) : outputRecord(record);
}
