/**
 * ERP.net string interpolation (https://docs.erp.net/tech/advanced/string-interpolation/index.html) of a webhook's URL,
 * Headers and Body: `{<$>reference<(args)><.subref><:fmt>}` with the four expression types (constant, data member,
 * system variable, entity; .../expression-types/*.html), the escapes of .../escape-sequences.html (`\r`, `\n`, `\r\n` =
 * CR LF; `\{`, `\}`, `\\`, any other `\x` = `x`) and doubled braces `{{` `}}` (.../expression-types/constant.html).
 * Failures render as the documented `#Error: ...#` text instead of the value.
 */
import { randomUUID } from 'node:crypto';

import type { AttributeDefinition } from '../schema/types';
import { displayText, attributeValue, type EntitySetInfo, type ModelIndex } from '../odata/model';
import { isGuid } from '../store/guid-order';
import { referenceId, type EntityRecord, type MemoryStore } from '../store/memory-store';
import {
	DEFAULT_DATE_FORMAT,
	DEFAULT_DATE_TIME_FORMAT,
	DEFAULT_TIME_FORMAT,
	formatAmount,
	formatDate,
	formatGuid,
	formatMultilanguage,
	formatNumber,
	formatQuantity,
} from './formatting';

const NEW_LINE = '\r\n';

/** What an interpolated string is evaluated against: the object of the event and the server's context. */
export interface InterpolationScope {
	model: ModelIndex;
	store: MemoryStore;
	/** The object the event is raised for (data-member expressions); its entity set. */
	object?: { set: EntitySetInfo; record: EntityRecord };
	/** Two-letter language of the current user, e.g. `EN`. */
	language: string;
	/** Server time (epoch ms). */
	now: number;
	/** `$rooturl`, e.g. `http://127.0.0.1:5680`. */
	rootUrl: string;
	/** `$dbname`. */
	databaseName: string;
	/** `$user`: the application's system user, when known. */
	userId?: string;
	/** `$enterprisecompany`: the enterprise company of the transaction, when known. */
	enterpriseCompanyId?: string;
	/** GUIDs written without a format specifier: `D` (plain, default) or `B` (in braces). */
	guidFormat?: 'D' | 'B';
}

/** A value reached by an expression, with what is known about its type. */
interface Resolved {
	value: unknown;
	attribute?: AttributeDefinition;
	/** Set when the value is a whole object (an entity expression or a reference without subref). */
	object?: { set: EntitySetInfo; record: EntityRecord };
	/** System variables' own kinds. */
	kind?: 'date' | 'time' | 'datetime' | 'text';
}

class InterpolationError extends Error {}

export function interpolate(template: string, scope: InterpolationScope): string {
	let output = '';
	for (let index = 0; index < template.length; ) {
		const character = template[index];
		const next = template[index + 1];
		if (character === '\\' && next !== undefined) {
			if (next === 'r' && template.slice(index + 2, index + 4) === '\\n') {
				output += NEW_LINE;
				index += 4;
			} else {
				output += next === 'r' || next === 'n' ? NEW_LINE : next;
				index += 2;
			}
			continue;
		}
		if ((character === '{' || character === '}') && next === character) {
			output += character;
			index += 2;
			continue;
		}
		const close = character === '{' ? template.indexOf('}', index + 1) : -1;
		if (close < 0) {
			output += character;
			index += 1;
			continue;
		}
		output += evaluate(template.slice(index + 1, close), scope);
		index = close + 1;
	}
	return output;
}

const EXPRESSION = /^(\$?[A-Za-z_@#][\w@#]*)(?:\(([^)]*)\))?((?:\.[A-Za-z_@#][\w@#]*)*)(?::([\s\S]*))?$/;

function evaluate(expression: string, scope: InterpolationScope): string {
	const parts = EXPRESSION.exec(expression.trim());
	if (!parts) return `#Error: Invalid expression '${expression}'#`;
	const [, reference, argument, subreference, format] = parts;
	const path = subreference ? subreference.slice(1).split('.') : [];
	try {
		const resolved = reference.startsWith('$')
			? systemVariable(reference, path, scope)
			: argument !== undefined
				? entity(reference, argument, path, scope)
				: dataMember([reference, ...path], scope);
		return render(resolved, format, scope);
	} catch (error) {
		if (error instanceof InterpolationError) return `#Error: ${error.message}#`;
		throw error;
	}
}

/** `{Customer.Party.PartyName}`: "Evaluation fails if the resolved data member doesn't exist"; a null member is ''. */
function dataMember(path: string[], scope: InterpolationScope): Resolved {
	if (!scope.object) throw new InterpolationError(`Attribute '${path.join('.')}' not found`);
	return follow(scope.object.set, scope.object.record, path, scope, path.join('.'));
}

function follow(
	set: EntitySetInfo,
	record: EntityRecord,
	path: string[],
	scope: InterpolationScope,
	written: string,
): Resolved {
	let currentSet = set;
	let current = record;
	for (const [position, name] of path.entries()) {
		const attribute = currentSet.attributeByName.get(name);
		const reference = currentSet.referenceByName.get(name);
		// '{Customr.Id}' → "Attribute 'Customr.Id' not found"; '{Customer.Name}' → "Attribute 'Name' not found".
		if (!attribute && !reference)
			throw new InterpolationError(`Attribute '${position === 0 ? written : name}' not found`);
		if (attribute) {
			if (position < path.length - 1) throw new InterpolationError(`Attribute '${path[position + 1]}' not found`);
			return { value: attributeValue(currentSet, current, name), attribute };
		}
		const targetId = referenceId(current[name]);
		const located = targetId ? scope.store.locate(targetId) : undefined;
		const targetSet = located ? scope.model.getSet(located.entitySet) : undefined;
		if (!located || !targetSet) return { value: null };
		currentSet = targetSet;
		current = located.record;
	}
	return { value: current, object: { set: currentSet, record: current } };
}

/** `{Public_Users(7af30531-...).Name}` (.../expression-types/entity.html). */
function entity(name: string, argument: string, path: string[], scope: InterpolationScope): Resolved {
	const set = scope.model.getSet(name);
	if (!set) throw new InterpolationError(`Entity '${name}' not found`);
	const id = argument.trim().replace(/^\{|\}$/g, '');
	const record = isGuid(id) ? scope.store.peek(set.name, id) : undefined;
	if (!record) throw new InterpolationError(`Entity object '${id}' not found`);
	return path.length === 0
		? { value: record, object: { set, record } }
		: follow(set, record, path, scope, path.join('.'));
}

/** https://docs.erp.net/tech/advanced/string-interpolation/system-variables.html; names are case-insensitive. */
function systemVariable(written: string, path: string[], scope: InterpolationScope): Resolved {
	const name = written.toLowerCase();
	const objectVariable = (setName: string, id: string | undefined): Resolved => {
		const set = scope.model.getSet(setName);
		const record = set && id ? scope.store.peek(set.name, id) : undefined;
		if (!set || !record) return { value: null };
		return path.length === 0
			? { value: record, object: { set, record } }
			: follow(set, record, path, scope, path.join('.'));
	};
	const scalar = (value: unknown, kind: Resolved['kind']): Resolved => {
		if (path.length > 0) throw new InterpolationError(`Attribute '${path[0]}' not found`);
		return { value, kind };
	};
	const set = scope.object?.set;
	switch (name) {
		case '$date':
			return scalar(scope.now, 'date');
		case '$time':
			return scalar(scope.now, 'time');
		case '$datetime':
		case '$datetimeutc':
			return scalar(scope.now, 'datetime');
		case '$newguid':
			return scalar(randomUUID(), 'text');
		case '$dbname':
			return scalar(scope.databaseName, 'text');
		case '$rooturl':
			return scalar(scope.rootUrl, 'text');
		case '$instance':
			return scalar(scope.rootUrl.replace(/^[a-z]+:\/\//i, ''), 'text');
		case '$repository':
			return scalar(set?.definition.repository ?? null, 'text');
		case '$entity':
			return scalar(set ? (set.definition.table ?? set.name) : null, 'text');
		case '$idlist':
			return scalar(scope.object ? String(scope.object.record.Id) : null, 'text');
		case '$language':
			return scalar(scope.language.toLowerCase(), 'text');
		case '$user':
			return objectVariable('Systems_Security_Users', scope.userId);
		case '$enterprisecompany':
			return objectVariable('General_EnterpriseCompanies', scope.enterpriseCompanyId);
		case '$enterprisecompanylocation':
		case '$role':
			// No company locations or roles in the sandbox: "If a system variable exists but is null" it is ''.
			return { value: null };
		default:
			throw new InterpolationError(`System Variable '${written}' not found`);
	}
}

function render(resolved: Resolved, format: string | undefined, scope: InterpolationScope): string {
	const { value, attribute } = resolved;
	if (value === null || value === undefined) return '';
	if (resolved.object) return displayText(resolved.object.set, resolved.object.record, resolverOf(scope));
	if (resolved.kind === 'date') return formatDate(new Date(Number(value)), format, DEFAULT_DATE_FORMAT);
	if (resolved.kind === 'time') return formatDate(new Date(Number(value)), format, DEFAULT_TIME_FORMAT);
	if (resolved.kind === 'datetime') return formatDate(new Date(Number(value)), format, DEFAULT_DATE_TIME_FORMAT);
	switch (attribute?.type) {
		case 'Guid':
			return formatGuid(String(value), format ?? scope.guidFormat);
		case 'Boolean':
			return value === true ? 'True' : 'False';
		case 'Date':
			return formatDate(new Date(String(value)), format, DEFAULT_DATE_FORMAT);
		case 'DateTime':
			return formatDate(new Date(String(value)), format, DEFAULT_DATE_TIME_FORMAT);
		case 'Int16':
		case 'Int32':
		case 'Int64':
		case 'Decimal':
			return formatNumber(Number(value), format);
		case 'MultilanguageString':
			return formatMultilanguage(value as Record<string, unknown>, format, scope.language);
		case 'Amount':
			return formatAmount(
				Number((value as { Value?: unknown }).Value ?? 0),
				unitCode(value, 'Currency', 'CurrencySign', scope),
				format,
			);
		case 'Quantity':
			return formatQuantity(
				Number((value as { Value?: unknown }).Value ?? 0),
				unitCode(value, 'Unit', 'Code', scope),
				format,
			);
		default:
			if (typeof value === 'string' && isGuid(value) && attribute?.name === 'Id')
				return formatGuid(value, format ?? scope.guidFormat);
			return typeof value === 'object' ? JSON.stringify(value) : String(value);
	}
}

/** The currency sign of an amount or the unit code of a quantity (references inside the value). */
function unitCode(value: unknown, member: 'Currency' | 'Unit', codeMember: string, scope: InterpolationScope): string {
	const reference = (value as Record<string, unknown>)[member];
	const id = referenceId(reference);
	const record = id ? scope.store.locate(id)?.record : undefined;
	return record ? String(record[codeMember] ?? '') : typeof reference === 'string' ? reference : '';
}

function resolverOf(scope: InterpolationScope) {
	return {
		model: scope.model,
		language: scope.language,
		resolveReference: (value: unknown) => {
			const id = referenceId(value);
			return id ? scope.store.locate(id)?.record : undefined;
		},
	};
}
