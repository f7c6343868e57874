import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	contextOptions,
	languageOption,
	optionsCollection,
	recordIdLocator,
	simplifyOption,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import type { ModelMethod } from '../../../../core/odata';
import { entityId } from '../../../../core/odata';
import { erpNetApiRequest, getEntitySetModel, odataUrl } from '../../../../core/transport';
import { actionBody, functionSegment, isUnsafeMethod } from '../../helpers/modelMethods';
import { contextHeaders } from '../../../../core/query';
import type { ItemOutcome } from '../node.type';
import type { CommonOptions } from './parameters';
import { getEntitySet, getRecordId, operationOptions, shapeRecord, stringParameter, timeoutMs } from './parameters';

const properties: INodeProperties[] = [
	recordIdLocator,
	{
		displayName: 'Method Name or ID',
		name: 'method',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getMethods',
			loadOptionsDependsOn: ['entitySet.value'],
		},
		default: '',
		required: true,
		description:
			'The method of the record to call, as the instance\'s model lists it for the entity set. Actions change data; functions only read. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Parameters',
		name: 'methodParameters',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		typeOptions: {
			loadOptionsDependsOn: ['entitySet.value', 'method'],
			resourceMapper: {
				resourceMapperMethod: 'getMethodParameters',
				mode: 'add',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: false,
			},
		},
	},
	optionsCollection([...contextOptions, languageOption, simplifyOption, timeoutOption]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['callMethod'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

function isToolNode(this: IExecuteFunctions): boolean {
	return this.getNode().type.endsWith('Tool');
}

async function findMethod(
	this: IExecuteFunctions,
	entitySet: string,
	name: string,
	itemIndex: number,
): Promise<{ method: ModelMethod; entityType?: string }> {
	const model = await getEntitySetModel.call(this, entitySet, itemIndex);
	const method = (model.Methods ?? []).find((candidate) => candidate.Name === name);
	if (!method) {
		const available = (model.Methods ?? []).map((candidate) => candidate.Name).join(', ') || 'none';
		throw new NodeOperationError(this.getNode(), `${entitySet} has no method "${name}"`, {
			itemIndex,
			description: `The instance's model lists these methods for ${entitySet}: ${available}.`,
		});
	}
	if (isToolNode.call(this) && isUnsafeMethod(method.Name)) {
		throw new NodeOperationError(this.getNode(), `The method "${method.Name}" cannot be called by an AI agent`, {
			itemIndex,
			description:
				'Scripts, imports, transactions and administrative methods are only available in the regular ERP.net node.',
		});
	}
	return { method, entityType: model.ObjectType };
}

/**
 * The method's result as output records: 204 → a confirmation, a collection → one record per value, a primitive →
 * { value }.
 */
function outputOf(result: unknown, summary: IDataObject, options: CommonOptions): IDataObject[] {
	if (result === undefined || result === null || result === '') return [{ success: true, ...summary }];
	if (typeof result !== 'object') return [{ ...summary, value: result as string | number | boolean }];
	const body = result as IDataObject;
	if (Array.isArray(body.value)) {
		return (body.value as unknown[]).map((value) =>
			value && typeof value === 'object'
				? shapeRecord(value as IDataObject, options)
				: { ...summary, value: value as string },
		);
	}
	if ('value' in body && Object.keys(body).every((key) => key === 'value' || key.startsWith('@odata.'))) {
		return [{ ...summary, value: body.value }];
	}
	return [shapeRecord(body, options)];
}

/**
 * Calls a bound method (https://docs.erp.net/dev/domain-api/operations/index.html): actions with
 * `POST Set(id)/Name` and a JSON body, functions with `GET Set(id)/Name(p='x',...)`. Actions are writes and
 * are never repeated after an unclear failure.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = operationOptions<CommonOptions>(this, itemIndex);
	const name = stringParameter.call(this, 'method', itemIndex).trim();
	if (name === '') throw new NodeOperationError(this.getNode(), 'Choose the method to call', { itemIndex });
	const { method, entityType } = await findMethod.call(this, entitySet, name, itemIndex);
	const values = (this.getNodeParameter('methodParameters.value', itemIndex, {}) ?? {}) as IDataObject;
	const resource = entityId(entitySet, id);
	const isAction = method.IsAction !== false;
	const result = await erpNetApiRequest.call(this, {
		method: isAction ? 'POST' : 'GET',
		url: await odataUrl.call(
			this,
			`${resource}/${isAction ? method.Name : functionSegment(method, values, entityType)}`,
		),
		body: isAction ? actionBody(method, values, entityType) : undefined,
		headers: contextHeaders(this.getNode(), options, itemIndex),
		itemIndex,
		timeoutMs: timeoutMs(options),
		action: `call ${method.Name} on ${resource}`,
	});
	return { records: outputOf(result, { method: method.Name, id, entitySet }, options) };
}
