import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { entitySetLocator } from '../../descriptions/common.descriptions';
import * as callMethod from './callMethod.operation';
import * as create from './create.operation';
import * as createNotification from './createNotification.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as summarize from './summarize.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { callMethod, create, createNotification, del as delete, get, getAll, summarize, update, upsert };

/** The operations in the order the editor lists them (the node's subtitle shows their names in sentence case). */
export const operationOptions: INodePropertyOptions[] = [
	{
		name: 'Call Method',
		value: 'callMethod',
		description: "Call an action or function of a record that the instance's model lists, e.g. CreateCopy",
		action: 'Call a method of a record',
	},
	{
		name: 'Create',
		value: 'create',
		description: 'Create a record in an entity set',
		action: 'Create a record',
	},
	{
		name: 'Create Notification',
		value: 'createNotification',
		description: 'Notify an ERP.net user about a record',
		action: 'Notify a user about a record',
	},
	{
		name: 'Create or Update',
		value: 'upsert',
		description: 'Create a new record, or update the current one if it already exists (upsert)',
		action: 'Create or update a record',
	},
	{
		name: 'Delete',
		value: 'delete',
		description: 'Delete a record by its ID',
		action: 'Delete a record',
	},
	{
		name: 'Get',
		value: 'get',
		description: 'Get a record by its ID',
		action: 'Get a record',
	},
	{
		name: 'Get Many',
		value: 'getAll',
		description: 'Get many records, with filters, selected fields and paging handled for you',
		action: 'Get many records',
	},
	{
		name: 'Summarize',
		value: 'summarize',
		description:
			'Totals, counts, minimums and maximums computed by ERP.net per group, one item per group, e.g. ' +
			'total sales per customer this month',
		action: 'Summarize records',
	},
	{
		name: 'Update',
		value: 'update',
		description: 'Change some fields of a record by its ID',
		action: 'Update a record',
	},
];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['entity'] } },
		options: operationOptions,
		default: 'getAll',
	},
	{ ...entitySetLocator, displayOptions: { show: { resource: ['entity'] } } },
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...del.description,
	...upsert.description,
	...createNotification.description,
	...callMethod.description,
	...summarize.description,
];
