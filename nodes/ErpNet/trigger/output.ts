import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { outputRecord } from '../../../core/odata';
import type { ChangeKind } from './state';

/**
 * The record as Get Many returns it plus the `erpnet` envelope (public contract: keep these names). The record
 * is the parsed response's own object, owned by this poll: it is extended, not copied.
 */
export function triggerItem(record: IDataObject, entitySet: string, id: string, kind: ChangeKind): INodeExecutionData {
	const timestamp = record.AggregateLastUpdateTimeUtc;
	const json = outputRecord(record);
	json.erpnet = {
		event: kind,
		entitySet,
		id,
		aggregateLastUpdateTimeUtc: typeof timestamp === 'string' ? timestamp : null,
	};
	return { json };
}
