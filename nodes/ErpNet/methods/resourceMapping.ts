import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { mapperFields } from '../helpers/fields';
import { getEntitySetModel } from '../../../core/transport/model';
import { currentEntitySet } from './currentEntitySet';

async function columnsFor(this: ILoadOptionsFunctions, forCreate: boolean): Promise<ResourceMapperFields> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return { fields: [], emptyFieldsNotice: 'Choose an entity set first' };
	const model = await getEntitySetModel.call(this, entitySet);
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
