import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	contextOptions,
	fieldsInputOptions,
	jsonBodyField,
	languageOption,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { toDomainApiBody } from '../../helpers/fields';
import { erpNetApiRequest, odataUrl } from '../../transport';
import { getEntitySetModel } from '../../transport/model';
import type { CommonOptions } from './shared';
import { getEntitySet, getOptions, getRecordFields, requestHeaders, shapeRecord, timeoutMs } from './shared';

const properties: INodeProperties[] = [
	fieldsInputOptions,
	{
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: {
			mappingMode: 'defineBelow',
			value: null,
		},
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['entitySet.value'],
			resourceMapper: {
				resourceMapperMethod: 'getColumns',
				mode: 'add',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		displayOptions: { show: { fieldsInput: ['mapper'] } },
	},
	{ ...jsonBodyField, displayOptions: { show: { fieldsInput: ['json'] } } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...contextOptions, languageOption, simplifyOption, timeoutOption],
	},
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['create'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const options = getOptions.call<IExecuteFunctions, [number], CommonOptions>(this, itemIndex);
	const fields = getRecordFields.call(this, itemIndex);
	const model = await getEntitySetModel.call(this, entitySet, itemIndex);
	const created = (await erpNetApiRequest.call(this, {
		method: 'POST',
		url: await odataUrl.call(this, entitySet),
		body: toDomainApiBody(fields, model, options.language || 'EN'),
		headers: requestHeaders.call(this, options, itemIndex),
		itemIndex,
		timeoutMs: timeoutMs(options),
		action: `create a record in ${entitySet}`,
	})) as IDataObject;
	return shapeRecord(created, options);
}
