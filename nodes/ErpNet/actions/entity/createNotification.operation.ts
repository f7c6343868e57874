import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	batchOptions,
	contextOptions,
	languageOption,
	optionsCollection,
	recordIdLocator,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { entityId } from '../../../../core/odata';
import { referenceTo } from '../document/shared';
import { contextHeaders } from '../../../../core/query';
import type { ItemOutcome, PreparedWrite } from '../node.type';
import type { CommonOptions } from './parameters';
import { getEntitySet, getRecordId, operationOptions, stringParameter, timeoutMs } from './parameters';
import { runWrite } from '../writeRunner';

/**
 * NotificationsRepository.Priority members
 * (https://docs.erp.net/model/entities/Crm.Sales.Customers.html#createnotification).
 */
export const NOTIFICATION_PRIORITIES = ['Background', 'Low', 'Normal', 'High', 'Urgent'].map((value) => ({
	name: value,
	value,
}));

const properties: INodeProperties[] = [
	recordIdLocator,
	{
		displayName: 'User',
		name: 'user',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The ERP.net user who receives the notification',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a user...',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 9da64839-a8d0-491d-aebb-4d18fa42b014',
			},
		],
	},
	{
		displayName: 'Notification Class',
		name: 'notificationClass',
		type: 'string',
		default: 'NT_SOC_NEW_POST',
		required: true,
		description: 'The ERP.net notification class (type), e.g. NT_SOC_NEW_POST',
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Sales order SO-000123 was released',
		description: 'The text of the notification',
	},
	{
		displayName: 'Priority',
		name: 'priority',
		type: 'options',
		options: NOTIFICATION_PRIORITIES,
		default: 'Normal',
	},
	optionsCollection([...batchOptions, ...contextOptions, languageOption, timeoutOption]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['createNotification'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * `POST Set(id)/CreateNotification {"user", "notificationClass", "subject", "priority"}`: a notification to a
 * user that originates from this record (https://docs.erp.net/dev/domain-api/common-tasks/create-notification.html).
 */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = operationOptions<CommonOptions>(this, itemIndex);
	const userValue = this.getNodeParameter('user', itemIndex, '', { extractValue: true });
	const user = referenceTo.call(this, userValue, 'Systems_Security_Users', 'user', itemIndex);
	const notificationClass = stringParameter.call(this, 'notificationClass', itemIndex).trim();
	const subject = stringParameter.call(this, 'subject', itemIndex);
	const missing = [!user && 'User', !notificationClass && 'Notification Class', !subject.trim() && 'Subject'].filter(
		Boolean,
	);
	if (!user || missing.length > 0) {
		throw new NodeOperationError(this.getNode(), `Fill in ${missing.join(', ')} to create the notification`, {
			itemIndex,
		});
	}
	const priority = this.getNodeParameter('priority', itemIndex, 'Normal') as string;
	const resource = entityId(entitySet, id);
	return {
		write: {
			method: 'POST',
			resource: `${resource}/CreateNotification`,
			body: { user, notificationClass, subject, priority },
		},
		action: `notify a user about ${resource}`,
		headers: contextHeaders(this.getNode(), options, itemIndex),
		timeoutMs: timeoutMs(options),
		output: (): IDataObject => ({
			notified: true,
			id,
			entitySet,
			user: user['@odata.id'],
			notificationClass,
			subject,
			priority,
		}),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}
