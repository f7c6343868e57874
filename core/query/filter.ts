import { isDateOnlyAttribute, isDateType, normalizedDate } from '../odata/dates';
import { AMOUNT_OR_QUANTITY_TYPE, MULTILANGUAGE_TYPE, NUMERIC_TYPE } from '../odata/modelTypes';
import { isStoredAttribute } from '../odata/storedAttributes';
import { entityId, isGuid, parseEntityId, stringLiteral } from '../odata/syntax';
import type { ModelAttribute, ModelRepositoryDetails } from '../odata/types';

/** One row of the node's "Conditions" filter UI. */
export interface FilterCondition {
	field: string;
	operator: 'eq' | 'ge' | 'le' | 'contains' | 'startswith' | 'endswith' | 'in';
	value: string | number | boolean;
}

/**
 * The operators ERP.net's $filter supports: no `or`, `ne`, `gt`, `lt`
 * (https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html).
 */
export const FILTER_OPERATORS: Array<{ name: string; value: FilterCondition['operator'] }> = [
	{ name: 'Contains', value: 'contains' },
	{ name: 'Ends With', value: 'endswith' },
	{ name: 'Equals', value: 'eq' },
	{ name: 'Greater Than or Equal', value: 'ge' },
	{ name: 'Is One Of (Comma-Separated)', value: 'in' },
	{ name: 'Less Than or Equal', value: 'le' },
	{ name: 'Starts With', value: 'startswith' },
];

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export class FilterConditionError extends Error {}

/** Builds a `$filter` expression from UI conditions, typing each literal from the entity set's model. */
export function buildFilter(
	conditions: FilterCondition[],
	model: ModelRepositoryDetails | undefined,
): string | undefined {
	const parts = conditions
		.filter((condition) => condition.field?.trim())
		.map((condition) => conditionText(condition, model));
	return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** Joins the UI filter and the raw `$filter` option; ERP.net only combines with `and`. */
export function combineFilters(...filters: Array<string | undefined>): string | undefined {
	const parts = filters.map((filter) => filter?.trim()).filter((filter): filter is string => !!filter);
	if (parts.length <= 1) return parts[0];
	return parts.map((filter) => `(${filter})`).join(' and ');
}

function conditionText(condition: FilterCondition, model: ModelRepositoryDetails | undefined): string {
	const field = condition.field.trim();
	if (!/^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/.test(field)) {
		throw new FilterConditionError(`"${field}" is not a field name`);
	}
	const attribute = model?.Attributes?.find((candidate) => candidate.Name === field);
	const reference = model?.References?.find((candidate) => candidate.Name === field);
	const type = attribute?.Type ?? '';
	const subject = AMOUNT_OR_QUANTITY_TYPE.test(type) ? `${field}Value` : field;
	// https://docs.erp.net/dev/domain-api/complex-types/custom-property-value.html: "only the short value (Value) and only
	// eq".
	if (attribute && isStoredAttribute(attribute) && condition.operator !== 'eq') {
		throw new FilterConditionError(
			`${field} is a stored attribute: ERP.net can only filter it with "Equals" (its short value)`,
		);
	}
	if (MULTILANGUAGE_TYPE.test(type) && condition.operator !== 'contains') {
		throw new FilterConditionError(`${field} is multi-language text: ERP.net can only filter it with "Contains"`);
	}
	const literal = (value: string | number | boolean) =>
		reference ? referenceLiteral(String(value), reference.ReferencedEntitySet) : valueLiteral(value, attribute);

	switch (condition.operator) {
		case 'contains':
		case 'startswith':
		case 'endswith':
			return `${condition.operator}(${subject},${stringLiteral(String(condition.value))})`;
		case 'in': {
			const values = String(condition.value)
				.split(',')
				.map((value) => value.trim())
				.filter((value) => value !== '');
			if (values.length === 0) throw new FilterConditionError(`Give at least one value for ${field}`);
			return `${subject} in (${values.map(literal).join(',')})`;
		}
		default:
			return `${subject} ${condition.operator} ${literal(condition.value)}`;
	}
}

function valueLiteral(value: string | number | boolean, attribute: ModelAttribute | undefined): string {
	const type = attribute?.Type ?? '';
	const text = String(value).trim();
	if (type === 'Edm.Boolean') {
		if (!/^(true|false)$/i.test(text)) throw new FilterConditionError(`${attribute?.Name} needs true or false`);
		return text.toLowerCase();
	}
	if (NUMERIC_TYPE.test(type) || AMOUNT_OR_QUANTITY_TYPE.test(type)) {
		// The digits as written: Number() would round long values (OData literals are decimal text).
		if (!DECIMAL.test(text))
			throw new FilterConditionError(`${attribute?.Name} needs a number such as 1500 or -12.75, not "${text}"`);
		return text.replace(/^\+/, '');
	}
	if (type === 'Edm.Guid') {
		if (!isGuid(text)) throw new FilterConditionError(`${attribute?.Name} needs a GUID`);
		return text.toLowerCase();
	}
	if (isDateType(type)) {
		// A date attribute compares the calendar date as written; a date-time, the instant in UTC (core/odata/dates.ts).
		const dateOnly = isDateOnlyAttribute(attribute);
		const normalized = normalizedDate(typeof value === 'string' ? text : value, dateOnly);
		if (normalized === undefined)
			throw new FilterConditionError(
				`${attribute?.Name} needs a date such as 2026-01-31 or 2026-01-31T08:00:00Z, not "${text}"`,
			);
		return dateOnly ? `${normalized}T00:00:00Z` : normalized;
	}
	return stringLiteral(String(value));
}

/**
 * References are compared as quoted entity ids: `Party eq 'General_Contacts_Parties(<guid>)'`
 * (https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html).
 */
function referenceLiteral(value: string, targetSet: string | undefined): string {
	const text = value.trim();
	const parsed = parseEntityId(text);
	if (parsed) return stringLiteral(entityId(parsed.entitySet, parsed.id));
	if (isGuid(text) && targetSet) return stringLiteral(entityId(targetSet, text));
	throw new FilterConditionError(`A reference is compared by its ID: give a GUID or Set(GUID), not "${text}"`);
}
