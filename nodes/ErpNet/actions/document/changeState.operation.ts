import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

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
import { recordTarget } from '../entity/parameters';
import { runWrite } from '../writeRunner';
import { boundActionWrite, referenceTo } from './shared';

interface ChangeStateOptions extends CommonOptions {
	userStatus?: string;
}

/**
 * DocumentState members with their Domain API values
 * (https://docs.erp.net/model/entities/Crm.Sales.SalesOrders.html#state).
 */
export const DOCUMENT_STATES = [
	{ name: 'New', value: 'New', description: 'New document, just created; can be edited' },
	{ name: 'Adjustment', value: 'Adjustment', description: 'Document which adjusts other released documents' },
	{ name: 'Planned', value: 'Planned', description: 'Planned by the system for future releasing' },
	{ name: 'Firm Planned', value: 'FirmPlanned', description: 'Planned by an operator for future releasing' },
	{ name: 'Released', value: 'Released', description: 'Released; changes only through adjustment documents' },
	{ name: 'Completed', value: 'Completed', description: 'Work has completed' },
	{ name: 'Closed', value: 'Closed', description: 'Audited and closed; can be reopened' },
];

const properties: INodeProperties[] = [
	recordIdLocator,
	{
		displayName: 'New State',
		name: 'newState',
		type: 'options',
		options: DOCUMENT_STATES,
		default: 'Released',
		required: true,
		description:
			'The state to move the document to. ERP.net usually allows only higher states, and runs its validations ' +
			'and sub-document generation on the way.',
	},
	optionsCollection([
		{
			displayName: 'User Status',
			name: 'userStatus',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1ee1249e-4ef5-46b4-8409-26b2130d09c7',
			description:
				"The new user status of the document: the ID of one of its document type's user statuses " +
				'(Systems_Documents_DocumentTypeUserStatuses), or its entity ID',
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
		operation: ['changeState'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * `POST Set(id)/ChangeState {"newState", "userStatus"?}`
 * (https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html).
 */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	const target = recordTarget<ChangeStateOptions>(this, itemIndex);
	const newState = this.getNodeParameter('newState', itemIndex) as string;
	const body: IDataObject = { newState };
	const userStatus = referenceTo.call(
		this,
		target.options.userStatus,
		'Systems_Documents_DocumentTypeUserStatuses',
		'user status',
		itemIndex,
	);
	if (userStatus) body.userStatus = userStatus;
	return boundActionWrite.call(this, target, itemIndex, {
		name: 'ChangeState',
		body,
		describe: `change the state of ${target.resource} to ${newState}`,
		fallback: { state: newState },
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}
