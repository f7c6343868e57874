import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { SummaryField } from '../../../core/query';
import { fieldsOf, isDate, isDimension, isFollowable, isMeasure } from '../../../core/query';
import { getEntitySetModel } from '../../../core/transport';
import { currentEntitySet } from './currentEntitySet';

/**
 * The fields Summarize offers come from the entity set's model (`Attributes`, `References`), so every attribute the
 * model lists, stored attributes (custom properties) included, is offered when its type is a dimension or a measure.
 */

/** Dimensions of the set and, one reference deep, of the sets its ownership and filterable references point to. */
export async function getGroupableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return [];
	const model = await getEntitySetModel.call(this, entitySet);
	const fields = fieldsOf(model);
	for (const reference of (model.References ?? []).filter(isFollowable)) {
		if (!reference.ReferencedEntitySet) continue;
		const target = await getEntitySetModel.call(this, reference.ReferencedEntitySet);
		fields.push(...fieldsOf(target, `${reference.Name}/`));
	}
	return asOptions(fields.filter(isDimension), groupDescription);
}

/** Measures (sum, min, max) and dimensions (count distinct) of the set. */
export async function getAggregatableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return [];
	const model = await getEntitySetModel.call(this, entitySet);
	return asOptions(
		fieldsOf(model).filter((field) => isMeasure(field) || isDimension(field)),
		(field) =>
			isMeasure(field) ? `${typeOf(field)}: sum, min, max, count distinct` : `${typeOf(field)}: count distinct only`,
	);
}

function groupDescription(field: SummaryField): string {
	return isDate(field) ? `${typeOf(field)}: group by value, year, year and month, or date` : typeOf(field);
}

function typeOf(field: SummaryField): string {
	if (field.reference) return `Reference to ${field.reference.ReferencedEntitySet ?? 'another record'}`;
	return field.attribute?.Type ?? 'Field';
}

function asOptions(fields: SummaryField[], describe: (field: SummaryField) => string): INodePropertyOptions[] {
	return fields
		.map((field) => ({ name: field.path, value: field.path, description: describe(field) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
