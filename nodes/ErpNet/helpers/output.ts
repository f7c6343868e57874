import type { IDataObject } from 'n8n-workflow';

import { parseEntityId } from './odata';

type JsonValue = IDataObject[keyof IDataObject];

/**
 * A record as the node outputs it: ERP.net's JSON plus `Id` (from `@odata.id`) when it was not
 * selected, so that the next node can use it; a single entity's `@odata.context` is response metadata
 * and is dropped. One copy per record: large reads go through here.
 */
export function outputRecord(record: IDataObject): IDataObject {
	const odataId = record['@odata.id'];
	const parsed = typeof record.Id !== 'string' && typeof odataId === 'string' ? parseEntityId(odataId) : undefined;
	const result: IDataObject = parsed ? { Id: parsed.id } : {};
	for (const key of Object.keys(record)) {
		if (key !== '@odata.context') result[key] = record[key];
	}
	return result;
}

/**
 * Drops `@odata.*` annotations. A reference that was only `{"@odata.id": "Set(guid)"}` becomes
 * `{ Id, EntitySet }`, so no information is lost.
 */
export function simplifyRecord(record: IDataObject): IDataObject {
	return simplifyValue(outputRecord(record)) as IDataObject;
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
