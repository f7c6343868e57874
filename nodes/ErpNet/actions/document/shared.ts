import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { entityId, isGuid, parseEntityId } from '../../../../core/odata';
import { contextHeaders } from '../../../../core/query';
import type { PreparedWrite } from '../node.type';
import type { RecordTarget } from '../entity/parameters';
import { recordWrite } from '../writeRunner';

/**
 * A document action's share of a `$batch`'s timeout: ERP.net's model gives ChangeState 500 to 5,000 ms per
 * document (https://docs.erp.net/model/entities/Crm.Sales.SalesOrders.html#changestate).
 */
export const DOCUMENT_ACTION_ALLOWANCE_MS = 5_000;

/**
 * The document read back after an action: ERP.net's default attributes plus Id and ObjectVersion
 * (https://docs.erp.net/dev/domain-api/querying-data/query-options/select.html: `default` keeps the defaults).
 */
export function documentReadBack(entitySet: string, id: string): string {
	return `${entityId(entitySet, id)}?$select=default,Id,ObjectVersion`;
}

/**
 * `POST Set(id)/<name>` with `body`: a bound action of the document, which is read back after it. Without a
 * read-back the output is the document's ID and entity set with `fallback`.
 */
export function boundActionWrite(
	this: IExecuteFunctions,
	target: RecordTarget,
	itemIndex: number,
	action: { name: string; body: IDataObject; describe: string; fallback: IDataObject },
): PreparedWrite {
	const { entitySet, id, resource, options } = target;
	const prepared = recordWrite(target, {
		write: { method: 'POST', resource: `${resource}/${action.name}`, body: action.body },
		readBack: documentReadBack(entitySet, id),
		action: action.describe,
		headers: contextHeaders(this.getNode(), options, itemIndex),
		fallback: { id, entitySet, ...action.fallback },
	});
	return { ...prepared, batchAllowanceMs: DOCUMENT_ACTION_ALLOWANCE_MS, actionChangesRecord: true };
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
