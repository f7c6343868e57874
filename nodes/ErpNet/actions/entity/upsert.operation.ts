import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	batchOptions,
	contextOptions,
	languageOption,
	optionsCollection,
	recordFieldsProperties,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { entityId, isGuid, languageKey, withLanguage } from '../../../../core/odata';
import { contextHeaders } from '../../../../core/query';
import { plainTextMultilanguageFields } from '../../helpers/fields';
import type { ItemOutcome, PreparedWrite } from '../node.type';
import type { CommonOptions } from './parameters';
import { getEntitySet, operationOptions, shapeRecord, stringParameter, timeoutMs } from './parameters';
import { getRecordFields, writeBody } from './recordFields';
import { runWrite } from '../writeRunner';
import { type MatchBy, matchFields, readMergeTarget, withMatchFields } from './upsertTarget';

const properties: INodeProperties[] = [
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'options',
		options: [
			{
				name: 'Code',
				value: 'Code',
				description: "The entity's code, e.g. a customer's Number or a product's PartNumber",
			},
			{
				name: 'External ID',
				value: 'ExternalId',
				description: 'The ExternalId (and optionally ExternalSystem) another system gave the record',
			},
			{
				name: 'ID',
				value: 'Id',
				description: "The record's GUID",
			},
		],
		default: 'Code',
		description:
			'How ERP.net finds the existing record (@erpnet.findBy). If none matches, a new record is created from the fields.',
	},
	{
		displayName: 'Value to Match',
		name: 'matchValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. C0001',
		description: 'The code, external ID or GUID of the record to update, or to create when it does not exist',
	},
	{
		displayName: 'External System',
		name: 'externalSystem',
		type: 'string',
		default: '',
		description: 'Name of the system the external ID comes from (optional)',
		displayOptions: { show: { matchBy: ['ExternalId'] } },
	},
	...recordFieldsProperties('getColumnsForUpdate'),
	optionsCollection([...batchOptions, ...contextOptions, languageOption, simplifyOption, timeoutOption]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['upsert'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

/** Create or update in one request with ERP.net's `@erpnet.action: merge`
 * (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html). */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const options = operationOptions<CommonOptions>(this, itemIndex);
	const matchBy = this.getNodeParameter('matchBy', itemIndex, 'Code') as MatchBy;
	const matchValue = stringParameter.call(this, 'matchValue', itemIndex).trim();
	if (matchValue === '' || (matchBy === 'Id' && !isGuid(matchValue))) {
		throw new NodeOperationError(
			this.getNode(),
			`Give the ${matchBy === 'Id' ? 'GUID' : matchBy} of the record to match`,
			{
				itemIndex,
			},
		);
	}
	const findBy: IDataObject = { [matchBy]: matchValue };
	const externalSystem = matchBy === 'ExternalId' ? stringParameter.call(this, 'externalSystem', itemIndex) : '';
	if (externalSystem) findBy.ExternalSystem = externalSystem;

	const fields = getRecordFields.call(this, itemIndex);
	const overridden = Object.keys(fields).find((name) => name === '@erpnet.action' || name === '@erpnet.findBy');
	if (overridden) {
		throw new NodeOperationError(this.getNode(), `Upsert sets ${overridden} itself; remove it from the fields`, {
			itemIndex,
			description:
				'Upsert always sends "@erpnet.action": "merge" and "@erpnet.findBy" from "Match By". ' +
				'To send your own, use Create with Fields Input: JSON.',
		});
	}
	const language = languageKey(options.language) ?? 'EN';
	const headers = contextHeaders(this.getNode(), options, itemIndex);
	const { model, body } = await writeBody.call(this, entitySet, fields, language, itemIndex);
	const match = { matchBy, value: matchValue, externalSystem };
	const ownFields = matchFields(match, model);
	const created = withMatchFields.call(this, body, fields, ownFields, itemIndex);
	const oneLanguage = plainTextMultilanguageFields(fields, model);
	const current =
		oneLanguage.length > 0
			? await readMergeTarget.call(this, entitySet, model, match, oneLanguage, headers, itemIndex)
			: undefined;
	if (current) {
		// The existing record keeps its other languages: an update of it with all pairs, at the version read, so
		// that a concurrent edit fails instead of being overwritten (upsertTarget.ts).
		const resource = entityId(entitySet, String(current.Id));
		for (const name of oneLanguage) body[name] = withLanguage(current[name], language, String(fields[name]));
		body.ObjectVersion = Number(current.ObjectVersion);
		return {
			write: { method: 'PATCH', resource, body },
			readBack: resource,
			action: `update ${resource} (found by ${matchBy} ${matchValue})`,
			headers,
			timeoutMs: timeoutMs(options),
			output: (_written, record) =>
				record ? shapeRecord(record, options) : { updated: true, id: String(current.Id), entitySet },
		};
	}
	return {
		write: {
			method: 'POST',
			resource: entitySet,
			body: { ...created, '@erpnet.action': 'merge', '@erpnet.findBy': findBy },
		},
		action: `create or update a record in ${entitySet}`,
		headers,
		timeoutMs: timeoutMs(options),
		output: (record) => shapeRecord(record ?? {}, options),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}
