/**
 * Stored attributes (custom properties), from
 * https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html and
 * https://docs.erp.net/dev/domain-api/complex-types/custom-property-value.html:
 * - definitions are records of `Systems_Bpm_CustomProperties`, allowed values records of
 *   `Systems_Bpm_CustomPropertyAllowedValues` (or of the entity named by `AllowedValuesEntityName`);
 * - each active definition is an attribute `CustomProperty_<escaped code>` of type `Erp.CustomPropertyValue`
 *   (`{Value, ValueId, Description}`) of the entity set its `EntityName` names;
 * - the Domain API "caches repositories and their attributes until the next restart": a definition created
 *   later is exposed only after `/api/domain/reset` (exposeStoredAttributes runs at start and on reset);
 * - filters use only the short value and only `eq`;
 * - `LimitToAllowedValues` "allows the property to be set only to allowed value"; `MaskLength` "limits the
 *   length of the property value" (https://docs.erp.net/model/entities/Systems.Bpm.CustomProperties.html).
 * Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/model), licensed CC BY 4.0.
 */
import type { AttributeDefinition, StoredAttributeDefinition } from '../../schema/types';
import { isGuid } from '../../store/guid-order';
import { idFromODataId, type EntityRecord, type MemoryStore } from '../../store/memory-store';
import { BusinessRuleError, conversionError, NotSupportedError, ODataRequestError } from '../errors';
import type { EntitySetInfo, ModelIndex } from './model-index';

export const CUSTOM_PROPERTIES_SET = 'Systems_Bpm_CustomProperties';
export const ALLOWED_VALUES_SET = 'Systems_Bpm_CustomPropertyAllowedValues';
export const STORED_ATTRIBUTE_PREFIX = 'CustomProperty_';
const EDM_TYPE = 'Erp.CustomPropertyValue';

/** The stored form of a `CustomPropertyValue`. */
export interface CustomPropertyValue {
	Value: string | null;
	ValueId: string | null;
	Description: Record<string, string> | null;
}

/**
 * `EscapePropertyCode`: letters `A-Z`, `a-z`, digits and `_` are kept; any other character becomes `_u` and its
 * UTF-8 bytes in upper-case hex, a single byte padded with `00` to four digits (`.` → `_u002E`, `ж` → `_uD0B6`,
 * `€` → `_uE282AC`). custom-property-value.html names the kept letters `A-Z`, `a-z`; stored-attributes.html
 * says "letters", so the stricter, explicit one is followed.
 */
export function escapePropertyCode(code: string): string {
	let escaped = '';
	for (const character of code) {
		if (/^[A-Za-z0-9_]$/.test(character)) escaped += character;
		else escaped += `_u${Buffer.from(character, 'utf8').toString('hex').toUpperCase().padStart(4, '0')}`;
	}
	return escaped;
}

export function storedAttributeName(code: string): string {
	return `${STORED_ATTRIBUTE_PREFIX}${escapePropertyCode(code)}`;
}

export function isStoredAttribute(attribute: AttributeDefinition | undefined): boolean {
	return attribute?.storedAttribute !== undefined;
}

/**
 * Re-reads the definitions into the model (the Domain API's model cache): what `/api/domain/reset` does.
 * `EntityName` is matched as the docs write it (`Crm_Sales_Customers`), in repository form
 * (`Crm.Sales.Customers`), or by an old name (https://docs.erp.net/dev/domain-api/common-tasks/handling-renames.html).
 */
export function exposeStoredAttributes(store: MemoryStore): void {
	const model = store.model;
	for (const set of model.sets) withdrawStoredAttributes(set);
	if (!store.has(CUSTOM_PROPERTIES_SET)) return;
	for (const definition of store.scan(CUSTOM_PROPERTIES_SET)) {
		if (definition.IsActive === false || typeof definition.Code !== 'string') continue;
		const set = setOfEntityName(model, definition.EntityName);
		if (!set) continue;
		const attribute = storedAttributeOf(definition);
		set.attributes.push(attribute);
		set.attributeByName.set(attribute.name, attribute);
	}
}

function withdrawStoredAttributes(set: EntitySetInfo): void {
	if (!set.attributes.some(isStoredAttribute)) return;
	set.attributes = set.attributes.filter((attribute) => !isStoredAttribute(attribute));
	for (const [name, attribute] of set.attributeByName)
		if (isStoredAttribute(attribute)) set.attributeByName.delete(name);
}

function setOfEntityName(model: ModelIndex, entityName: unknown): EntitySetInfo | undefined {
	if (typeof entityName !== 'string') return undefined;
	const name = entityName.replace(/\./g, '_');
	return model.getSet(name) ?? model.getSet(model.resolveRename(name) ?? '');
}

function storedAttributeOf(definition: EntityRecord): AttributeDefinition {
	const code = definition.Code as string;
	const name = definition.Name as Record<string, string> | null;
	const storedAttribute: StoredAttributeDefinition = {
		propertyId: definition.Id as string,
		code,
		limitToAllowedValues: definition.LimitToAllowedValues === true,
	};
	if (typeof definition.AllowedValuesEntityName === 'string' && definition.AllowedValuesEntityName !== '') {
		storedAttribute.allowedValuesEntityName = definition.AllowedValuesEntityName.replace(/\./g, '_');
	}
	if (typeof definition.MaskLength === 'number') storedAttribute.maskLength = definition.MaskLength;
	return {
		name: storedAttributeName(code),
		type: 'CustomPropertyValue',
		nullable: true,
		required: false,
		readOnly: false,
		filters: ['eq'],
		orderable: false,
		description: name?.EN ?? Object.values(name ?? {})[0] ?? code,
		storedAttribute,
	};
}

// ---------------------------------------------------------------------------------------------------------
// Filters

/** `CustomProperty_color eq 'apple'` only: "you must use only the short value (`Value`) and only `eq` is supported". */
export function refuseStoredAttributeFilter(attribute: AttributeDefinition | undefined, operation: string): void {
	if (!isStoredAttribute(attribute)) return;
	throw new NotSupportedError(
		`The stored attribute '${attribute?.name}' can only be filtered with eq and its short value, e.g. ` +
			`${attribute?.name} eq 'value'; '${operation}' is not supported.`,
	);
}

export function storedAttributeShortValue(value: unknown): unknown {
	return value && typeof value === 'object' ? ((value as { Value?: unknown }).Value ?? null) : null;
}

// ---------------------------------------------------------------------------------------------------------
// Writes

/**
 * A written `CustomPropertyValue` (`{"Value": ..., "ValueId"?: ..., "Description"?: ...}`) to its stored form. With
 * allowed values, the entry is found by `ValueId` or by `Value` and its own value, id and description are stored.
 */
export function convertStoredAttributeValue(
	attribute: AttributeDefinition,
	value: unknown,
	store: MemoryStore,
): unknown {
	const definition = attribute.storedAttribute as StoredAttributeDefinition;
	if (value === null) return null;
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw conversionError(value, EDM_TYPE);
	const given = value as Record<string, unknown>;
	for (const key of Object.keys(given)) {
		if (!['Value', 'ValueId', 'Description'].includes(key)) {
			throw new ODataRequestError(`The property '${key}' does not exist on type '${EDM_TYPE}'.`);
		}
	}
	const written = writtenValue(given);
	if (written.Value === null && written.ValueId === null) return null;
	const entry = allowedEntry(definition, written, store);
	if (entry) return entry;
	if (definition.limitToAllowedValues || definition.allowedValuesEntityName) {
		throw new BusinessRuleError(
			`The value '${written.Value ?? written.ValueId}' is not an allowed value of the stored attribute '${definition.code}' ` +
				`(${attribute.name}).`,
		);
	}
	if (written.ValueId !== null) {
		throw new BusinessRuleError(
			`The stored attribute '${definition.code}' has no allowed value with the ValueId '${written.ValueId}'.`,
		);
	}
	checkMaskLength(definition, written.Value ?? '');
	return written;
}

function writtenValue(given: Record<string, unknown>): CustomPropertyValue {
	const value = given.Value ?? null;
	if (value !== null && typeof value !== 'string') throw conversionError(given, EDM_TYPE);
	const valueId = given.ValueId ?? null;
	if (valueId !== null && (typeof valueId !== 'string' || !isGuid(valueId))) throw conversionError(valueId, 'Edm.Guid');
	const description = given.Description ?? null;
	if (description !== null && (typeof description !== 'object' || Array.isArray(description))) {
		throw conversionError(description, 'Erp.MultilanguageString');
	}
	return {
		Value: value,
		ValueId: valueId === null ? null : valueId.toLowerCase(),
		Description: description as Record<string, string> | null,
	};
}

function checkMaskLength(definition: StoredAttributeDefinition, value: string): void {
	if (definition.maskLength !== undefined && definition.maskLength > 0 && value.length > definition.maskLength) {
		throw new BusinessRuleError(
			`The value of the stored attribute '${definition.code}' is too long: ${value.length} characters, the maximum is ${definition.maskLength}.`,
		);
	}
}

/** The allowed value a write names, by `ValueId` or by `Value` (case-insensitive, as SQL Server compares). */
function allowedEntry(
	definition: StoredAttributeDefinition,
	written: CustomPropertyValue,
	store: MemoryStore,
): CustomPropertyValue | undefined {
	const matches = (entry: CustomPropertyValue) =>
		written.ValueId !== null
			? entry.ValueId === written.ValueId
			: entry.Value?.toLowerCase() === written.Value?.toLowerCase();
	return allowedValues(definition, store).find(matches);
}

/** The allowed values of a definition: active `Systems_Bpm_CustomPropertyAllowedValues`, or the records of `AllowedValuesEntityName`. */
export function allowedValues(definition: StoredAttributeDefinition, store: MemoryStore): CustomPropertyValue[] {
	if (definition.allowedValuesEntityName) return entityAllowedValues(definition.allowedValuesEntityName, store);
	if (!store.has(ALLOWED_VALUES_SET)) return [];
	const values: CustomPropertyValue[] = [];
	for (const record of store.scan(ALLOWED_VALUES_SET)) {
		if (record.Active === false || idFromODataId(referenceOdataId(record.Property)) !== definition.propertyId) continue;
		values.push({
			Value: record.PropertyAllowedValueField as string,
			ValueId: record.Id as string,
			Description: (record.Description as Record<string, string> | null) ?? null,
		});
	}
	return values;
}

function referenceOdataId(value: unknown): string {
	return value && typeof value === 'object' ? String((value as Record<string, unknown>)['@odata.id'] ?? '') : '';
}

/** Values from another entity: the record's code member is the short value, its name member the description. */
function entityAllowedValues(entitySet: string, store: MemoryStore): CustomPropertyValue[] {
	const set = store.model.getSet(entitySet);
	if (!set || !store.has(entitySet)) return [];
	const codeMember = set.definition.codeMember;
	const nameMember = set.definition.nameMember;
	const values: CustomPropertyValue[] = [];
	for (const record of store.scan(entitySet)) {
		const code = codeMember ? record[codeMember] : undefined;
		const name = nameMember ? record[nameMember] : undefined;
		values.push({
			Value: typeof code === 'string' ? code : String(record.Id),
			ValueId: record.Id as string,
			Description: name && typeof name === 'object' ? (name as Record<string, string>) : null,
		});
	}
	return values;
}
