import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { batchOptions, contextOptions, languageOption, recordIdLocator, timeoutOption } from '../../descriptions/common.descriptions';
import { entityId } from '../../helpers/odata';
import type { CommonOptions, PreparedWrite } from './shared';
import { getEntitySet, getOptions, getRecordId, requestHeaders, runWrite, timeoutMs } from './shared';

const properties: INodeProperties[] = [
	recordIdLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...batchOptions, ...contextOptions, languageOption, timeoutOption],
	},
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['delete'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = getOptions.call<IExecuteFunctions, [number], CommonOptions>(this, itemIndex);
	return {
		write: { method: 'DELETE', resource: entityId(entitySet, id) },
		action: `delete ${entityId(entitySet, id)}`,
		headers: requestHeaders.call(this, options, itemIndex),
		timeoutMs: timeoutMs(options),
		output: () => ({ deleted: true, id, entitySet }),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}
