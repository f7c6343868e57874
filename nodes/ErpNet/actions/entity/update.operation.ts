import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	batchOptions,
	contextOptions,
	languageOption,
	objectVersionOption,
	recordFieldsProperties,
	recordIdLocator,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { toDomainApiBody } from '../../helpers/fields';
import { entityId } from '../../helpers/odata';
import { getEntitySetModel } from '../../transport/model';
import type { CommonOptions, PreparedWrite } from './shared';
import {
	getEntitySet,
	getOptions,
	getRecordFields,
	getRecordId,
	requestHeaders,
	runWrite,
	shapeRecord,
	timeoutMs,
} from './shared';

interface UpdateOptions extends CommonOptions {
	returnUpdated?: boolean;
	objectVersion?: number | string;
}

const properties: INodeProperties[] = [
	recordIdLocator,
	...recordFieldsProperties('getColumnsForUpdate'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...batchOptions,
			...contextOptions,
			objectVersionOption,
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

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = getOptions.call<IExecuteFunctions, [number], UpdateOptions>(this, itemIndex);
	const fields = getRecordFields.call(this, itemIndex);
	const model = await getEntitySetModel.call(this, entitySet, itemIndex);
	const body = toDomainApiBody(fields, model, options.language || 'EN');
	const expectedVersion = Number(options.objectVersion ?? 0);
	if (expectedVersion > 0) body.ObjectVersion = expectedVersion;
	const resource = entityId(entitySet, id);
	return {
		write: { method: 'PATCH', resource, body },
		readBack: options.returnUpdated === false ? undefined : resource,
		action: `update ${resource}`,
		headers: requestHeaders.call(this, options, itemIndex),
		timeoutMs: timeoutMs(options),
		output: (_written, record) => (record ? shapeRecord(record, options) : { updated: true, id, entitySet }),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}
