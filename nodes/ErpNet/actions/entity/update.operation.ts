import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	batchOptions,
	contextOptions,
	languageOption,
	objectVersionOption,
	optionsCollection,
	recordFieldsProperties,
	recordIdLocator,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { languageKey, withLanguage } from '../../../../core/odata';
import { erpNetApiRequest, odataUrl } from '../../../../core/transport';
import { contextHeaders } from '../../../../core/query';
import { plainTextMultilanguageFields } from '../../helpers/fields';
import { expectedObjectVersion } from '../../helpers/objectVersion';
import type { ItemOutcome, PreparedWrite } from '../node.type';
import type { CommonOptions } from './parameters';
import { recordTarget } from './parameters';
import { getRecordFields, writeBody } from './recordFields';
import { recordWrite, runWrite } from '../writeRunner';

interface UpdateOptions extends CommonOptions {
	returnUpdated?: boolean;
	objectVersion?: unknown;
}

const properties: INodeProperties[] = [
	recordIdLocator,
	...recordFieldsProperties('getColumnsForUpdate'),
	optionsCollection([
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
				'Whether to read the record again after the update and return it. Turn off to save one request per ' +
				'item; the output is then { updated: true, ID }.',
		},
		simplifyOption,
		timeoutOption,
	]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['update'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	const target = recordTarget<UpdateOptions>(this, itemIndex);
	const { entitySet, id, resource, options } = target;
	const fields = getRecordFields.call(this, itemIndex);
	const expectedVersion = expectedObjectVersion(this.getNode(), options.objectVersion, itemIndex);
	const headers = contextHeaders(this.getNode(), options, itemIndex);
	const language = languageKey(options.language) ?? 'EN';
	const { model, body } = await writeBody.call(this, entitySet, fields, language, itemIndex);
	if (expectedVersion !== undefined) body.ObjectVersion = expectedVersion;
	const oneLanguage = plainTextMultilanguageFields(fields, model);
	if (oneLanguage.length > 0) {
		// "All pairs are updated simultaneously": send the stored pairs with the chosen language changed, and the
		// version they were read at, so that a concurrent edit fails instead of being overwritten
		// (https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html).
		const current = await readCurrent.call(this, resource, oneLanguage, headers, itemIndex);
		for (const name of oneLanguage) body[name] = withLanguage(current[name], language, String(fields[name]));
		body.ObjectVersion ??= Number(current.ObjectVersion);
	}
	return recordWrite(target, {
		write: { method: 'PATCH', resource, body },
		readBack: options.returnUpdated === false ? undefined : resource,
		action: `update ${resource}`,
		headers,
		fallback: { updated: true, id, entitySet },
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}

async function readCurrent(
	this: IExecuteFunctions,
	resource: string,
	names: string[],
	headers: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	return (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await odataUrl.call(this, resource, { $select: [...names, 'ObjectVersion'].join(',') }),
		headers,
		itemIndex,
		action: `read the current ${names.join(', ')} of ${resource}`,
	})) as IDataObject;
}
