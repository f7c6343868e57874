/**
 * Functions (GET, OData function-parameter syntax; https://docs.erp.net/dev/domain-api/operations/index.html) and the no-op Recalculate, from the
 * "API Methods" of the model pages:
 * - GetPropertyAllowedValues(propertyName, search?, top?=10, skip?=0): Collection of ValueTextPair.
 * - GetAllowedCustomPropertyValues(customPropertyCode, search?, exactMatch?, orderByDescription?, top?=10, skip?=0):
 *   Collection of CustomPropertyValue (stored-attributes.ts).
 * - GetAllParentDocuments(includeSelf?=false): "traversing the parent document chain by using the Parent property".
 * - Recalculate: "The changes are only in memory and are not committed" (https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html) — without
 *   a front-end transaction there is nothing to keep, so the sandbox answers 204 and changes nothing.
 */
import { type EntityRecord, referenceId } from '../../store/memory-store';
import {
	displayText,
	translate,
	allowedValues,
	type CustomPropertyValue,
	type EntitySetInfo,
	spellOut,
} from '../model';
import { BusinessRuleError, ODataRequestError } from '../errors';
import { serializationContext } from '../request/contexts';
import { jsonResponse } from '../request/json';
import type { ODataResponse } from '../request/types';
import { parseQuery, splitQueryString, createProjector } from '../query';
import type { OperationCall } from './types';

function likeMatcher(search: unknown): (text: string) => boolean {
	if (search === null || search === undefined || search === '') return () => true;
	// "Can contain wildcard character %": without one the text must contain the search text.
	const parts = String(search).toLowerCase().split('%');
	const pattern = String(search).includes('%')
		? new RegExp(`^${parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
		: undefined;
	return (text) =>
		pattern ? pattern.test(text.toLowerCase()) : text.toLowerCase().includes(String(search).toLowerCase());
}

function page<T>(items: T[], top: unknown, skip: unknown): T[] {
	const skipCount = Number(skip ?? 0);
	const topCount = Number(top ?? 10);
	if (skipCount < 0 || topCount < 0) throw new ODataRequestError('The parameters top and skip cannot be negative.');
	return items.slice(skipCount, skipCount + topCount);
}

export function getPropertyAllowedValues(call: OperationCall): ODataResponse {
	const { set, parameters, environment } = call;
	const name = String(parameters.propertyName);
	const matches = likeMatcher(parameters.search);
	const attribute = set.attributeByName.get(name);
	const reference = set.referenceByName.get(name);
	let pairs: Array<{ Value: string; Text: string }>;
	if (attribute?.type === 'Enum') {
		pairs = (attribute.enumValues ?? []).map((member) => ({ Value: member.name, Text: spellOut(member.name) }));
	} else if (attribute?.type === 'Boolean') {
		pairs = [
			{ Value: 'true', Text: 'True' },
			{ Value: 'false', Text: 'False' },
		];
	} else if (reference && environment.model.getSet(reference.targetSet)) {
		const target = environment.model.getSet(reference.targetSet) as EntitySetInfo;
		const context = serializationContext(environment, parseQuery(splitQueryString('')));
		pairs = [];
		for (const set of [
			target,
			...environment.model.sets.filter((candidate) => candidate.ancestors.includes(target.name)),
		]) {
			if (set.definition.abstract) continue;
			for (const record of environment.store.scan(set.name)) {
				pairs.push({ Value: `${reference.targetSet}(${String(record.Id)})`, Text: displayText(set, record, context) });
			}
		}
	} else if (attribute || reference) {
		pairs = [];
	} else {
		throw new BusinessRuleError(`The entity '${set.name}' has no attribute or reference '${name}'.`);
	}
	const value = page(
		pairs.filter((pair) => matches(pair.Text) || matches(pair.Value)),
		parameters.top,
		parameters.skip,
	);
	return jsonResponse(200, {
		'@odata.context': `${environment.serviceRoot}$metadata#Collection(ErpNet.Model.OData.ValueTextPair)`,
		value,
	});
}

/**
 * https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html "Getting allowed values": the allowed values of one stored
 * attribute of the record's entity, searched by value or description (`%` wildcards), ordered by value (or description).
 */
export function getAllowedCustomPropertyValues(call: OperationCall): ODataResponse {
	const { set, parameters, environment } = call;
	const code = String(parameters.customPropertyCode);
	const definition = set.attributes.find((attribute) => attribute.storedAttribute?.code === code)?.storedAttribute;
	if (!definition) throw new BusinessRuleError(`The custom property '${code}' is not defined for '${set.name}'.`);
	const matches = likeMatcher(parameters.search);
	const search = String(parameters.search ?? '').toLowerCase();
	const description = (entry: CustomPropertyValue) => translate(entry.Description ?? {}, environment.language) ?? '';
	const found = allowedValues(definition, environment.store).filter((entry) =>
		parameters.exactMatch === true
			? (entry.Value ?? '').toLowerCase() === search
			: matches(entry.Value ?? '') || matches(description(entry)),
	);
	const key = parameters.orderByDescription === true ? description : (entry: CustomPropertyValue) => entry.Value ?? '';
	found.sort((left, right) => key(left).localeCompare(key(right)));
	const value = page(found, parameters.top, parameters.skip);
	return jsonResponse(200, {
		'@odata.context': `${environment.serviceRoot}$metadata#Collection(Erp.CustomPropertyValue)`,
		value,
	});
}

export function getAllParentDocuments(call: OperationCall): ODataResponse {
	const { environment, request } = call;
	const query = parseQuery(splitQueryString(request.query));
	const context = serializationContext(environment, query);
	const chain: Array<{ entitySet: string; record: EntityRecord }> = [];
	const seen = new Set<string>();
	let current: EntityRecord | undefined = call.record;
	if (call.parameters.includeSelf === true)
		chain.push({
			entitySet: environment.store.locate(String(call.record.Id))?.entitySet ?? call.set.name,
			record: call.record,
		});
	while (current) {
		const parentId = referenceId(current.Parent);
		if (!parentId || seen.has(parentId)) break;
		seen.add(parentId);
		const located = environment.store.locate(parentId);
		if (!located) break;
		chain.push(located);
		current = located.record;
	}
	const value = chain.map(({ entitySet, record }) => {
		const set = environment.model.getSet(entitySet) ?? call.set;
		return {
			'@odata.id': `${entitySet}(${String(record.Id)})`,
			...createProjector(set, query.select, query.expand, context)(record),
		};
	});
	return jsonResponse(200, {
		'@odata.context': `${environment.serviceRoot}$metadata#General_Documents_Documents`,
		value,
	});
}

export function recalculate(): ODataResponse {
	return { status: 204, headers: { 'OData-Version': '4.0' } };
}
