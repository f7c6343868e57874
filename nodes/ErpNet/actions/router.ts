import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as document from './document/Document.resource';
import * as entity from './entity/Entity.resource';
import type { ErpNetOperation, ErpNetResource, ItemOutcome, OperationModule } from './node.type';

/** Every operation of every resource, as `operations` must list them. */
export type OperationRegistry = { [R in ErpNetResource]: Record<ErpNetOperation<R>, OperationModule> };

/** Every operation of every resource; leaving one out is a compile error. */
const operations: OperationRegistry = {
	entity: {
		getAll: entity.getAll,
		get: entity.get,
		create: entity.create,
		update: entity.update,
		delete: entity.delete,
		upsert: entity.upsert,
		createNotification: entity.createNotification,
		callMethod: entity.callMethod,
		summarize: entity.summarize,
	},
	document: {
		changeState: document.changeState,
		makeVoid: document.makeVoid,
		getPrintout: document.getPrintout,
	},
};

/** The module of a resource's operation; undefined when there is none. */
export function findOperation(resource: string, operation: string): OperationModule | undefined {
	const byOperation = own<Record<string, OperationModule>>(operations, resource);
	return byOperation && own<OperationModule>(byOperation, operation);
}

/** The resource and operation chosen for an item. */
export function chosenOperation(this: IExecuteFunctions, itemIndex: number): { resource: string; operation: string } {
	return {
		resource: this.getNodeParameter('resource', itemIndex) as string,
		operation: this.getNodeParameter('operation', itemIndex) as string,
	};
}

/** Runs the chosen operation for one input item. */
export async function route(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const { resource, operation } = chosenOperation.call(this, itemIndex);
	const operationModule = findOperation(resource, operation);
	if (!operationModule) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, { itemIndex });
	}
	return await operationModule.execute.call(this, itemIndex);
}

function own<T>(record: object, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(record, key) ? (record as Record<string, T>)[key] : undefined;
}
