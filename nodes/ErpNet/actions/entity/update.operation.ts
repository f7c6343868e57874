import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	contextOptions,
	fieldsInputOptions,
	jsonBodyField,
	languageOption,
	recordIdLocator,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { toDomainApiBody } from '../../helpers/fields';
import { entityId } from '../../helpers/odata';
import { erpNetApiRequest, odataUrl } from '../../transport';
import { getEntitySetModel } from '../../transport/model';
import type { CommonOptions } from './shared';
import { getEntitySet, getOptions, getRecordFields, getRecordId, requestHeaders, shapeRecord, timeoutMs } from './shared';

interface UpdateOptions extends CommonOptions {
	returnUpdated?: boolean;
	objectVersion?: number | string;
}

const properties: INodeProperties[] = [
	recordIdLocator,
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
				resourceMapperMethod: 'getColumnsForUpdate',
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
		options: [
			...contextOptions,
			{
				displayName: 'Expected Object Version',
				name: 'objectVersion',
				type: 'number',
				default: 0,
				description:
					'The ObjectVersion read before this update. ERP.net then only updates the record if nobody changed it since (optimistic locking). 0 skips the check.',
			},
			languageOption,
			{
				displayName: 'Return Updated Record',
				name: 'returnUpdated',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the record again after the update and return it. Turn off to save one request per item; the output is then { updated: true, ID }.',
			},
			simplifyOption,
			timeoutOption,
		],
	},
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['update'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = getOptions.call<IExecuteFunctions, [number], UpdateOptions>(this, itemIndex);
	const fields = getRecordFields.call(this, itemIndex);
	const model = await getEntitySetModel.call(this, entitySet, itemIndex);
	const body = toDomainApiBody(fields, model, options.language || 'EN');
	const expectedVersion = Number(options.objectVersion ?? 0);
	if (expectedVersion > 0) body.ObjectVersion = expectedVersion;
	const headers = requestHeaders.call(this, options, itemIndex);
	const recordUrl = await odataUrl.call(this, entityId(entitySet, id));

	await erpNetApiRequest.call(this, {
		method: 'PATCH',
		url: recordUrl,
		body,
		headers,
		itemIndex,
		timeoutMs: timeoutMs(options),
		action: `update ${entityId(entitySet, id)}`,
	});
	if (options.returnUpdated === false) return { updated: true, id, entitySet };

	const record = (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: recordUrl,
		headers,
		itemIndex,
		timeoutMs: timeoutMs(options),
		action: `read ${entityId(entitySet, id)}`,
	})) as IDataObject;
	return shapeRecord(record, options);
}
