/** Nested objects resolved with `@erpnet.action` / `@erpnet.findBy` (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html "Find Criteria Evaluation"). */
import { isGuid } from '../../store/guid-order';
import type { EntityRecord } from '../../store/memory-store';
import { displayText, isMultilanguageValue, readMemberPath, type EntitySetInfo } from '../model';
import { BusinessRuleError, ODataRequestError } from '../errors';
import { actionOf, withoutAnnotations } from './annotations';
import type { JsonObject, WriteContext } from './types';

export interface FindCriteria {
	kind: 'ExternalId' | 'Id' | 'Code' | 'Name' | 'DisplayText';
	value: string;
	externalSystem?: string;
}

const FIND_BY_ORDER: FindCriteria['kind'][] = ['ExternalId', 'Id', 'Code', 'Name', 'DisplayText'];

/** https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html "Find Criteria Evaluation": the first available criterion, in priority order. */
function criteriaFromFindBy(findBy: unknown): FindCriteria | undefined {
	if (!findBy || typeof findBy !== 'object') throw new ODataRequestError('@erpnet.findBy must be a JSON object.');
	const object = findBy as Record<string, unknown>;
	for (const kind of FIND_BY_ORDER) {
		const value = object[kind];
		if (value === undefined || value === null) continue;
		const externalSystem =
			kind === 'ExternalId' && typeof object.ExternalSystem === 'string' ? object.ExternalSystem : undefined;
		return { kind, value: String(value), externalSystem };
	}
	return undefined;
}

export function criteriaFromObject(set: EntitySetInfo, object: JsonObject): FindCriteria | undefined {
	if (object['@erpnet.findBy'] !== undefined) return criteriaFromFindBy(object['@erpnet.findBy']);
	if (typeof object.ExternalId === 'string') {
		const externalSystem = typeof object.ExternalSystem === 'string' ? object.ExternalSystem : undefined;
		return { kind: 'ExternalId', value: object.ExternalId, externalSystem };
	}
	const id = object[set.keyAttribute] ?? object.Id;
	if (typeof id === 'string') return { kind: 'Id', value: id };
	const codeMember = set.definition.codeMember;
	if (codeMember && !codeMember.includes('.') && object[codeMember] !== undefined && object[codeMember] !== null) {
		return { kind: 'Code', value: String(object[codeMember]) };
	}
	const nameMember = set.definition.nameMember;
	if (nameMember && !nameMember.includes('.') && typeof object[nameMember] === 'string') {
		return { kind: 'Name', value: object[nameMember] as string };
	}
	return undefined;
}

/** The properties that only serve as lookup keys (then the implicit action is `find`). */
function lookupKeys(set: EntitySetInfo): Set<string> {
	const keys = new Set(['ExternalId', 'ExternalSystem', 'Id', set.keyAttribute]);
	if (set.definition.codeMember && !set.definition.codeMember.includes('.')) keys.add(set.definition.codeMember);
	return keys;
}

export function resolveNestedObject(
	target: EntitySetInfo,
	object: JsonObject,
	context: WriteContext,
): EntityRecord | undefined {
	const data = withoutAnnotations(object);
	const onlyKeys = Object.keys(data).every((name) => lookupKeys(target).has(name));
	const action =
		actionOf(object) ??
		(onlyKeys && Object.keys(data).length + (object['@erpnet.findBy'] ? 1 : 0) > 0 ? 'find' : 'merge');
	const criteria = criteriaFromObject(target, object);
	if (action === 'create') return context.writer.insert(target, data, context).record;
	const matches = criteria ? findMatches(target, criteria, context) : [];
	const describeCriteria = criteria ? `${criteria.kind} = '${criteria.value}'` : 'the given properties';
	switch (action) {
		case 'find':
		case 'findSingle':
			if (matches.length === 0 || (action === 'findSingle' && matches.length > 1)) {
				throw new BusinessRuleError(
					matches.length === 0
						? `Cannot find an object of type '${target.qualifiedType}' with ${describeCriteria}.`
						: `More than one object of type '${target.qualifiedType}' matches ${describeCriteria}.`,
				);
			}
			return matches[0];
		case 'findOrNull':
			return matches[0];
		case 'findSingleOrNull':
			return matches.length === 1 ? matches[0] : undefined;
		case 'findOrCreate':
			return matches[0] ?? context.writer.insert(target, data, context).record;
		case 'update':
			if (!matches[0])
				throw new BusinessRuleError(
					`Cannot find an object of type '${target.qualifiedType}' with ${describeCriteria} to update.`,
				);
			return context.writer.update(target, matches[0], data, context, false).record;
		case 'merge':
			if (matches[0]) return context.writer.update(target, matches[0], data, context, false).record;
			return context.writer.insert(
				target,
				{ ...data, ...(object['@odata.type'] ? { '@odata.type': object['@odata.type'] } : {}) },
				context,
			).record;
		default:
			throw new ODataRequestError(`The @erpnet.action '${action}' cannot be used for a nested object.`);
	}
}

export function findExisting(
	set: EntitySetInfo,
	object: JsonObject,
	context: WriteContext,
	criteria: FindCriteria | undefined,
): { set: EntitySetInfo; record: EntityRecord } | undefined {
	const record = criteria ? findMatches(set, criteria, context)[0] : undefined;
	return record ? { set, record } : undefined;
}

export function findMatches(set: EntitySetInfo, criteria: FindCriteria, context: WriteContext): EntityRecord[] {
	const wanted = criteria.value.toLowerCase();
	const matches: EntityRecord[] = [];
	if (criteria.kind === 'Id') {
		const record = isGuid(criteria.value) ? context.store.peek(set.name, criteria.value) : undefined;
		return record ? [record] : [];
	}
	for (const record of context.store.scan(set.name)) {
		if (matchesCriteria(set, record, criteria, wanted, context)) matches.push(record);
	}
	return matches;
}

function matchesCriteria(
	set: EntitySetInfo,
	record: EntityRecord,
	criteria: FindCriteria,
	wanted: string,
	context: WriteContext,
): boolean {
	switch (criteria.kind) {
		case 'ExternalId':
			return (
				String(record.ExternalId ?? '').toLowerCase() === wanted &&
				(criteria.externalSystem === undefined || String(record.ExternalSystem ?? '') === criteria.externalSystem)
			);
		case 'Code': {
			const member = set.definition.codeMember;
			const found = member ? readMemberPath(set, record, member.split('.'), context) : undefined;
			return found !== undefined && String(found.value ?? '').toLowerCase() === wanted;
		}
		case 'Name': {
			// "The search operation performs a case-insensitive contains match."
			const member = set.definition.nameMember;
			const found = member ? readMemberPath(set, record, member.split('.'), context) : undefined;
			if (!found) return false;
			const texts = isMultilanguageValue(found.value) ? Object.values(found.value) : [String(found.value ?? '')];
			return texts.some((text) => String(text).toLowerCase().includes(wanted));
		}
		case 'DisplayText':
			return displayText(set, record, context).toLowerCase().includes(wanted);
		default:
			return false;
	}
}
