import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { contextOptions, languageOption, recordIdLocator, timeoutOption } from '../../descriptions/common.descriptions';
import { entityId } from '../../helpers/odata';
import { erpNetApiRequest, odataUrl } from '../../transport';
import type { CommonOptions } from './shared';
import { getEntitySet, getOptions, getRecordId, requestHeaders, timeoutMs } from './shared';

const properties: INodeProperties[] = [
	recordIdLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...contextOptions, languageOption, timeoutOption],
	},
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['delete'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = getOptions.call<IExecuteFunctions, [number], CommonOptions>(this, itemIndex);
	await erpNetApiRequest.call(this, {
		method: 'DELETE',
		url: await odataUrl.call(this, entityId(entitySet, id)),
		headers: requestHeaders.call(this, options, itemIndex),
		itemIndex,
		timeoutMs: timeoutMs(options),
		action: `delete ${entityId(entitySet, id)}`,
	});
	return { deleted: true, id, entitySet };
}
