import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getEntitySetModel } from '../../../core/transport/model';
import { isUnsafeMethod } from '../helpers/methods';
import { currentEntitySet } from './currentEntitySet';

/** Attributes and references of the chosen entity set, for `$select`. */
export async function getSelectableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return [];
	const model = await getEntitySetModel.call(this, entitySet);
	const attributes = (model.Attributes ?? []).map((attribute) => ({
		name: attribute.Name,
		value: attribute.Name,
		description: attribute.LocalizedDescription ?? attribute.Type,
	}));
	const references = (model.References ?? []).map((reference) => ({
		name: reference.Name,
		value: reference.Name,
		description: `Reference to ${reference.ReferencedEntitySet ?? 'another record'}`,
	}));
	const children = (model.ChildCollections ?? []).map((child) => ({
		name: child.Name,
		value: child.Name,
		description: `Child collection (${child.ChildEntitySet ?? 'records'})`,
	}));
	return [...attributes, ...references, ...children].sort((a, b) => a.name.localeCompare(b.name));
}

/** Attributes and references that ERP.net can filter on, for the "Conditions" filter UI. */
export async function getFilterableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return [];
	const model = await getEntitySetModel.call(this, entitySet);
	const attributes = (model.Attributes ?? [])
		.filter((attribute) => attribute.BaseInfo?.SupportedFilters !== 'NotFilterable')
		.map((attribute) => ({ name: attribute.Name, value: attribute.Name, description: attribute.Type }));
	const references = (model.References ?? []).map((reference) => ({
		name: reference.Name,
		value: reference.Name,
		description: `Reference to ${reference.ReferencedEntitySet ?? 'another record'} (compare by GUID)`,
	}));
	return [...attributes, ...references].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Methods the instance's model lists for the chosen entity set (`Methods`, https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html). The AI-tool
 * variant of the node is not offered scripts, imports, transactions or administrative methods.
 */
export async function getMethods(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return [];
	const model = await getEntitySetModel.call(this, entitySet);
	const forTool = this.getNode().type.endsWith('Tool');
	return (model.Methods ?? [])
		.filter((method) => !(forTool && isUnsafeMethod(method.Name)))
		.map((method) => ({
			name: method.Name,
			value: method.Name,
			description: `${method.IsAction === false ? 'Function (reads, GET)' : 'Action (POST, may change data)'}; returns ${method.ReturnType ?? 'nothing'}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export { getAggregatableFields, getGroupableFields } from './summaryFields';
