import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import * as entity from './actions/entity/Entity.resource';
import type { ItemOutcome } from './actions/batch';
import { batchSettings, runBatched } from './actions/batch';
import { route } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class ErpNet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ERP.net',
		name: 'erpNet',
		icon: { light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ ({ getAll: "Get many", get: "Get", create: "Create", upsert: "Create or update", update: "Update", delete: "Delete" })[$parameter["operation"]] + ": " + $parameter["entitySet"] }}',
		description:
			'Read and write ERP.net records (customers, products, sales orders and every other entity set) through the Domain API',
		defaults: {
			name: 'ERP.net',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'erpNetApi',
				required: true,
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Entity',
						value: 'entity',
						description: 'A record in any ERP.net entity set, e.g. a customer, product or sales order',
					},
				],
				default: 'entity',
			},
			...entity.description,
		],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		const batching = batchSettings.call(this);
		const batchOutcomes = batching ? await runBatched.call(this, batching) : undefined;

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const records = batchOutcomes
					? recordsOf(batchOutcomes[itemIndex])
					: await route.call(this, itemIndex);
				const pairedItem = { item: itemIndex };
				for (const json of records) returnData.push({ json, pairedItem });
			} catch (error) {
				const partialRecords = takePartialRecords(error);
				if (this.continueOnFail()) {
					for (const json of partialRecords) returnData.push({ json, pairedItem: { item: itemIndex } });
					returnData.push({
						json: { error: error.message },
						error,
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				if (error instanceof NodeApiError) {
					error.context.itemIndex = itemIndex;
					throw new NodeApiError(this.getNode(), error as unknown as JsonObject, { itemIndex });
				}
				if (error instanceof NodeOperationError) error.context.itemIndex = itemIndex;
				throw new NodeOperationError(this.getNode(), error, { itemIndex });
			}
		}

		return [returnData];
	}
}

/** Records a read returned before it failed (attached by the Get Many operation). */
function takePartialRecords(error: { context?: IDataObject }): IDataObject[] {
	const records = error?.context?.partialRecords;
	if (error?.context) delete error.context.partialRecords;
	return Array.isArray(records) ? (records as IDataObject[]) : [];
}

function recordsOf(outcome: ItemOutcome): IDataObject[] {
	if ('error' in outcome) throw outcome.error;
	return outcome.records;
}
