import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { mapperFields } from '../helpers/fields';
import { methodParameterFields } from '../helpers/modelMethods';
import { getEntitySetFields, getEntitySetModel } from '../../../core/transport';
import { currentEntitySet } from './currentEntitySet';

async function columnsFor(this: ILoadOptionsFunctions, forCreate: boolean): Promise<ResourceMapperFields> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return { fields: [], emptyFieldsNotice: 'Choose an entity set first' };
	const model = await getEntitySetFields.call(this, entitySet);
	return { fields: mapperFields(model, forCreate) };
}

/** Writable fields of the chosen entity set, with the ones ERP.net requires on create marked required. */
export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return await columnsFor.call(this, true);
}

/** Writable fields of the chosen entity set; none is required on update (PATCH sends only what is given). */
export async function getColumnsForUpdate(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return await columnsFor.call(this, false);
}

/** Parameters of the chosen method, typed from the model (the binding parameter, the record itself, is left out). */
export async function getMethodParameters(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return { fields: [], emptyFieldsNotice: 'Choose an entity set first' };
	const name = String(this.getCurrentNodeParameter('method') ?? '');
	if (name === '') return { fields: [], emptyFieldsNotice: 'Choose a method first' };
	const model = await getEntitySetModel.call(this, entitySet);
	const method = (model.Methods ?? []).find((candidate) => candidate.Name === name);
	if (!method) return { fields: [], emptyFieldsNotice: `${entitySet} has no method ${name}` };
	const fields = methodParameterFields(method, model.ObjectType);
	return fields.length > 0 ? { fields } : { fields, emptyFieldsNotice: `${name} has no parameters` };
}
