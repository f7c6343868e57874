import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { erpNetApiRequest, odataUrl } from '../../../core/transport';
import { triggerItem } from '../trigger/output';
import { readInstantConfig } from './pull';

/** "Listen for test event": the pushed record as read back now (the watermark is not touched). */
export async function readPushedRecord(context: IWebhookFunctions, id: string): Promise<INodeExecutionData[]> {
	const config = await readInstantConfig(context);
	const record = (await erpNetApiRequest.call(context, {
		method: 'GET',
		url: await odataUrl.call(context, `${config.entitySet}(${id})`, { $select: config.select, $expand: config.expand }),
		headers: config.headers,
		action: `read the pushed ${config.entitySet} record`,
	})) as IDataObject;
	const item = triggerItem(record, config.entitySet, id, 'updated');
	return [config.output === 'event' ? { json: { erpnet: item.json.erpnet } } : item];
}
