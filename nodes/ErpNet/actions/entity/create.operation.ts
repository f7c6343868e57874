import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	batchOptions,
	contextOptions,
	languageOption,
	optionsCollection,
	recordFieldsProperties,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { languageKey } from '../../../../core/odata';
import { contextHeaders } from '../../../../core/query';
import type { ItemOutcome, PreparedWrite } from '../node.type';
import type { CommonOptions } from './parameters';
import { getEntitySet, operationOptions, shapeRecord, timeoutMs } from './parameters';
import { getRecordFields, writeBody } from './recordFields';
import { runWrite } from '../writeRunner';

const properties: INodeProperties[] = [
	...recordFieldsProperties('getColumns'),
	optionsCollection([...batchOptions, ...contextOptions, languageOption, simplifyOption, timeoutOption]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['create'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const options = operationOptions<CommonOptions>(this, itemIndex);
	const fields = getRecordFields.call(this, itemIndex);
	const { body } = await writeBody.call(this, entitySet, fields, languageKey(options.language) ?? 'EN', itemIndex);
	return {
		write: { method: 'POST', resource: entitySet, body },
		action: `create a record in ${entitySet}`,
		headers: contextHeaders(this.getNode(), options, itemIndex),
		timeoutMs: timeoutMs(options),
		output: (created) => shapeRecord(created ?? {}, options),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}
