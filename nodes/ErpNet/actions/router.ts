import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as entity from './entity/Entity.resource';
import type { ErpNetType } from './node.type';

type OperationModule = { execute: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]> };

const resources: Record<ErpNetType['resource'], Record<string, OperationModule>> = {
	entity: entity as unknown as Record<string, OperationModule>,
};

/** Runs the chosen operation for one input item and returns its output records. */
export async function route(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const resource = this.getNodeParameter('resource', itemIndex) as ErpNetType['resource'];
	const operation = this.getNodeParameter('operation', itemIndex) as string;
	const operationModule = resources[resource]?.[operation];
	if (typeof operationModule?.execute !== 'function') {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, { itemIndex });
	}
	const result = await operationModule.execute.call(this, itemIndex);
	return Array.isArray(result) ? result : [result];
}
