/** `$apply` text → its transformations (https://docs.erp.net/dev/domain-api/querying-data/grouping.html); apply.ts evaluates them. */
import { NotSupportedError, ODataRequestError } from '../errors';

export type AggregateFunction = 'sum' | 'min' | 'max' | 'countdistinct';
export type IntervalFunction = 'year' | 'yearmonth' | 'date' | 'substring';

export interface Compute {
	interval: IntervalFunction;
	path: string[];
	alias: string;
}

export interface AggregateItem {
	alias: string;
	/** Undefined for `$count`. */
	path?: string[];
	fn?: AggregateFunction;
}

export interface ApplyTransformation {
	computes: Compute[];
	/** Undefined for a direct `aggregate(...)`. */
	groupBy?: string[][];
	aggregates: AggregateItem[];
}

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;
const SUPPORTED_FUNCTIONS = "sum, min, max and countdistinct, or '$count as Alias'";

export function parseApply(text: string): ApplyTransformation {
	const steps = splitTopLevel(text.trim(), '/');
	const result: ApplyTransformation = { computes: [], aggregates: [] };
	steps.forEach((step, index) => {
		const call = functionCall(step);
		const last = index === steps.length - 1;
		if (call?.name === 'compute' && !last) result.computes.push(...splitTopLevel(call.body, ',').map(parseCompute));
		else if (call?.name === 'groupby' && last) parseGroupBy(call.body, result);
		else if (call?.name === 'aggregate' && last && result.computes.length === 0) {
			result.aggregates = parseAggregates(call.body);
		} else {
			throw new NotSupportedError(
				`The $apply transformation '${step}' is not supported. Use 'aggregate(...)', 'groupby((...),aggregate(...))' ` +
					"or 'compute(interval as Alias)/groupby(...)'; filter the source records with $filter.",
			);
		}
	});
	return result;
}

function functionCall(text: string): { name: string; body: string } | undefined {
	const match = /^([A-Za-z]+)\((.*)\)$/s.exec(text.trim());
	return match ? { name: match[1], body: match[2] } : undefined;
}

/** Splits at `separator` outside parentheses and quotes. */
function splitTopLevel(text: string, separator: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let quoted = false;
	let start = 0;
	for (let index = 0; index < text.length; index++) {
		const character = text[index];
		if (character === "'") quoted = !quoted;
		else if (!quoted && character === '(') depth++;
		else if (!quoted && character === ')') depth--;
		else if (!quoted && depth === 0 && character === separator) {
			parts.push(text.slice(start, index).trim());
			start = index + 1;
		}
	}
	if (depth !== 0 || quoted) throw new ODataRequestError(`The $apply expression '${text}' is not valid.`);
	parts.push(text.slice(start).trim());
	return parts;
}

function splitAlias(text: string): { expression: string; alias: string } {
	const match = /^(.*\S)\s+as\s+([A-Za-z_][A-Za-z0-9_]*)$/s.exec(text.trim());
	if (!match) throw new ODataRequestError(`The $apply expression '${text}' must end with 'as Alias'.`);
	return { expression: match[1].trim(), alias: match[2] };
}

function parseCompute(text: string): Compute {
	const { expression, alias } = splitAlias(text);
	const call = functionCall(expression);
	const args = call ? splitTopLevel(call.body, ',') : [];
	if (call && ['year', 'yearmonth', 'date'].includes(call.name) && args.length === 1 && PATH.test(args[0])) {
		return { interval: call.name as IntervalFunction, path: args[0].split('/'), alias };
	}
	if (call?.name === 'substring' && args.length === 3 && PATH.test(args[0]) && args[1] === '0' && args[2] === '1') {
		return { interval: 'substring', path: args[0].split('/'), alias };
	}
	const month = call?.name === 'month' ? " 'month' does not include the year; use 'yearmonth(Property)'." : '';
	throw new NotSupportedError(
		`The interval expression '${expression}' is not supported for grouped keys. Supported: year(Property), ` +
			`yearmonth(Property), date(Property), substring(Property,0,1).${month}`,
	);
}

function parseGroupBy(body: string, result: ApplyTransformation): void {
	const [keys, ...rest] = splitTopLevel(body, ',');
	const keyList = /^\((.*)\)$/s.exec(keys ?? '');
	if (!keyList || rest.length > 1)
		throw new ODataRequestError(`The groupby expression 'groupby(${body})' is not valid.`);
	result.groupBy = splitTopLevel(keyList[1], ',').map((key) => {
		if (!PATH.test(key)) {
			throw new ODataRequestError(
				`$apply/groupby grouping expression '${key}' must evaluate to a property access value.`,
			);
		}
		return key.split('/');
	});
	if (rest.length === 1) {
		const call = functionCall(rest[0]);
		if (call?.name !== 'aggregate')
			throw new NotSupportedError(`The groupby transformation '${rest[0]}' is not supported.`);
		result.aggregates = parseAggregates(call.body);
	}
}

function parseAggregates(body: string): AggregateItem[] {
	return splitTopLevel(body, ',').map((text) => {
		const { expression, alias } = splitAlias(text);
		if (expression === '$count') return { alias };
		const match = /^(\S+)\s+with\s+([A-Za-z]+)$/.exec(expression);
		if (!match || !PATH.test(match[1])) throw new ODataRequestError(`The aggregate expression '${text}' is not valid.`);
		if (!['sum', 'min', 'max', 'countdistinct'].includes(match[2])) {
			throw new NotSupportedError(
				`The aggregate function '${match[2]}' is not supported. Supported: ${SUPPORTED_FUNCTIONS}.`,
			);
		}
		return { alias, path: match[1].split('/'), fn: match[2] as AggregateFunction };
	});
}
