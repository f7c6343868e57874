import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	batchOptions,
	contextOptions,
	languageOption,
	optionsCollection,
	recordIdLocator,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import type { ItemOutcome, PreparedWrite } from '../node.type';
import type { CommonOptions } from '../entity/parameters';
import { recordTarget, stringParameter } from '../entity/parameters';
import { runWrite } from '../writeRunner';
import { boundActionWrite } from './shared';

interface MakeVoidOptions extends CommonOptions {
	resetParentState?: boolean;
}

/** VoidType members (https://docs.erp.net/model/entities/Crm.Sales.SalesOrders.html#makevoid). */
export const VOID_TYPES = [
	{
		name: 'Void Document',
		value: 'VoidDocument',
		description: 'Void only the document; fails when it has sub-documents',
	},
	{
		name: 'Void With Sub-Documents',
		value: 'VoidWithSubDocuments',
		description: 'Void the document and its non-released sub-documents; fails when a sub-document is released',
	},
	{
		name: 'Void With Released Sub-Documents',
		value: 'VoidWithReleasedSubDocuments',
		description: 'Void the document and all of its sub-documents, even the released ones',
	},
];

const properties: INodeProperties[] = [
	recordIdLocator,
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Entered twice by mistake',
		description: 'Why the document is voided; ERP.net stores it with the document. Voiding cannot be undone.',
	},
	{
		displayName: 'Void Type',
		name: 'voidType',
		type: 'options',
		options: VOID_TYPES,
		default: 'VoidDocument',
		description: 'What happens to the documents generated from this one (its sub-documents)',
	},
	optionsCollection([
		{
			displayName: 'Reset Parent State',
			name: 'resetParentState',
			type: 'boolean',
			default: true,
			description: 'Whether ERP.net resets the state of the parent document (its default)',
		},
		...batchOptions,
		...contextOptions,
		languageOption,
		simplifyOption,
		timeoutOption,
	]),
];

const displayOptions = {
	show: {
		resource: ['document'],
		operation: ['makeVoid'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * `POST Set(id)/MakeVoid {"reason", "voidType"}`
 * (https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html).
 */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	const target = recordTarget<MakeVoidOptions>(this, itemIndex);
	const reason = stringParameter.call(this, 'reason', itemIndex).trim();
	if (reason === '') {
		throw new NodeOperationError(this.getNode(), 'Give a reason for voiding the document', {
			itemIndex,
			description: 'ERP.net requires a reason and stores it with the voided document.',
		});
	}
	const voidType = this.getNodeParameter('voidType', itemIndex, 'VoidDocument') as string;
	const body: IDataObject = { reason, voidType };
	if (target.options.resetParentState === false) body.resetParentState = false;
	return boundActionWrite.call(this, target, itemIndex, {
		name: 'MakeVoid',
		body,
		describe: `void ${target.resource}`,
		fallback: { void: true },
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}
