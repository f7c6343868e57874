import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { entityId, isGuid, parseEntityId } from '../../../../core/odata/text';

/**
 * The document read back after an action: ERP.net's default attributes plus Id and ObjectVersion
 * (https://docs.erp.net/dev/domain-api/querying-data/query-options/select.html: `default` keeps the defaults).
 */
export function documentReadBack(entitySet: string, id: string): string {
	return `${entityId(entitySet, id)}?$select=default,Id,ObjectVersion`;
}

/** A reference parameter value: a GUID of `entitySet`, or an entity ID / URL that names its own set. */
export function referenceTo(
	this: IExecuteFunctions,
	value: unknown,
	entitySet: string,
	parameterName: string,
	itemIndex: number,
): IDataObject | undefined {
	const text = String(value ?? '').trim();
	if (text === '') return undefined;
	if (isGuid(text)) return { '@odata.id': entityId(entitySet, text.toLowerCase()) };
	const parsed = parseEntityId(text);
	if (parsed) return { '@odata.id': entityId(parsed.entitySet, parsed.id) };
	throw new NodeOperationError(this.getNode(), `"${text}" is not a valid ${parameterName}`, {
		itemIndex,
		description: `Give the ID (a GUID) of a ${entitySet} record, or its entity ID such as ${entitySet}(<GUID>).`,
	});
}
