/** Attribute values from JSON to their stored form, with the type checks of the Edm types. */
import type { AttributeDefinition } from '../../schema/types';
import { isGuid } from '../../store/guid-order';
import { BusinessRuleError, conversionError, ODataRequestError } from '../errors';

export function convertAttributeValue(attribute: AttributeDefinition, value: unknown): unknown {
	if (value === null) {
		if (!attribute.nullable) throw new ODataRequestError(`The property '${attribute.name}' cannot be null.`);
		return null;
	}
	switch (attribute.type) {
		case 'String':
		case 'Time':
		case 'Binary':
			return convertString(attribute, value);
		case 'MultilanguageString':
			return convertMultilanguage(attribute, value);
		case 'Boolean':
			if (typeof value !== 'boolean') throw conversionError(value, 'Edm.Boolean');
			return value;
		case 'Int16':
		case 'Int32':
		case 'Int64':
			if (typeof value !== 'number' || !Number.isInteger(value)) throw conversionError(value, `Edm.${attribute.type}`);
			return value;
		case 'Decimal':
			return convertDecimal(value);
		case 'DateTime':
			return convertDate(value);
		case 'Date':
			return convertDate(value).slice(0, 10) + 'T00:00:00Z';
		case 'Guid':
			if (typeof value !== 'string' || !isGuid(value)) throw conversionError(value, 'Edm.Guid');
			return value.toLowerCase();
		case 'Enum':
			return convertEnum(attribute, value);
		case 'Amount':
			return convertComplex(value, 'Currency', 'Erp.Amount');
		case 'Quantity':
			return convertComplex(value, 'Unit', 'Erp.Quantity');
		case 'CustomPropertyValue':
			// Checked against its definition and allowed values by parseBody (stored-attributes.ts), which has the store.
			return value;
	}
}

function convertString(attribute: AttributeDefinition, value: unknown): string {
	if (typeof value !== 'string') throw conversionError(value, 'Edm.String');
	if (attribute.maxLength !== undefined && value.length > attribute.maxLength) {
		throw new BusinessRuleError(
			`The value of '${attribute.name}' is too long: ${value.length} characters, the maximum is ${attribute.maxLength}.`,
		);
	}
	return value;
}

/** Multi-language values replace all languages at once (https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html). */
function convertMultilanguage(attribute: AttributeDefinition, value: unknown): Record<string, string> {
	if (!value || typeof value !== 'object' || Array.isArray(value))
		throw conversionError(value, 'Erp.MultilanguageString');
	const result: Record<string, string> = {};
	for (const [language, text] of Object.entries(value)) {
		if (typeof text !== 'string') throw conversionError(value, 'Erp.MultilanguageString');
		if (attribute.maxLength !== undefined && text.length > attribute.maxLength) {
			throw new BusinessRuleError(
				`The value of '${attribute.name}' (${language}) is too long: the maximum is ${attribute.maxLength}.`,
			);
		}
		result[language] = text;
	}
	return result;
}

/** IEEE754Compatible=false: numbers; https://docs.erp.net/dev/domain-api/complex-types/amount.html also shows `"3.55"`, so numeric strings are accepted. */
function convertDecimal(value: unknown): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) throw conversionError(value, 'Edm.Decimal');
	return number;
}

/**
 * `"2022-01-01"` (https://docs.erp.net/dev/domain-api/common-tasks/change-language.html) and `"2020-05-08T00:00:00Z"`
 * are both accepted; stored as UTC ISO. A Date attribute keeps the date of that UTC instant, as ERP.net does
 * (`2026-01-31T00:00:00+02:00` is stored as 2026-01-30), and is read back at midnight, like the real
 * `"DocumentDate":"2020-05-08T00:00:00Z"` (https://docs.erp.net/dev/domain-api/data-manipulation/transactions.html).
 */
function convertDate(value: unknown): string {
	if (typeof value !== 'string') throw conversionError(value, 'Edm.DateTimeOffset');
	const text = value.length === 10 ? `${value}T00:00:00Z` : value;
	const instant = Date.parse(text);
	if (Number.isNaN(instant)) throw conversionError(value, 'Edm.DateTimeOffset');
	return new Date(instant).toISOString().replace('.000Z', 'Z');
}

function convertEnum(attribute: AttributeDefinition, value: unknown): string {
	const members = attribute.enumValues ?? [];
	const member =
		typeof value === 'string'
			? members.find((candidate) => candidate.name.toLowerCase() === value.toLowerCase())
			: undefined;
	if (!member) {
		throw new ODataRequestError(
			`The value '${String(value)}' is not valid for '${attribute.name}'. Valid values: ${members.map((candidate) => candidate.name).join(', ')}.`,
		);
	}
	return member.name;
}

function convertComplex(value: unknown, unitName: 'Currency' | 'Unit', edmType: string): Record<string, unknown> {
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw conversionError(value, edmType);
	const complex = value as Record<string, unknown>;
	for (const name of Object.keys(complex)) {
		if (name !== 'Value' && name !== unitName) {
			throw new ODataRequestError(`The property '${name}' does not exist on type '${edmType}'.`);
		}
	}
	const unit = complex[unitName];
	if (unit !== undefined && unit !== null && typeof unit !== 'string') throw conversionError(value, edmType);
	return { Value: convertDecimal(complex.Value), [unitName]: unit ?? null };
}
