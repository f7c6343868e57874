import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { toNodeError } from '../../core/transport';
import { batchSettings, runBatched, savedItemsNote } from './actions/batchedWrites';
import * as document from './actions/document/Document.resource';
import * as entity from './actions/entity/Entity.resource';
import type { ItemOutcome } from './actions/node.type';
import { route } from './actions/router';
import { authenticationProperty, erpNetCredentials } from './descriptions/authentication.descriptions';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class ErpNet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ERP.net',
		name: 'erpNet',
		icon: { light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' },
		group: ['transform'],
		// 1.1: Simplify turns stored attributes (CustomProperty_*) into their short value; 1 keeps the object.
		version: [1, 1.1],
		defaultVersion: 1.1,
		// A literal, as n8n's lint rule requires; a test keeps its labels equal to the operation names.
		subtitle:
			'={{ ({ getAll: "Get many", get: "Get", create: "Create", upsert: "Create or update", update: "Update", delete: "Delete", createNotification: "Create notification", callMethod: "Call method", changeState: "Change state", makeVoid: "Make void", getPrintout: "Get printout", summarize: "Summarize" })[$parameter["operation"]] + ": " + $parameter["entitySet"] }}',
		description:
			'Read and write ERP.net records (customers, products, sales orders and every other entity set) through ' +
			'the Domain API',
		defaults: {
			name: 'ERP.net',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: erpNetCredentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Document',
						value: 'document',
						description:
							'A document such as a sales order or invoice: change its state, void it, or print it to a file',
					},
					{
						name: 'Entity',
						value: 'entity',
						description: 'A record in any ERP.net entity set, e.g. a customer, product or sales order',
					},
				],
				default: 'entity',
			},
			...entity.description,
			...document.description,
		],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		const batching = batchSettings.call(this);
		const batchOutcomes = batching ? await runBatched.call(this, batching) : undefined;

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const {
				records,
				items: outputItems,
				error,
			} = batchOutcomes?.[itemIndex] ?? (await runItem.call(this, itemIndex));
			const pairedItem = { item: itemIndex };
			if (error && !this.continueOnFail()) {
				error.context.itemIndex = itemIndex;
				const saved = batchOutcomes ? savedItemsNote(batchOutcomes) : undefined;
				if (saved) error.description = [error.description, saved].filter(Boolean).join(' ');
				throw error;
			}
			for (const json of records) returnData.push({ json, pairedItem });
			for (const item of outputItems ?? []) returnData.push({ ...item, pairedItem });
			if (error) returnData.push({ json: { error: error.message }, error, pairedItem });
		}

		return [returnData];
	}
}

async function runItem(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	try {
		return await route.call(this, itemIndex);
	} catch (error) {
		return { records: [], error: toNodeError(this.getNode(), error, itemIndex) };
	}
}
