import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { entitySetLocator } from '../../descriptions/common.descriptions';
import * as changeState from './changeState.operation';
import * as getPrintout from './getPrintout.operation';
import * as makeVoid from './makeVoid.operation';

export { changeState, getPrintout, makeVoid };

/** Document entity sets only (category Documents); the parameter keeps the name `entitySet`. */
const documentSetLocator: INodeProperties = {
	...entitySetLocator,
	displayName: 'Document Type',
	description:
		'The entity set of the document, e.g. Crm_Sales_SalesOrders for sales orders or Crm_Invoicing_Invoices for invoices',
	modes: (entitySetLocator.modes ?? []).map((mode) =>
		mode.name === 'list'
			? {
					...mode,
					placeholder: 'Select a document entity set...',
					typeOptions: { ...mode.typeOptions, searchListMethod: 'searchDocumentSets' },
				}
			: mode,
	),
};

/** The operations in the order the editor lists them (the node's subtitle shows their names in sentence case). */
export const operationOptions: INodePropertyOptions[] = [
	{
		name: 'Change State',
		value: 'changeState',
		description: 'Move a document to another state, e.g. release a planned sales order',
		action: 'Change the state of a document',
	},
	{
		name: 'Get Printout',
		value: 'getPrintout',
		description: 'Render a document as a file (PDF, HTML, Excel, Word, text or PNG) in a binary field',
		action: 'Get the printout of a document',
	},
	{
		name: 'Make Void',
		value: 'makeVoid',
		description: 'Void a document (cannot be undone), with a reason',
		action: 'Void a document',
	},
];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['document'] } },
		options: operationOptions,
		default: 'changeState',
	},
	{ ...documentSetLocator, displayOptions: { show: { resource: ['document'] } } },
	...changeState.description,
	...makeVoid.description,
	...getPrintout.description,
];
