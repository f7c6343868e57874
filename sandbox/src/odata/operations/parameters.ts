/**
 * Parameters of bound operations (https://docs.erp.net/dev/domain-api/operations/index.html): an action's JSON body, or a function's OData
 * parameter list `Name(p1='text',p2=10,p3=true,p4=@alias)` with aliases in the query string
 * (OData 4.01 Part 2, 11.5.1 "Function parameter syntax"). Both are checked against the method's
 * definition from the model page's "API Methods" section.
 */
import type { MethodDefinition, MethodParameterDefinition } from '../../schema/types';
import { isGuid } from '../../store/guid-order';
import { idFromODataId } from '../../store/memory-store';
import { ODataRequestError } from '../errors';

export type ParameterValues = Record<string, unknown>;

const PRIMITIVE_CHECKS: Record<string, (value: unknown) => boolean> = {
	string: (value) => typeof value === 'string',
	boolean: (value) => typeof value === 'boolean',
	int16: (value) => Number.isInteger(value),
	int32: (value) => Number.isInteger(value),
	int64: (value) => Number.isInteger(value),
	decimal: (value) => typeof value === 'number',
	double: (value) => typeof value === 'number',
	guid: (value) => typeof value === 'string' && isGuid(value),
	datetime: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
};

/** Splits `Name(args)` into the name and the raw argument text; a name without parentheses has none. */
export function splitOperationSegment(segment: string): { name: string; argumentText?: string } {
	const open = segment.indexOf('(');
	if (open < 0) return { name: stripNamespace(segment) };
	if (!segment.endsWith(')'))
		throw new ODataRequestError(
			`The operation segment '${segment}' is not valid: the parameter list must end with ')'.`,
		);
	return { name: stripNamespace(segment.slice(0, open)), argumentText: segment.slice(open + 1, -1) };
}

/** Operations may be namespace-qualified (`Erp.ChangeState`); ERP.net's docs call them unqualified. */
function stripNamespace(name: string): string {
	return name.startsWith('Erp.') ? name.slice(4) : name;
}

/** `a='x',b=10,c=@p` → raw literal texts by name; commas inside quoted strings are kept. */
function splitArguments(text: string): Array<[string, string]> {
	const pairs: Array<[string, string]> = [];
	let current = '';
	let quoted = false;
	const push = () => {
		if (current.trim() === '') return;
		const equals = current.indexOf('=');
		if (equals <= 0)
			throw new ODataRequestError(
				`The function parameter '${current}' is not valid; use name=value, e.g. propertyName='State'.`,
			);
		pairs.push([current.slice(0, equals).trim(), current.slice(equals + 1).trim()]);
	};
	for (const character of text) {
		if (character === "'") quoted = !quoted;
		if (character === ',' && !quoted) {
			push();
			current = '';
		} else current += character;
	}
	if (quoted) throw new ODataRequestError(`The function parameters '${text}' contain an unterminated string literal.`);
	push();
	return pairs;
}

/** An OData literal: `'text'` (`''` escapes a quote), `Erp.Type'Member'`, numbers, true/false, null. */
export function parseLiteral(literal: string, name: string): unknown {
	if (literal === 'null') return null;
	if (literal === 'true' || literal === 'false') return literal === 'true';
	const quoted = /^(?:[A-Za-z_][\w.]*)?'((?:[^']|'')*)'$/.exec(literal);
	if (quoted) return quoted[1].replace(/''/g, "'");
	if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(literal)) return Number(literal);
	if (isGuid(literal)) return literal;
	throw new ODataRequestError(
		`The value '${literal}' of the parameter '${name}' is not a valid OData literal. Quote strings: ${name}='text'.`,
	);
}

function aliasValue(query: string, alias: string, name: string): string {
	for (const part of query.split('&')) {
		const equals = part.indexOf('=');
		if (equals > 0 && decodeURIComponent(part.slice(0, equals)) === alias)
			return decodeURIComponent(part.slice(equals + 1).replace(/\+/g, ' '));
	}
	throw new ODataRequestError(
		`The parameter alias '${alias}' of the parameter '${name}' has no value in the query string.`,
	);
}

/** The raw values of a function call, by parameter name (aliases resolved). */
export function functionArguments(argumentText: string | undefined, query: string): ParameterValues {
	const values: ParameterValues = {};
	for (const [name, literal] of splitArguments(argumentText ?? '')) {
		if (name in values) throw new ODataRequestError(`The parameter '${name}' is given more than once.`);
		values[name] = parseLiteral(literal.startsWith('@') ? aliasValue(query, literal, name) : literal, name);
	}
	return values;
}

/** An action's body: a JSON object of parameters, or nothing. */
export function actionArguments(body: unknown, method: MethodDefinition): ParameterValues {
	if (body === undefined || body === null) return {};
	if (typeof body !== 'object' || Array.isArray(body)) {
		throw new ODataRequestError(`The body of the action '${method.name}' must be a JSON object of its parameters.`);
	}
	return body as ParameterValues;
}

/** Checks names, presence and types; fills defaults. Returns the values by parameter name. */
export function checkParameters(method: MethodDefinition, raw: ParameterValues): ParameterValues {
	const definitions = new Map(method.parameters.map((parameter) => [parameter.name, parameter]));
	for (const name of Object.keys(raw)) {
		if (!definitions.has(name)) {
			const known = method.parameters.map((parameter) => parameter.name).join(', ') || 'none';
			throw new ODataRequestError(
				`The parameter '${name}' is not defined for the operation '${method.name}'. Its parameters: ${known}.`,
			);
		}
	}
	const values: ParameterValues = {};
	for (const parameter of method.parameters) {
		const value = raw[parameter.name];
		if (value === undefined || value === null) {
			if (!parameter.optional && value === undefined) {
				throw new ODataRequestError(`The operation '${method.name}' requires the parameter '${parameter.name}'.`);
			}
			values[parameter.name] = value === null ? null : defaultOf(parameter);
			continue;
		}
		values[parameter.name] = checkValue(method, parameter, value);
	}
	return values;
}

function defaultOf(parameter: MethodParameterDefinition): unknown {
	const text = parameter.defaultValue;
	if (text === undefined || text === 'null') return null;
	if (parameter.type === 'boolean') return text.toLowerCase() === 'true';
	if (/^int/.test(parameter.type)) return Number(text);
	return text;
}

function checkValue(method: MethodDefinition, parameter: MethodParameterDefinition, value: unknown): unknown {
	if (parameter.kind === 'enum') {
		const member = parameter.enumValues?.find((candidate) => candidate.name === value);
		if (!member) {
			const allowed = (parameter.enumValues ?? []).map((candidate) => candidate.name).join(', ');
			throw new ODataRequestError(
				`The value '${String(value)}' is not valid for the parameter '${parameter.name}' of '${method.name}'. Allowed values: ${allowed}.`,
			);
		}
		return member.name;
	}
	if (parameter.kind === 'entity') return entityReference(method, parameter, value);
	const check = PRIMITIVE_CHECKS[parameter.type.toLowerCase()];
	if (check && !check(value)) {
		throw new ODataRequestError(
			`The parameter '${parameter.name}' of '${method.name}' must be of type ${parameter.type}; got ${JSON.stringify(value)}.`,
		);
	}
	return value;
}

export interface EntityArgument {
	/** The set named in `@odata.id` (relative or absolute). */
	entitySet: string;
	id: string;
}

/** Entity parameters are references, `{"@odata.id":"Systems_Security_Users(<guid>)"}` (https://docs.erp.net/dev/domain-api/common-tasks/create-notification.html). */
function entityReference(
	method: MethodDefinition,
	parameter: MethodParameterDefinition,
	value: unknown,
): EntityArgument {
	const odataId = value && typeof value === 'object' ? (value as Record<string, unknown>)['@odata.id'] : undefined;
	const id = typeof odataId === 'string' ? idFromODataId(odataId) : undefined;
	if (typeof odataId !== 'string' || !id) {
		throw new ODataRequestError(
			`The parameter '${parameter.name}' of '${method.name}' must be a reference: {"@odata.id":"${parameter.targetSet ?? 'Set'}(<guid>)"}.`,
		);
	}
	const path = odataId.slice(0, odataId.lastIndexOf('('));
	return { entitySet: path.slice(path.lastIndexOf('/') + 1), id };
}
