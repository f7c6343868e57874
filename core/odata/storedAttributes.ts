/**
 * Stored attributes (custom properties): `CustomProperty_<escaped code>` attributes whose value is a
 * `CustomPropertyValue` `{Value, ValueId, Description}`
 * (https://docs.erp.net/dev/domain-api/complex-types/custom-property-value.html,
 * https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html).
 */
import type { IDataObject } from 'n8n-workflow';

import { isGuid, parseEntityId } from './syntax';
import type { ModelAttribute, StoredAttributeDefinition } from './types';

export const STORED_ATTRIBUTE_PREFIX = 'CustomProperty_';

const KEPT = /^[A-Za-z0-9_]$/;
const VALUE_MEMBERS = new Set(['Value', 'ValueId', 'Description']);

/**
 * `EscapePropertyCode`: `A-Z`, `a-z`, `0-9` and `_` are kept; any other character becomes `_u` and its UTF-8
 * bytes in upper-case hex, one byte padded with `00` to four digits: `color.name` → `color_u002Ename`,
 * `Регион` → `_uD0A0_uD0B5_uD0B3_uD0B8_uD0BE_uD0BD`, `€` → `_uE282AC`.
 */
export function escapePropertyCode(code: string): string {
	const encoder = new TextEncoder();
	let escaped = '';
	for (const character of code) {
		if (KEPT.test(character)) {
			escaped += character;
			continue;
		}
		const hex = Array.from(encoder.encode(character), (byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(
			'',
		);
		escaped += `_u${hex.padStart(4, '0')}`;
	}
	return escaped;
}

/** The API name of a stored attribute: `CustomProperty_` + EscapePropertyCode(code). */
export function storedAttributeName(code: string): string {
	return `${STORED_ATTRIBUTE_PREFIX}${escapePropertyCode(code)}`;
}

export function isStoredAttributeName(name: string): boolean {
	return name.startsWith(STORED_ATTRIBUTE_PREFIX);
}

/** A model attribute that is a stored attribute (`IsCustomProperty`, or its name and `CustomPropertyValue` type). */
export function isStoredAttribute(attribute: ModelAttribute): boolean {
	return (
		attribute.IsCustomProperty === true ||
		(isStoredAttributeName(attribute.Name) && /CustomPropertyValue$/.test(attribute.Type ?? ''))
	);
}

/** What kind of value a stored attribute takes, from its definition. */
export type StoredAttributeKind = 'text' | 'allowedValues' | 'reference';

export function storedAttributeKind(definition: StoredAttributeDefinition | undefined): StoredAttributeKind {
	if (definition?.AllowedValuesEntityName) return 'reference';
	if (definition?.LimitToAllowedValues && (definition.AllowedValues ?? []).length > 0) return 'allowedValues';
	return 'text';
}

export class StoredAttributeValueError extends Error {}

/**
 * A user-given value to the `CustomPropertyValue` a write sends: an object with `Value`/`ValueId`/`Description`
 * (or its JSON text) as given; for a value from another entity, a GUID or `Set(guid)` as `{"ValueId": guid}`; any
 * other value as `{"Value": text}`; null stays null (clears the attribute).
 */
export function storedAttributeValue(
	value: unknown,
	name: string,
	definition?: StoredAttributeDefinition,
): IDataObject | null {
	if (value === null) return null;
	const given = typeof value === 'string' && value.trim().startsWith('{') ? parseObject(value, name) : value;
	if (given && typeof given === 'object' && !Array.isArray(given)) return checkedObject(given as IDataObject, name);
	if (typeof given !== 'string' && typeof given !== 'number' && typeof given !== 'boolean') {
		throw new StoredAttributeValueError(`${name} needs text or {"Value": "..."}, not ${JSON.stringify(given)}`);
	}
	const text = String(given).trim();
	if (storedAttributeKind(definition) === 'reference') {
		const id = parseEntityId(text)?.id ?? (isGuid(text) ? text.toLowerCase() : undefined);
		if (id) return { ValueId: id };
	}
	return { Value: text };
}

function parseObject(text: string, name: string): unknown {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text) as unknown;
	} catch {
		parsed = undefined;
	}
	if (parsed === undefined)
		throw new StoredAttributeValueError(`${name} is not valid JSON: give text or {"Value": "..."}`);
	return parsed;
}

function checkedObject(value: IDataObject, name: string): IDataObject {
	const unknown = Object.keys(value).filter((key) => !VALUE_MEMBERS.has(key));
	if (unknown.length > 0) {
		throw new StoredAttributeValueError(
			`${name} is a stored attribute: its value has only Value, ValueId and Description, not ${unknown.join(', ')}`,
		);
	}
	return value;
}

/**
 * Refuses a value that the definition does not allow, before any request: a stored attribute limited to its
 * allowed values takes one of them (by value or ValueId, case-insensitive as ERP.net compares).
 */
export function checkAllowedValue(
	value: IDataObject | null,
	name: string,
	definition?: StoredAttributeDefinition,
): void {
	if (value === null || storedAttributeKind(definition) !== 'allowedValues') return;
	const allowed = definition?.AllowedValues ?? [];
	const given = value.ValueId ?? value.Value;
	const matches = allowed.some((entry) =>
		value.ValueId
			? entry.ValueId === String(value.ValueId).toLowerCase()
			: entry.Value.toLowerCase() === String(value.Value ?? '').toLowerCase(),
	);
	if (!matches) {
		throw new StoredAttributeValueError(
			`"${String(given)}" is not an allowed value of ${name}. Allowed: ${allowed.map((entry) => entry.Value).join(', ')}`,
		);
	}
}

/** A stored attribute's value as Simplify outputs it: its short value (`Value`), or null. */
export function storedAttributeShortValue(value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	const complex = value as IDataObject;
	return 'Value' in complex ? (complex.Value ?? null) : value;
}
