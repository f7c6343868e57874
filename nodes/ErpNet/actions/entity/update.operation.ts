import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
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
import { entityId } from '../../../../core/odata/text';
import { contextHeaders } from '../../../../core/query/contextHeaders';
import { getEntitySetModel } from '../../../../core/transport/model';
import { toDomainApiBody } from '../../helpers/fields';
import type { ItemOutcome, PreparedWrite } from '../node.type';
import type { CommonOptions } from './shared';
import {
	getEntitySet,
	getOptions,
	getRecordFields,
	getRecordId,
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
		headers: contextHeaders(this.getNode(), options, itemIndex),
		timeoutMs: timeoutMs(options),
		output: (_written, record) => (record ? shapeRecord(record, options) : { updated: true, id, entitySet }),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}
