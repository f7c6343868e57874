import type { FieldType, IDataObject, ResourceMapperField } from 'n8n-workflow';

import type { ModelAttribute, ModelReference, ModelRepositoryDetails } from '../../../core/odata';
import {
	AMOUNT_OR_QUANTITY_TYPE,
	checkAllowedValue,
	dateValue,
	entityId,
	isDateOnlyAttribute,
	isDateType,
	isGuid,
	isStoredAttribute,
	MULTILANGUAGE_TYPE,
	parseEntityId,
	storedAttributeKind,
	storedAttributeValue,
} from '../../../core/odata';

/** System attributes ERP.net maintains itself; never offered for writing. */
const SYSTEM_ATTRIBUTES = new Set([
	'Id',
	'ObjectVersion',
	'DisplayText',
	'AggregateLastUpdateTimeUtc',
	'CreationTime',
	'CreationUser',
	'UpdateTime',
	'UpdateUser',
	'AdditionalDataJson',
]);

/** The resource-mapper field type of each OData primitive type (record fields and method parameters). */
export const EDM_FIELD_TYPES: Record<string, FieldType> = {
	'Edm.String': 'string',
	'Edm.Boolean': 'boolean',
	'Edm.Byte': 'number',
	'Edm.Int16': 'number',
	'Edm.Int32': 'number',
	'Edm.Int64': 'number',
	'Edm.Decimal': 'number',
	'Edm.Double': 'number',
	'Edm.Single': 'number',
	'Edm.DateTimeOffset': 'dateTime',
	'Edm.Date': 'dateTime',
	'Edm.TimeOfDay': 'time',
	'Edm.Duration': 'string',
	'Edm.Guid': 'string',
};

export function isWritableAttribute(attribute: ModelAttribute): boolean {
	return !attribute.ReadOnly && !attribute.IsCalculatedDataAttribute && !SYSTEM_ATTRIBUTES.has(attribute.Name);
}

export function attributeFieldType(attribute: ModelAttribute): FieldType {
	if (attribute.enumValues && attribute.enumValues.length > 0) return 'options';
	if (isStoredAttribute(attribute))
		return storedAttributeKind(attribute.StoredAttribute) === 'allowedValues' ? 'options' : 'string';
	const type = attribute.Type ?? '';
	if (EDM_FIELD_TYPES[type]) return EDM_FIELD_TYPES[type];
	if (MULTILANGUAGE_TYPE.test(type) || AMOUNT_OR_QUANTITY_TYPE.test(type)) return 'object';
	return 'string';
}

function isRequiredOnCreate(info: ModelAttribute['BaseInfo']): boolean {
	return info?.RequiresUserInput === true;
}

/**
 * What a stored attribute takes, from its definition
 * (https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html).
 */
export function describeStoredAttribute(attribute: ModelAttribute): string {
	const definition = attribute.StoredAttribute;
	const name = definition?.Name ? `"${definition.Name}", ` : '';
	switch (storedAttributeKind(definition)) {
		case 'reference':
			return `stored attribute ${name}a record of ${definition?.AllowedValuesEntityName}: GUID, ID or its code`;
		case 'allowedValues':
			return `stored attribute ${name}one of its allowed values`;
		default:
			return `stored attribute ${name}text`;
	}
}

function describeType(attribute: ModelAttribute): string {
	if (isStoredAttribute(attribute)) return describeStoredAttribute(attribute);
	const type = attribute.Type ?? '';
	if (MULTILANGUAGE_TYPE.test(type)) return 'multi-language text, e.g. {"EN": "Text"} or plain text';
	if (/Amount$/i.test(type)) return 'amount, e.g. {"Value": 10.5, "Currency": "EUR"} or a number';
	if (/Quantity$/i.test(type)) return 'quantity, e.g. {"Value": 2, "Unit": "pcs"} or a number';
	return type.replace(/^Edm\./, '');
}

/** Resource-mapper fields for create/update, built from the repository's detailed model. */
export function mapperFields(model: ModelRepositoryDetails, forCreate: boolean): ResourceMapperField[] {
	const attributes = (model.Attributes ?? []).filter(isWritableAttribute).map((attribute): ResourceMapperField => {
		const type = attributeFieldType(attribute);
		return {
			id: attribute.Name,
			displayName: `${attribute.Name} (${describeType(attribute)})`,
			required: forCreate && isRequiredOnCreate(attribute.BaseInfo),
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type,
			options: type === 'options' ? attributeOptions(attribute) : undefined,
		};
	});
	const references = (model.References ?? [])
		.filter((reference) => !reference.ReadOnly)
		.map(
			(reference): ResourceMapperField => ({
				id: reference.Name,
				displayName: `${reference.Name} (reference to ${reference.ReferencedEntitySet ?? 'a record'}: GUID, ID or code)`,
				required: forCreate && isRequiredOnCreate(reference.BaseInfo),
				defaultMatch: false,
				canBeUsedToMatch: false,
				display: true,
				type: 'string',
			}),
		);
	return [...attributes, ...references].sort(
		(a, b) => Number(b.required) - Number(a.required) || a.id.localeCompare(b.id),
	);
}

/** Enum members, or the allowed values of a stored attribute limited to them (loaded from the instance). */
function attributeOptions(attribute: ModelAttribute): Array<{ name: string; value: string }> {
	if (isStoredAttribute(attribute)) {
		return (attribute.StoredAttribute?.AllowedValues ?? []).map((entry) => ({
			name:
				entry.Description && entry.Description !== entry.Value ? `${entry.Value} (${entry.Description})` : entry.Value,
			value: entry.Value,
		}));
	}
	return (attribute.enumValues ?? []).map((member) => ({
		name: member.LocalizedName ?? member.Name,
		value: member.Name,
	}));
}

/**
 * A reference value as the Domain API accepts it: a GUID or `Set(guid)` becomes
 * `{"@odata.id": ...}`; a JSON object is passed on (ERP.net finds by its properties); any other
 * text is looked up by code with `@erpnet.findBy`
 * (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html).
 */
export function referenceValue(value: unknown, reference: ModelReference): unknown {
	// A number is a code too, e.g. a customer number read from a spreadsheet.
	if (typeof value === 'number' && Number.isFinite(value)) return referenceValue(String(value), reference);
	if (value === null || value === undefined || typeof value !== 'string') return value;
	const text = value.trim();
	if (text === '') return null;
	if (isGuid(text) && reference.ReferencedEntitySet) {
		return { '@odata.id': entityId(reference.ReferencedEntitySet, text) };
	}
	const parsedId = parseEntityId(text);
	if (parsedId) return { '@odata.id': entityId(parsedId.entitySet, parsedId.id) };
	return parseJsonObject(text) ?? { '@erpnet.findBy': { Code: text } };
}

function parseJsonObject(text: string): unknown {
	if (!text.trim().startsWith('{')) return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function attributeValue(value: unknown, attribute: ModelAttribute, language: string): unknown {
	const type = attribute.Type ?? '';
	const isMultilanguage = MULTILANGUAGE_TYPE.test(type);
	const isAmountOrQuantity = AMOUNT_OR_QUANTITY_TYPE.test(type);
	if (isDateType(type)) return dateValue(value, isDateOnlyAttribute(attribute));
	if (typeof value !== 'string' && typeof value !== 'number') return value;
	if ((isMultilanguage || isAmountOrQuantity) && typeof value === 'string') {
		const parsed = parseJsonObject(value);
		if (parsed !== undefined) return parsed;
	}
	if (isMultilanguage) return { [language]: String(value) };
	if (isAmountOrQuantity && String(value).trim() !== '' && !Number.isNaN(Number(value))) {
		return { Value: Number(value) };
	}
	return value;
}

/** Converts user-given field values to the Domain API's JSON, using the model where it knows the field. */
export function toDomainApiBody(
	fields: IDataObject,
	model: ModelRepositoryDetails | undefined,
	language = 'EN',
): IDataObject {
	const attributes = new Map((model?.Attributes ?? []).map((attribute) => [attribute.Name, attribute]));
	const references = new Map((model?.References ?? []).map((reference) => [reference.Name, reference]));
	const body: IDataObject = {};
	for (const [name, value] of Object.entries(fields)) {
		const reference = references.get(name);
		const attribute = attributes.get(name);
		if (reference) body[name] = referenceValue(value, reference) as IDataObject;
		else if (attribute && isStoredAttribute(attribute)) body[name] = storedAttributeBody(value, attribute);
		else if (attribute) body[name] = attributeValue(value, attribute, language.toUpperCase()) as IDataObject;
		else body[name] = value;
	}
	return body;
}

/**
 * A stored attribute in the `CustomPropertyValue` shape
 * (https://docs.erp.net/dev/domain-api/complex-types/custom-property-value.html);
 * a value outside its allowed values is refused here (StoredAttributeValueError), before any request.
 */
function storedAttributeBody(value: unknown, attribute: ModelAttribute): IDataObject | null {
	const body = storedAttributeValue(value, attribute.Name, attribute.StoredAttribute);
	checkAllowedValue(body, attribute.Name, attribute.StoredAttribute);
	return body;
}

/** Multi-language attributes given as plain text: only the chosen language of them changes. */
export function plainTextMultilanguageFields(fields: IDataObject, model: ModelRepositoryDetails | undefined): string[] {
	const multilanguage = new Set(
		(model?.Attributes ?? [])
			.filter((attribute) => MULTILANGUAGE_TYPE.test(attribute.Type ?? ''))
			.map((attribute) => attribute.Name),
	);
	return Object.entries(fields)
		.filter(([name, value]) => multilanguage.has(name) && (typeof value === 'string' || typeof value === 'number'))
		.filter(([, value]) => typeof value === 'number' || parseJsonObject(String(value)) === undefined)
		.map(([name]) => name);
}
