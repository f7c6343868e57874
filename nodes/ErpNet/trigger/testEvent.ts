/**
 * "Fetch Test Event": the most recent matching records (up to five), newest first, without reading or writing
 * the trigger's state (n8n does not save what a manual execution changes, and nothing here changes it).
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { ODataCollection } from '../../../core/odata';
import { erpNetApiRequest, odataUrl } from '../../../core/transport';
import { triggerItem } from './output';
import type { TriggerConfig } from './settings';
import { changeKind, changeOf } from './state';
import { minus } from './timestamps';
import { combineFilters } from '../../../core/query';

const CANDIDATES = 10;
const TEST_EVENT_RECORDS = 5;

export async function fetchTestEvent(
	this: IPollFunctions,
	config: TriggerConfig,
): Promise<INodeExecutionData[][] | null> {
	const url = await odataUrl.call(this, config.entitySet, {
		$top: CANDIDATES,
		$select: config.select,
		$expand: config.expand,
		$filter: combineFilters(config.filter),
		$orderby: 'AggregateLastUpdateTimeUtc desc',
	});
	const response = (await erpNetApiRequest.call(this, {
		method: 'GET',
		url,
		headers: config.headers,
		action: `read the latest changes of ${config.entitySet}`,
	})) as ODataCollection;
	const { event } = config.settings;
	const items: INodeExecutionData[] = [];
	for (const record of response.value ?? []) {
		const change = changeOf(record, config.creationAttribute);
		if (!change) continue;
		// Without a history, "created" means created within the overlap before its last change.
		const kind =
			change.timestamp === undefined || config.creationAttribute === undefined
				? event === 'updated'
					? 'updated'
					: 'created'
				: changeKind({ fromUtc: minus(change.timestamp, config.settings.overlapMs) }, change, undefined);
		if (event === 'createdOrUpdated' || event === kind)
			items.push(triggerItem(record, config.entitySet, change.id, kind));
		if (items.length === TEST_EVENT_RECORDS) break;
	}
	return items.length > 0 ? [items] : null;
}
