/**
 * $filter, $search and $orderby compiled against an entity set, with ERP.net's semantics
 * (https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html, https://docs.erp.net/dev/domain-api/querying-data/query-options/search.html, https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html):
 * - operators eq, ge, le, and, in; `or` is refused with the documented sentence "Operator 'or' is not
 *   supported."; gt, lt, ne and not are not in the documented list and are refused the same way (a client
 *   that works here must work on a real instance);
 * - contains/startswith/endswith on strings, contains only on multi-language strings (any language),
 *   contains(NavigationProperty,'x') on the referenced entity's display text; equalnull, lessequalnull,
 *   greaterequalnull;
 * - Amount/Quantity through `<Property>Value`; references compared with quoted entity ids `'Set(guid)'`;
 *   path filters (`Party/PartyName`) only through filterable or ownership references;
 * - date-time literals truncated to the date, except for AggregateLastUpdateTimeUtc, which
 *   https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html filters to the minute;
 * - strings compare case-insensitively, as SQL Server's default collation does.
 */
import type { AttributeDefinition, ReferenceDefinition } from '../../schema/types';
import { isGuid, sqlGuidSortKey } from '../../store/guid-order';
import { idFromODataId, referenceId, type EntityRecord } from '../../store/memory-store';
import {
	displayText,
	isMultilanguageValue,
	readMemberPath,
	translate,
	type ValueResolver,
	attributeValue,
	type EntitySetInfo,
	isStoredAttribute,
	refuseStoredAttributeFilter,
	storedAttributeShortValue,
} from '../model';
import { NotSupportedError, ODataRequestError } from '../errors';
import type {
	ComparisonOperator,
	FilterExpression,
	LiteralExpression,
	OrderByItem,
	SearchClause,
	ValueExpression,
} from './parse-query';

export interface EvaluationContext extends ValueResolver {
	/** Truncate AggregateLastUpdateTimeUtc literals to the date too (DECISIONS.md, "Change tracking"). */
	truncateAggregateTimeFilter?: boolean;
}
export type RecordPredicate = (record: EntityRecord) => boolean;
export type RecordComparator = (left: EntityRecord, right: EntityRecord) => number;

type OperandType = 'string' | 'multilanguage' | 'number' | 'boolean' | 'datetime' | 'guid' | 'enum' | 'reference';

interface ResolvedProperty {
	/** As written, e.g. `Party/PartyName`. */
	name: string;
	type: OperandType;
	read: (record: EntityRecord) => unknown;
	attribute?: AttributeDefinition;
	reference?: ReferenceDefinition;
	/** Where the property lives (for contains on a navigation property). */
	set: EntitySetInfo;
}

/** Attributes filtered with full date-time precision (https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html relies on minutes). */
const PRECISE_DATE_TIME_ATTRIBUTES = new Set(['AggregateLastUpdateTimeUtc']);

export function compileFilter(
	expression: FilterExpression,
	set: EntitySetInfo,
	context: EvaluationContext,
): RecordPredicate {
	switch (expression.kind) {
		case 'and': {
			const left = compileFilter(expression.left, set, context);
			const right = compileFilter(expression.right, set, context);
			return (record) => left(record) && right(record);
		}
		case 'or':
			throw new NotSupportedError("Operator 'or' is not supported.");
		case 'not':
			throw new NotSupportedError("Operator 'not' is not supported.");
		case 'compare':
			return compileComparison(expression.operator, expression.left, expression.right, set, context);
		case 'in':
			return compileIn(expression.left, expression.values, set, context);
		case 'call':
			return compileCall(expression.name, expression.args, set, context);
		case 'bare':
			throw new NotSupportedError(
				`The expression '${describe(expression.value)}' is not supported in $filter; use a comparison such as '${describe(expression.value)} eq true'.`,
			);
	}
}

function describe(value: ValueExpression): string {
	if (value.kind === 'property') return value.path.join('/');
	return value.raw;
}

// ---------------------------------------------------------------------------------------------------------
// Properties

export function resolveProperty(path: string[], set: EntitySetInfo, context: EvaluationContext): ResolvedProperty {
	const [head, ...rest] = path;
	if (rest.length > 0) return resolveNavigationPath(head, rest, set, context);
	const attribute = set.attributeByName.get(head);
	if (attribute?.name === 'DisplayText') {
		return { name: head, type: 'string', read: (record) => displayText(set, record, context), attribute, set };
	}
	if (attribute) return attributeProperty(head, attribute, set);
	const reference = set.referenceByName.get(head);
	if (reference) {
		return { name: head, type: 'reference', read: (record) => referenceId(record[head]) ?? null, reference, set };
	}
	const complexValue = complexValueProperty(head, set);
	if (complexValue) return complexValue;
	if (set.childByName.has(head)) {
		throw new NotSupportedError(`The collection navigation property '${head}' cannot be used in $filter.`);
	}
	throw unknownProperty(head, set);
}

export function unknownProperty(name: string, set: EntitySetInfo): ODataRequestError {
	return new ODataRequestError(`Could not find a property named '${name}' on type '${set.qualifiedType}'.`);
}

function attributeProperty(name: string, attribute: AttributeDefinition, set: EntitySetInfo): ResolvedProperty {
	if (attribute.type === 'Amount' || attribute.type === 'Quantity') {
		throw new NotSupportedError(
			`'${name}' is a complex ${attribute.type} value and cannot be filtered directly; filter by '${name}Value'.`,
		);
	}
	if (isStoredAttribute(attribute)) {
		return { name, type: 'string', read: (record) => storedAttributeShortValue(record[name]), attribute, set };
	}
	return { name, type: operandTypeOf(attribute), read: (record) => attributeValue(set, record, name), attribute, set };
}

/** `QuantityValue ge 5`, `LineAmountValue ge 15.45` (https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html "Filter by complex attributes"). */
function complexValueProperty(name: string, set: EntitySetInfo): ResolvedProperty | undefined {
	if (!name.endsWith('Value')) return undefined;
	const baseName = name.slice(0, -'Value'.length);
	const attribute = set.attributeByName.get(baseName);
	if (!attribute || (attribute.type !== 'Amount' && attribute.type !== 'Quantity')) return undefined;
	const read = (record: EntityRecord) => {
		const complex = record[baseName] as { Value?: unknown } | null | undefined;
		return complex && typeof complex === 'object' ? (complex.Value ?? null) : null;
	};
	return { name, type: 'number', read, attribute, set };
}

function resolveNavigationPath(
	head: string,
	rest: string[],
	set: EntitySetInfo,
	context: EvaluationContext,
): ResolvedProperty {
	const reference = set.referenceByName.get(head);
	if (!reference) {
		refuseStoredAttributeFilter(set.attributeByName.get(head), `${head}/${rest.join('/')}`);
		if (set.attributeByName.has(head) || set.childByName.has(head)) {
			throw new NotSupportedError(`The property '${head}' cannot be navigated in $filter.`);
		}
		throw unknownProperty(head, set);
	}
	// https://docs.erp.net/dev/domain-api/querying-data/filterable-references.html: only filterable references and ownership references can be navigated.
	if (!reference.filterable && !reference.owner) {
		throw new NotSupportedError(
			`The reference '${head}' of '${set.definition.repository}' is not a filterable reference; filtering by '${head}/${rest.join('/')}' is not supported.`,
		);
	}
	const target = context.model.getSet(reference.targetSet);
	if (!target) throw new ODataRequestError(`The entity set '${reference.targetSet}' is not available.`);
	const inner = resolveProperty(rest, target, context);
	return {
		...inner,
		name: `${head}/${inner.name}`,
		read: (record) => {
			const referenced = context.resolveReference(record[head]);
			return referenced ? inner.read(referenced) : null;
		},
	};
}

function operandTypeOf(attribute: AttributeDefinition): OperandType {
	switch (attribute.type) {
		case 'String':
		case 'Time':
		case 'Binary':
			return 'string';
		case 'MultilanguageString':
			return 'multilanguage';
		case 'Boolean':
			return 'boolean';
		case 'Int16':
		case 'Int32':
		case 'Int64':
		case 'Decimal':
		case 'Amount':
		case 'Quantity':
			return 'number';
		case 'DateTime':
		case 'Date':
			return 'datetime';
		case 'Guid':
			return 'guid';
		case 'Enum':
			return 'enum';
		case 'CustomPropertyValue':
			return 'string';
	}
}

// ---------------------------------------------------------------------------------------------------------
// Comparisons

const FLIPPED: Record<ComparisonOperator, ComparisonOperator> = {
	eq: 'eq',
	ne: 'ne',
	gt: 'lt',
	lt: 'gt',
	ge: 'le',
	le: 'ge',
};

function compileComparison(
	operator: ComparisonOperator,
	left: ValueExpression,
	right: ValueExpression,
	set: EntitySetInfo,
	context: EvaluationContext,
): RecordPredicate {
	if (operator === 'gt' || operator === 'lt' || operator === 'ne') {
		throw new NotSupportedError(`Operator '${operator}' is not supported.`);
	}
	if (left.kind === 'literal' && right.kind === 'property') {
		return compileComparison(FLIPPED[operator], right, left, set, context);
	}
	const property = requireProperty(left, set, context);
	const literal = requireLiteral(right);
	if (operator !== 'eq') refuseStoredAttributeFilter(property.attribute, operator);
	if (isStoredAttribute(property.attribute) && literal.type !== 'string' && literal.type !== 'null') {
		throw invalidLiteral(literal, property, 'the short value as a quoted string');
	}
	if (property.type === 'multilanguage') {
		throw new NotSupportedError(
			`The multi-language attribute '${property.name}' supports only the filter function contains, e.g. contains(${property.name},'text').`,
		);
	}
	if (property.type === 'reference' && operator !== 'eq') {
		throw new NotSupportedError(`Operator '${operator}' is not supported for the reference '${property.name}'.`);
	}
	const expected = convertLiteral(literal, property, context);
	return (record) => compareValues(operator, normalizeRecordValue(property.read(record), property), expected, property);
}

function compileIn(
	left: ValueExpression,
	values: ValueExpression[],
	set: EntitySetInfo,
	context: EvaluationContext,
): RecordPredicate {
	const property = requireProperty(left, set, context);
	refuseStoredAttributeFilter(property.attribute, 'in');
	if (property.type === 'multilanguage') {
		throw new NotSupportedError(
			`The multi-language attribute '${property.name}' supports only the filter function contains.`,
		);
	}
	const expected = values.map((value) => convertLiteral(requireLiteral(value), property, context));
	return (record) => {
		const actual = normalizeRecordValue(property.read(record), property);
		return expected.some((candidate) => compareValues('eq', actual, candidate, property));
	};
}

function requireProperty(value: ValueExpression, set: EntitySetInfo, context: EvaluationContext): ResolvedProperty {
	if (value.kind === 'property') return resolveProperty(value.path, set, context);
	if (value.kind === 'unsupported') throw new NotSupportedError(`'${value.raw}' is not supported in $filter.`);
	throw new NotSupportedError(`Comparing two literals ('${value.raw}') is not supported in $filter.`);
}

function requireLiteral(value: ValueExpression): LiteralExpression {
	if (value.kind === 'literal') return value;
	if (value.kind === 'unsupported') throw new NotSupportedError(`'${value.raw}' is not supported in $filter.`);
	throw new NotSupportedError(`Comparing two properties ('${value.path.join('/')}') is not supported in $filter.`);
}

type Comparable = string | number | boolean | null;

function invalidLiteral(
	literal: LiteralExpression,
	property: ResolvedProperty,
	expectation: string,
): ODataRequestError {
	return new ODataRequestError(
		`The literal ${literal.raw} cannot be compared with '${property.name}': ${expectation} is expected.`,
	);
}

/** The literal as a value comparable with normalizeRecordValue's output. */
function convertLiteral(
	literal: LiteralExpression,
	property: ResolvedProperty,
	context: EvaluationContext,
): Comparable {
	if (literal.type === 'null') return null;
	switch (property.type) {
		case 'string':
			if (literal.type !== 'string') throw invalidLiteral(literal, property, 'a quoted string');
			return (literal.value as string).toLowerCase();
		case 'number':
			if (literal.type !== 'number') throw invalidLiteral(literal, property, 'a number');
			return literal.value as number;
		case 'boolean':
			if (literal.type !== 'boolean') throw invalidLiteral(literal, property, 'true or false');
			return literal.value as boolean;
		case 'guid':
			if (literal.type === 'guid' || (literal.type === 'string' && isGuid(literal.value as string))) {
				return (literal.value as string).toLowerCase();
			}
			throw invalidLiteral(literal, property, 'a GUID');
		case 'datetime':
			return dateTimeLiteral(literal, property, !context.truncateAggregateTimeFilter);
		case 'enum':
			return enumLiteral(literal, property);
		case 'reference':
			return referenceLiteral(literal, property);
		case 'multilanguage':
			throw invalidLiteral(literal, property, 'contains()');
	}
}

function dateTimeLiteral(
	literal: LiteralExpression,
	property: ResolvedProperty,
	preciseAggregateTime: boolean,
): number {
	if (literal.type !== 'date' && literal.type !== 'datetime') throw invalidLiteral(literal, property, 'a date');
	const text = literal.value as string;
	// https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html: "A date-time value in the filter is truncated to date only".
	const precise =
		preciseAggregateTime && property.attribute && PRECISE_DATE_TIME_ATTRIBUTES.has(property.attribute.name);
	const instant =
		precise && literal.type === 'datetime' ? Date.parse(text) : Date.parse(`${text.slice(0, 10)}T00:00:00Z`);
	if (Number.isNaN(instant)) throw invalidLiteral(literal, property, 'a valid date');
	return instant;
}

function enumLiteral(literal: LiteralExpression, property: ResolvedProperty): number {
	if (literal.type !== 'string' && literal.type !== 'enum')
		throw invalidLiteral(literal, property, 'an enum member name');
	const ordinal = enumOrdinal(property.attribute, literal.value as string);
	if (ordinal === undefined) {
		const names = property.attribute?.enumValues?.map((member) => member.name).join(', ') ?? '';
		throw new ODataRequestError(
			`'${String(literal.value)}' is not a valid value of '${property.name}'. Valid values: ${names}.`,
		);
	}
	return ordinal;
}

/** Enum ordering follows the database value (DocumentState: New=0 … Closed=50), else the declared order. */
function enumOrdinal(attribute: AttributeDefinition | undefined, name: string): number | undefined {
	const members = attribute?.enumValues ?? [];
	const position = members.findIndex((member) => member.name.toLowerCase() === name.toLowerCase());
	if (position < 0) return undefined;
	const databaseValue = Number(members[position].databaseValue);
	return Number.isFinite(databaseValue) && members.every((member) => Number.isFinite(Number(member.databaseValue)))
		? databaseValue
		: position;
}

function referenceLiteral(literal: LiteralExpression, property: ResolvedProperty): string {
	const text = literal.type === 'string' ? (literal.value as string) : '';
	const id = idFromODataId(text);
	if (!id) {
		throw invalidLiteral(literal, property, `an entity id such as '${property.reference?.targetSet ?? 'Set'}(<guid>)'`);
	}
	return id;
}

function normalizeRecordValue(value: unknown, property: ResolvedProperty): Comparable {
	if (value === null || value === undefined) return null;
	switch (property.type) {
		case 'string':
		case 'guid':
			return String(value).toLowerCase();
		case 'number':
			return Number(value);
		case 'boolean':
			return Boolean(value);
		case 'datetime': {
			const instant = Date.parse(String(value));
			return Number.isNaN(instant) ? null : instant;
		}
		case 'enum':
			return enumOrdinal(property.attribute, String(value)) ?? null;
		case 'reference':
			return String(value);
		case 'multilanguage':
			return null;
	}
}

function compareValues(
	operator: ComparisonOperator,
	actual: Comparable,
	expected: Comparable,
	property: ResolvedProperty,
): boolean {
	if (operator === 'eq') return actual === expected;
	if (actual === null || expected === null) return false;
	if (property.type === 'boolean' || property.type === 'reference') {
		throw new NotSupportedError(`Operator '${operator}' is not supported for '${property.name}'.`);
	}
	return operator === 'ge' ? actual >= expected : actual <= expected;
}

// ---------------------------------------------------------------------------------------------------------
// Functions

function compileCall(
	name: string,
	args: ValueExpression[],
	set: EntitySetInfo,
	context: EvaluationContext,
): RecordPredicate {
	if (args.length !== 2) throw new ODataRequestError(`The function '${name}' requires 2 arguments.`);
	const property = requireProperty(args[0], set, context);
	refuseStoredAttributeFilter(property.attribute, name);
	const literal = requireLiteral(args[1]);
	if (name === 'equalnull' || name === 'lessequalnull' || name === 'greaterequalnull') {
		return compileNullTolerantComparison(name, property, literal, context);
	}
	if (literal.type !== 'string') throw invalidLiteral(literal, property, 'a quoted string');
	const needle = (literal.value as string).toLowerCase();
	const matches = textMatcher(name, needle);
	if (property.type === 'reference') {
		if (name !== 'contains')
			throw new NotSupportedError(`The function '${name}' is not supported for the reference '${property.name}'.`);
		return containsInReferencedEntity(property, needle, context);
	}
	if (property.type === 'multilanguage') {
		if (name !== 'contains') {
			throw new NotSupportedError(
				`The multi-language attribute '${property.name}' supports only the filter function contains.`,
			);
		}
		return (record) => multilanguageTexts(property.read(record)).some(matches);
	}
	if (property.type !== 'string') {
		throw new NotSupportedError(`The function '${name}' is not supported for '${property.name}'.`);
	}
	return (record) => {
		const value = property.read(record);
		return value !== null && value !== undefined && matches(String(value).toLowerCase());
	};
}

function textMatcher(name: string, needle: string): (text: string) => boolean {
	if (name === 'contains') return (text) => text.toLowerCase().includes(needle);
	if (name === 'startswith') return (text) => text.toLowerCase().startsWith(needle);
	return (text) => text.toLowerCase().endsWith(needle);
}

function multilanguageTexts(value: unknown): string[] {
	if (!isMultilanguageValue(value)) return [];
	return Object.values(value).filter((text): text is string => typeof text === 'string');
}

/** https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html: `contains(SalesPerson,'Peter')` "is contained in the entity referenced by the navigation property". */
function containsInReferencedEntity(
	property: ResolvedProperty,
	needle: string,
	context: EvaluationContext,
): RecordPredicate {
	const target = context.model.getSet(property.reference?.targetSet ?? '');
	return (record) => {
		const id = property.read(record);
		const located =
			typeof id === 'string' ? context.resolveReference({ '@odata.id': `${target?.name}(${id})` }) : undefined;
		return !!located && !!target && displayText(target, located, context).toLowerCase().includes(needle);
	};
}

function compileNullTolerantComparison(
	name: string,
	property: ResolvedProperty,
	literal: LiteralExpression,
	context: EvaluationContext,
): RecordPredicate {
	const operator: ComparisonOperator = name === 'equalnull' ? 'eq' : name === 'lessequalnull' ? 'le' : 'ge';
	const expected = convertLiteral(literal, property, context);
	return (record) => {
		const actual = normalizeRecordValue(property.read(record), property);
		return actual === null || compareValues(operator, actual, expected, property);
	};
}

// ---------------------------------------------------------------------------------------------------------
// $search (https://docs.erp.net/dev/domain-api/querying-data/query-options/search.html: default search members and the display text)

export function compileSearch(search: SearchClause, set: EntitySetInfo, context: EvaluationContext): RecordPredicate {
	const terms = search.terms.map((term) => term.toLowerCase()).filter((term) => term.length > 0);
	return (record) => {
		const texts = searchableTexts(set, record, context);
		return terms.every((term) => texts.some((text) => text.includes(term)));
	};
}

function searchableTexts(set: EntitySetInfo, record: EntityRecord, context: EvaluationContext): string[] {
	const texts = [displayText(set, record, context)];
	for (const member of set.definition.searchMembers) {
		const found = readMemberPath(set, record, member.split('.'), context);
		if (!found) continue;
		if (isMultilanguageValue(found.value)) texts.push(...multilanguageTexts(found.value));
		else if (found.value !== null && found.value !== undefined && typeof found.value !== 'object') {
			texts.push(String(found.value));
		}
	}
	return texts.map((text) => text.toLowerCase());
}

// ---------------------------------------------------------------------------------------------------------
// $orderby

/** Orders by the given properties, nulls first as SQL Server does, then by Id for a stable order. */
export function compileOrderBy(items: OrderByItem[], set: EntitySetInfo, context: EvaluationContext): RecordComparator {
	const sortKey = compileSortKey(items, set, context);
	return (left, right) => compareSortKeys(sortKey(left), sortKey(right));
}

/** The values a record is ordered by: the $orderby properties (descending ones marked), then the Id's SQL order. */
export type SortKey = { values: Comparable[]; directions: number[]; id: string };

export function compileSortKey(
	items: OrderByItem[],
	set: EntitySetInfo,
	context: EvaluationContext,
): (record: EntityRecord) => SortKey {
	const keys = items.map((item) => ({
		property: resolveOrderProperty(item.path, set, context),
		direction: item.descending ? -1 : 1,
	}));
	const directions = keys.map((key) => key.direction);
	return (record) => ({
		values: keys.map(({ property }) => sortValue(property, record, context)),
		directions,
		id: sqlGuidSortKey(String(record.Id)),
	});
}

export function compareSortKeys(left: SortKey, right: SortKey): number {
	for (let index = 0; index < left.values.length; index++) {
		const result = compareSortValues(left.values[index], right.values[index]);
		if (result !== 0) return result * left.directions[index];
	}
	return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
}

function resolveOrderProperty(path: string[], set: EntitySetInfo, context: EvaluationContext): ResolvedProperty {
	const [head, ...rest] = path;
	const attribute = rest.length === 0 ? set.attributeByName.get(head) : undefined;
	if (attribute && (attribute.type === 'Amount' || attribute.type === 'Quantity')) {
		return {
			name: head,
			type: 'number',
			read: (record) => (record[head] as { Value?: unknown } | null)?.Value ?? null,
			attribute,
			set,
		};
	}
	if (attribute?.type === 'MultilanguageString') {
		return { name: head, type: 'multilanguage', read: (record) => record[head], attribute, set };
	}
	return resolveProperty(path, set, context);
}

function sortValue(property: ResolvedProperty, record: EntityRecord, context: EvaluationContext): Comparable {
	const value = property.read(record);
	if (property.type === 'multilanguage')
		return isMultilanguageValue(value) ? translate(value, context.language).toLowerCase() : null;
	return normalizeRecordValue(value, property);
}

function compareSortValues(left: Comparable, right: Comparable): number {
	if (left === right) return 0;
	if (left === null) return -1;
	if (right === null) return 1;
	return left < right ? -1 : 1;
}
