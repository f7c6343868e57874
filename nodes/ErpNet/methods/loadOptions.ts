import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { ModelAttribute } from '../../../core/odata';
import { isStoredAttribute } from '../../../core/odata';
import { getEntitySetFields, getEntitySetModel } from '../../../core/transport';
import { describeStoredAttribute } from '../helpers/fields';
import { isUnsafeMethod } from '../helpers/modelMethods';
import { currentEntitySet } from './currentEntitySet';

/** Attributes and references of the chosen entity set, for `$select`. */
export async function getSelectableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return [];
	const model = await getEntitySetFields.call(this, entitySet);
	const attributes = (model.Attributes ?? []).map((attribute) => ({
		name: attribute.Name,
		value: attribute.Name,
		description: isStoredAttribute(attribute)
			? storedAttributeHint(attribute)
			: (attribute.LocalizedDescription ?? attribute.Type),
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
	const model = await getEntitySetFields.call(this, entitySet);
	const attributes = (model.Attributes ?? [])
		.filter((attribute) => attribute.BaseInfo?.SupportedFilters !== 'NotFilterable')
		.map((attribute) => ({
			name: attribute.Name,
			value: attribute.Name,
			description: isStoredAttribute(attribute) ? `${storedAttributeHint(attribute)}; Equals only` : attribute.Type,
		}));
	const references = (model.References ?? []).map((reference) => ({
		name: reference.Name,
		value: reference.Name,
		description: `Reference to ${reference.ReferencedEntitySet ?? 'another record'} (compare by GUID)`,
	}));
	return [...attributes, ...references].sort((a, b) => a.name.localeCompare(b.name));
}

/** A stored attribute's definition in a field list, with its allowed values when it has a few. */
function storedAttributeHint(attribute: ModelAttribute): string {
	const allowed = (attribute.StoredAttribute?.AllowedValues ?? []).map((entry) => entry.Value);
	const listed = allowed.length > 0 && allowed.length <= 10 ? ` (${allowed.join(', ')})` : '';
	return `${describeStoredAttribute(attribute)}${listed}`;
}

/**
 * Methods the instance's model lists for the chosen entity set (`Methods`,
 * https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html). The AI-tool
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
			description:
				`${method.IsAction === false ? 'Function (reads, GET)' : 'Action (POST, may change data)'}; ` +
				`returns ${method.ReturnType ?? 'nothing'}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export { getAggregatableFields, getGroupableFields } from './summaryFields';
