import type { IDataObject } from 'n8n-workflow';

import { parseEntityId } from './odata';

type JsonValue = IDataObject[keyof IDataObject];

/** Adds `Id` (from `@odata.id`) when the record does not carry it, so that the next node can use it. */
export function withRecordId(record: IDataObject): IDataObject {
	if (typeof record.Id === 'string') return record;
	const odataId = record['@odata.id'];
	const parsed = typeof odataId === 'string' ? parseEntityId(odataId) : undefined;
	return parsed ? { Id: parsed.id, ...record } : record;
}

/**
 * Drops `@odata.*` annotations. A reference that was only `{"@odata.id": "Set(guid)"}` becomes
 * `{ Id, EntitySet }`, so no information is lost.
 */
export function simplifyRecord(record: IDataObject): IDataObject {
	return simplifyValue(withRecordId(record)) as IDataObject;
}

function simplifyValue(value: JsonValue): JsonValue {
	if (Array.isArray(value)) return (value as JsonValue[]).map(simplifyValue) as IDataObject[];
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
		if (!key.startsWith('@odata.')) result[key] = simplifyValue(child);
	}
	return result;
}
