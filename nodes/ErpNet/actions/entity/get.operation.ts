import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	contextOptions,
	expandOption,
	languageOption,
	optionsCollection,
	recordIdLocator,
	selectOption,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { entityId, joinList } from '../../../../core/odata';
import { erpNetApiRequest, odataUrl } from '../../../../core/transport';
import { contextHeaders } from '../../../../core/query';
import type { ItemOutcome } from '../node.type';
import type { CommonOptions } from './parameters';
import { getEntitySet, getRecordId, operationOptions, shapeRecord, timeoutMs } from './parameters';

interface GetOptions extends CommonOptions {
	select?: string[] | string;
	expand?: string;
}

const properties: INodeProperties[] = [
	recordIdLocator,
	optionsCollection([...contextOptions, expandOption, selectOption, languageOption, simplifyOption, timeoutOption]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['get'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = operationOptions<GetOptions>(this, itemIndex);
	const record = (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await odataUrl.call(this, entityId(entitySet, id), {
			$select: joinList(options.select),
			$expand: options.expand?.trim() || undefined,
		}),
		headers: contextHeaders(this.getNode(), options, itemIndex),
		itemIndex,
		timeoutMs: timeoutMs(options),
		action: `read ${entityId(entitySet, id)}`,
	})) as IDataObject;
	return { records: [shapeRecord(record, options)] };
}
