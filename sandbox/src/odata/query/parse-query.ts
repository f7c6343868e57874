/**
 * Query options → a small AST of our own. The OData grammar work is done by @odata/parser (its lexer,
 * literal, member-expression, $select, $expand, $orderby, $search, $top and $skip rules); this module only
 * adds what ERP.net accepts and that library lacks: the `in` operator (also without parentheses:
 * https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html `Id in 0e8f...`), date literals with a `Z` suffix (https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html `DocumentDate ge 2020-01-01Z`),
 * the non-standard functions `equalnull`, `lessequalnull`, `greaterequalnull`, and operator precedence
 * (the library chains `and`/`or` right to left without precedence).
 */
import * as Expressions from '@odata/parser/lib/expressions';
import * as Lexer from '@odata/parser/lib/lexer';
import * as PrimitiveLiteral from '@odata/parser/lib/primitiveLiteral';
import * as Query from '@odata/parser/lib/query';

import { parseApply, type ApplyTransformation } from './parse-apply';
import { ODataRequestError } from '../errors';

type SourceArray = Uint16Array;
type Token = Lexer.Token;
const TokenType = Lexer.TokenType;

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'guid' | 'date' | 'datetime' | 'enum';

export interface LiteralExpression {
	kind: 'literal';
	type: LiteralType;
	value: string | number | boolean | null;
	raw: string;
}

export interface PropertyExpression {
	kind: 'property';
	/** `Party/PartyName` → ['Party', 'PartyName']. */
	path: string[];
}

/** An operand the Domain API does not evaluate (arithmetic, casts, other functions); kept for the error text. */
export interface UnsupportedExpression {
	kind: 'unsupported';
	raw: string;
	description: string;
}

export type ValueExpression = LiteralExpression | PropertyExpression | UnsupportedExpression;

export type FilterExpression =
	| { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
	| { kind: 'not'; operand: FilterExpression }
	| { kind: 'compare'; operator: ComparisonOperator; left: ValueExpression; right: ValueExpression }
	| { kind: 'in'; left: ValueExpression; values: ValueExpression[] }
	| { kind: 'call'; name: string; args: ValueExpression[] }
	| { kind: 'bare'; value: ValueExpression };

export interface SelectClause {
	/** `*` or the `default` keyword (https://docs.erp.net/dev/domain-api/querying-data/query-options/select.html). */
	includeDefault: boolean;
	/** Explicitly listed properties, each as a path. */
	properties: string[][];
}

export interface OrderByItem {
	path: string[];
	descending: boolean;
}

export interface ExpandItem {
	/** Navigation property path, e.g. ['Lines']. */
	path: string[];
	select?: SelectClause;
	expand: ExpandItem[];
	filter?: FilterExpression;
	orderBy: OrderByItem[];
	top?: number;
	skip?: number;
}

export interface SearchClause {
	/** Every term must match (implicit AND). */
	terms: string[];
}

export interface QueryOption {
	/** Decoded name, e.g. `$top`. */
	name: string;
	/** Decoded value. */
	value: string;
}

export interface ParsedQuery {
	filter?: FilterExpression;
	select?: SelectClause;
	expand: ExpandItem[];
	orderBy: OrderByItem[];
	top?: number;
	skip?: number;
	skipToken?: string;
	count: boolean;
	search?: SearchClause;
	/** `options=skipnulls` (https://docs.erp.net/dev/domain-api/querying-data/query-options/options.html). */
	skipNulls: boolean;
	/** `$apply` grouping and aggregation (apply.ts). */
	apply?: ApplyTransformation;
	/** All options of the request, in order (the next link preserves them). */
	options: QueryOption[];
}

const SYSTEM_OPTIONS = new Set([
	'$filter',
	'$select',
	'$expand',
	'$orderby',
	'$top',
	'$skip',
	'$skiptoken',
	'$count',
	'$search',
	'$format',
	'$apply',
]);

/**
 * Splits a raw query string (without `?`) into decoded options. `+` is a space, as ASP.NET Core reads it
 * and as the server's own next links encode it.
 */
export function splitQueryString(search: string): QueryOption[] {
	const text = search.startsWith('?') ? search.slice(1) : search;
	if (!text) return [];
	return text
		.split('&')
		.filter((part) => part.length > 0)
		.map((part) => {
			const equals = part.indexOf('=');
			const name = equals < 0 ? part : part.slice(0, equals);
			const value = equals < 0 ? '' : part.slice(equals + 1);
			return { name: decodeQueryComponent(name), value: decodeQueryComponent(value) };
		});
}

function decodeQueryComponent(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		throw new ODataRequestError(`The query string contains an invalid percent-encoding: '${text}'.`);
	}
}

export function parseQuery(options: QueryOption[]): ParsedQuery {
	const seen = new Set<string>();
	const parsed: ParsedQuery = { expand: [], orderBy: [], count: false, skipNulls: false, options };
	for (const { name, value } of options) {
		if (name.startsWith('$')) {
			if (!SYSTEM_OPTIONS.has(name)) throw new ODataRequestError(`The query parameter '${name}' is not supported.`);
			if (seen.has(name)) {
				throw new ODataRequestError(
					`Query option '${name}' was specified more than once, but it must be specified at most once.`,
				);
			}
			seen.add(name);
			applySystemOption(parsed, name, value);
		} else if (name === 'options') {
			parsed.skipNulls = value
				.split(',')
				.map((flag) => flag.trim().toLowerCase())
				.includes('skipnulls');
		}
	}
	return parsed;
}

function applySystemOption(parsed: ParsedQuery, name: string, value: string): void {
	switch (name) {
		case '$filter':
			parsed.filter = parseFilter(value);
			break;
		case '$select':
			parsed.select = parseSelect(value);
			break;
		case '$expand':
			parsed.expand = parseExpand(value);
			break;
		case '$orderby':
			parsed.orderBy = parseOrderBy(value);
			break;
		case '$top':
			parsed.top = parseNonNegativeInteger('$top', value, Query.top);
			break;
		case '$skip':
			parsed.skip = parseNonNegativeInteger('$skip', value, Query.skip);
			break;
		case '$skiptoken':
			parsed.skipToken = value;
			break;
		case '$count':
			parsed.count = parseCount(value);
			break;
		case '$search':
			parsed.search = parseSearch(value);
			break;
		case '$apply':
			parsed.apply = parseApply(value);
			break;
		case '$format':
			if (!value.toLowerCase().startsWith('json') && !value.toLowerCase().startsWith('application/json')) {
				throw new ODataRequestError(`The requested format '${value}' is not supported.`);
			}
			break;
		default:
			throw new ODataRequestError(`The query option '${name}' is not supported by the sandbox.`);
	}
}

function toSource(text: string): SourceArray {
	const source = new Uint16Array(text.length);
	for (let index = 0; index < text.length; index++) source[index] = text.charCodeAt(index);
	return source;
}

/** Runs a @odata/parser rule over `prefix + value`; the rule must consume all of it. */
function runRule(
	prefix: string,
	value: string,
	rule: (source: SourceArray, index: number) => Token,
): Token | undefined {
	const text = prefix + value;
	try {
		const token = rule(toSource(text), 0);
		return token && token.next === text.length ? token : undefined;
	} catch {
		// @odata/parser throws TypeErrors on some malformed input instead of returning undefined.
		return undefined;
	}
}

function parseNonNegativeInteger(
	name: string,
	value: string,
	rule: (source: SourceArray, index: number) => Token,
): number {
	const token = runRule(`${name}=`, value, rule);
	const number = token ? Number((token.value as Token).raw) : NaN;
	if (!Number.isSafeInteger(number) || number < 0) {
		throw new ODataRequestError(
			`Invalid value '${value}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`,
		);
	}
	return number;
}

function parseCount(value: string): boolean {
	const token = runRule('$count=', value, Query.inlinecount);
	if (!token) throw new ODataRequestError(`'${value}' is not a valid count option.`);
	return (token.value as Token).raw === 'true';
}

// ---------------------------------------------------------------------------------------------------------
// $filter

export function parseFilter(text: string): FilterExpression {
	const source = toSource(text);
	let result: { expression: FilterExpression; next: number } | undefined;
	try {
		result = parseOr(source, Lexer.OWS(source, 0));
	} catch (error) {
		if (error instanceof ODataRequestError) throw error;
		result = undefined;
	}
	const end = result ? Lexer.OWS(source, result.next) : 0;
	if (!result || end !== source.length) {
		throw new ODataRequestError(`Syntax error at position ${result ? end : 0} in '${text}'.`);
	}
	return result.expression;
}

interface Parsed<T> {
	expression: T;
	next: number;
}

function keyword(source: SourceArray, index: number, word: string): number | undefined {
	const start = Lexer.RWS(source, index);
	if (start === index) return undefined;
	for (let offset = 0; offset < word.length; offset++) {
		if (source[start + offset] !== word.charCodeAt(offset)) return undefined;
	}
	const after = start + word.length;
	if (Lexer.identifierCharacter(source[after])) return undefined;
	const rest = Lexer.RWS(source, after);
	// `in(` needs no space before its list; the other operators do.
	if (rest === after && word !== 'in') return undefined;
	return rest;
}

function parseOr(source: SourceArray, index: number): Parsed<FilterExpression> | undefined {
	let left = parseAnd(source, index);
	while (left) {
		const next = keyword(source, left.next, 'or');
		if (next === undefined) break;
		const right = parseAnd(source, next);
		if (!right) return undefined;
		left = { expression: { kind: 'or', left: left.expression, right: right.expression }, next: right.next };
	}
	return left;
}

function parseAnd(source: SourceArray, index: number): Parsed<FilterExpression> | undefined {
	let left = parseUnary(source, index);
	while (left) {
		const next = keyword(source, left.next, 'and');
		if (next === undefined) break;
		const right = parseUnary(source, next);
		if (!right) return undefined;
		left = { expression: { kind: 'and', left: left.expression, right: right.expression }, next: right.next };
	}
	return left;
}

function parseUnary(source: SourceArray, index: number): Parsed<FilterExpression> | undefined {
	if (startsWithWord(source, index, 'not')) {
		const after = Lexer.RWS(source, index + 3);
		const operand = after > index + 3 ? parseUnary(source, after) : undefined;
		return operand && { expression: { kind: 'not', operand: operand.expression }, next: operand.next };
	}
	const open = Lexer.OPEN(source, index);
	if (open) {
		const inner = parseOr(source, Lexer.BWS(source, open));
		const close = inner ? Lexer.CLOSE(source, Lexer.BWS(source, inner.next)) : 0;
		if (inner && close) return { expression: inner.expression, next: close };
	}
	return parseFunctionCall(source, index) ?? parseComparison(source, index);
}

function startsWithWord(source: SourceArray, index: number, word: string): boolean {
	for (let offset = 0; offset < word.length; offset++) {
		if (source[index + offset] !== word.charCodeAt(offset)) return false;
	}
	return !Lexer.identifierCharacter(source[index + word.length]);
}

/** Boolean functions of https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html; any other function is parsed by @odata/parser as an operand. */
const FILTER_FUNCTIONS = new Set([
	'contains',
	'startswith',
	'endswith',
	'equalnull',
	'lessequalnull',
	'greaterequalnull',
]);

function parseFunctionCall(source: SourceArray, index: number): Parsed<FilterExpression> | undefined {
	let end = index;
	while (end < source.length && Lexer.identifierCharacter(source[end])) end++;
	const name = String.fromCharCode(...source.subarray(index, end));
	if (!FILTER_FUNCTIONS.has(name)) return undefined;
	let next = Lexer.OPEN(source, end);
	if (!next) return undefined;
	const args: ValueExpression[] = [];
	for (;;) {
		const argument = parseOperand(source, Lexer.BWS(source, next));
		if (!argument) return undefined;
		args.push(argument.expression);
		next = Lexer.BWS(source, argument.next);
		const comma = Lexer.COMMA(source, next);
		if (!comma) break;
		next = comma;
	}
	const close = Lexer.CLOSE(source, next);
	if (!close) return undefined;
	return { expression: { kind: 'call', name, args }, next: close };
}

const COMPARISON_OPERATORS: ComparisonOperator[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

function parseComparison(source: SourceArray, index: number): Parsed<FilterExpression> | undefined {
	const left = parseOperand(source, index);
	if (!left) return undefined;
	for (const operator of COMPARISON_OPERATORS) {
		const next = keyword(source, left.next, operator);
		if (next === undefined) continue;
		const right = parseOperand(source, next);
		if (!right) return undefined;
		return {
			expression: { kind: 'compare', operator, left: left.expression, right: right.expression },
			next: right.next,
		};
	}
	const afterIn = keyword(source, left.next, 'in');
	if (afterIn !== undefined) {
		const list = parseInList(source, afterIn);
		return list && { expression: { kind: 'in', left: left.expression, values: list.expression }, next: list.next };
	}
	return { expression: { kind: 'bare', value: left.expression }, next: left.next };
}

function parseInList(source: SourceArray, index: number): Parsed<ValueExpression[]> | undefined {
	let next = Lexer.OWS(source, index);
	const open = Lexer.OPEN(source, next);
	if (!open) {
		const single = parseOperand(source, next);
		return single && { expression: [single.expression], next: single.next };
	}
	const values: ValueExpression[] = [];
	next = open;
	for (;;) {
		const value = parseOperand(source, Lexer.BWS(source, next));
		if (!value) return undefined;
		values.push(value.expression);
		next = Lexer.BWS(source, value.next);
		const comma = Lexer.COMMA(source, next);
		if (!comma) break;
		next = comma;
	}
	const close = Lexer.CLOSE(source, next);
	return close ? { expression: values, next: close } : undefined;
}

function parseOperand(source: SourceArray, index: number): Parsed<ValueExpression> | undefined {
	const literal = parseLiteral(source, index);
	if (literal) return literal;
	const token = Expressions.commonExpr(source, index);
	if (!token) return undefined;
	return { expression: toValueExpression(token), next: token.next };
}

function parseLiteral(source: SourceArray, index: number): Parsed<LiteralExpression> | undefined {
	const token = PrimitiveLiteral.primitiveLiteral(source, index);
	if (!token) return undefined;
	let next = token.next;
	let raw = token.raw;
	// https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html writes dates as `2020-01-01Z`; the OData ABNF has no zone on Edm.Date.
	if (token.value === 'Edm.Date' && source[next] === 'Z'.charCodeAt(0)) {
		next += 1;
		raw += 'Z';
	}
	if (Lexer.identifierCharacter(source[next])) return undefined;
	if (token.type === TokenType.Enum) return { expression: enumLiteral(token), next };
	return { expression: literalFromToken(token.value as string, raw), next };
}

const NUMBER_TYPES = new Set([
	'Edm.SByte',
	'Edm.Byte',
	'Edm.Int16',
	'Edm.Int32',
	'Edm.Int64',
	'Edm.Decimal',
	'Edm.Double',
	'Edm.Single',
]);

function literalFromToken(edmType: string, raw: string): LiteralExpression {
	if (edmType === 'Edm.String')
		return { kind: 'literal', type: 'string', value: raw.slice(1, -1).split("''").join("'"), raw };
	if (edmType === 'Edm.Boolean') return { kind: 'literal', type: 'boolean', value: raw.toLowerCase() === 'true', raw };
	if (edmType === 'Edm.Guid') return { kind: 'literal', type: 'guid', value: raw.toLowerCase(), raw };
	if (edmType === 'Edm.Date') return { kind: 'literal', type: 'date', value: raw.slice(0, 10), raw };
	if (edmType === 'Edm.DateTimeOffset') return { kind: 'literal', type: 'datetime', value: raw, raw };
	if (edmType === 'null') return { kind: 'literal', type: 'null', value: null, raw };
	if (NUMBER_TYPES.has(edmType)) return { kind: 'literal', type: 'number', value: Number(raw), raw };
	return { kind: 'literal', type: 'string', value: raw, raw };
}

/** `Erp.General_DocumentState'Released'` → the member name (https://docs.erp.net/dev/domain-api/common-tasks/query-examples.html). */
function enumLiteral(token: Token): LiteralExpression {
	const enumValue = (token.value as { value: Token }).value;
	const members = (enumValue.value as { values: Token[] }).values;
	const name = (members[0]?.value as { name: string } | undefined)?.name ?? '';
	return { kind: 'literal', type: 'enum', value: name, raw: token.raw };
}

const MEMBER_TOKEN_TYPES = new Set<string>([
	TokenType.CommonExpression,
	TokenType.FirstMemberExpression,
	TokenType.MemberExpression,
	TokenType.PropertyPathExpression,
	TokenType.SingleNavigationExpression,
]);

function toValueExpression(token: Token): ValueExpression {
	if (token.type === TokenType.CommonExpression) return toValueExpression(token.value as Token);
	if (token.type === TokenType.Enum) return enumLiteral(token);
	if (token.type === TokenType.Literal) return literalFromToken(token.value as string, token.raw);
	const path = memberPath(token);
	if (path) return { kind: 'property', path };
	return { kind: 'unsupported', raw: token.raw, description: token.type };
}

/** Property names of a (possibly multi-segment) member expression, or undefined for anything else. */
function memberPath(token: Token): string[] | undefined {
	if (token.type === TokenType.ODataIdentifier) return [(token.value as { name: string }).name];
	if (!MEMBER_TOKEN_TYPES.has(token.type)) return undefined;
	const value = token.value as Token | { current: Token; next?: Token };
	if ('current' in value) {
		const head = memberPath(value.current);
		const tail = value.next ? memberPath(value.next) : [];
		return head && tail ? [...head, ...tail] : undefined;
	}
	return memberPath(value as Token);
}

// ---------------------------------------------------------------------------------------------------------
// $select, $expand, $orderby, $search

export function parseSelect(text: string): SelectClause {
	const token = runRule('$select=', text, Query.select);
	if (!token) throw new ODataRequestError(`Syntax error in $select: '${text}'.`);
	return selectFromToken(token);
}

function selectFromToken(token: Token): SelectClause {
	const clause: SelectClause = { includeDefault: false, properties: [] };
	for (const item of (token.value as { items: Token[] }).items) {
		if (item.raw === '*' || item.raw === 'default') clause.includeDefault = true;
		else clause.properties.push(item.raw.split('/'));
	}
	return clause;
}

export function parseExpand(text: string): ExpandItem[] {
	const token = runRule('$expand=', text, Query.expand);
	if (!token) throw new ODataRequestError(`Syntax error in $expand: '${text}'.`);
	return expandFromToken(token);
}

function expandFromToken(token: Token): ExpandItem[] {
	return (token.value as { items: Token[] }).items.map((item) => {
		const value = item.value as { path: Token; options?: Token[] };
		const expandItem: ExpandItem = {
			path: (value.path.value as Token[]).map((segment) => (segment.value as { name: string }).name),
			expand: [],
			orderBy: [],
		};
		for (const option of value.options ?? []) applyExpandOption(expandItem, option);
		return expandItem;
	});
}

function applyExpandOption(item: ExpandItem, option: Token): void {
	switch (option.type) {
		case TokenType.Select:
			item.select = selectFromToken(option);
			break;
		case TokenType.Expand:
			item.expand = expandFromToken(option);
			break;
		case TokenType.Filter:
			item.filter = parseFilter(option.raw.slice('$filter='.length));
			break;
		case TokenType.OrderBy:
			item.orderBy = orderByFromToken(option);
			break;
		case TokenType.Top:
			item.top = Number((option.value as Token).raw);
			break;
		case TokenType.Skip:
			item.skip = Number((option.value as Token).raw);
			break;
		default:
			throw new ODataRequestError(`The option '${option.raw}' is not supported inside $expand.`);
	}
}

export function parseOrderBy(text: string): OrderByItem[] {
	const token = runRule('$orderby=', text, Query.orderby);
	if (!token) throw new ODataRequestError(`Syntax error in $orderby: '${text}'.`);
	return orderByFromToken(token);
}

function orderByFromToken(token: Token): OrderByItem[] {
	return (token.value as { items: Token[] }).items.map((item) => {
		const value = item.value as { expr: Token; direction: number };
		const path = memberPath(value.expr);
		if (!path) throw new ODataRequestError(`Only properties can be used in $orderby: '${item.raw}'.`);
		return { path, descending: value.direction < 0 };
	});
}

export function parseSearch(text: string): SearchClause {
	const token = runRule('$search=', text, Query.search);
	if (token) {
		const terms = searchTerms(token.value as Token);
		if (terms) return { terms };
	}
	// @odata/parser only knows OData 4.0 words (letters only) and no implicit AND; https://docs.erp.net/dev/domain-api/querying-data/query-options/search.html quotes its
	// terms ("015"). Unquoted free text the library refuses is taken as one term, as typed.
	const bare = text.trim();
	if (bare && ![...bare].some((character) => '"()'.includes(character))) return { terms: [bare] };
	throw new ODataRequestError(`Syntax error in $search: '${text}'.`);
}

function searchTerms(token: Token): string[] | undefined {
	if (token.type === TokenType.SearchPhrase || token.type === TokenType.SearchWord) return [token.value as string];
	if (token.type === TokenType.SearchAndExpression) {
		const value = token.value as { left: Token; right: Token };
		const left = searchTerms(value.left);
		const right = searchTerms(value.right);
		return left && right ? [...left, ...right] : undefined;
	}
	if (token.type === TokenType.SearchExpression || token.type === TokenType.SearchParenExpression) {
		return searchTerms(token.value as Token);
	}
	return undefined;
}
