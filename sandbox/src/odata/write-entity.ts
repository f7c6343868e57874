/**
 * POST and PATCH bodies → stored records (data-manipulation/create.md, update.md, erpnet-action.md):
 * - attributes are type-checked; unknown and read-only properties are refused;
 * - references as `{"@odata.id":"Set(guid)"}` or `Prop@odata.bind` (relative or absolute), or as nested
 *   objects resolved with `@erpnet.action`/`@erpnet.findBy` (find by ExternalId, Id, code member, name
 *   member, display text; implicit `find` when only lookup keys are given, else `merge`);
 * - child collections inline (`"Lines":[...]`; in a PATCH they add lines, working-with-documents.md);
 * - `@odata.type` picks the concrete type of an abstract set (a Party cannot be created directly);
 * - model defaults, then the back-end defaults the sandbox implements, then required members;
 * - ObjectVersion in a PATCH body is the optimistic-locking check (data-sync/optimistic-locking.md).
 */
import { randomUUID } from 'node:crypto';

import type { AttributeDefinition, ReferenceDefinition } from '../schema/types';
import { isGuid } from '../store/guid-order';
import { idFromODataId, referenceId, StoreError, type EntityRecord, type MemoryStore } from '../store/memory-store';
import { displayText, isMultilanguageValue, readMemberPath, translate } from './display-text';
import { BusinessRuleError, ODataRequestError } from './errors';
import type { EvaluationContext } from './evaluate';
import { attributeValue, type EntitySetInfo } from './model-index';
import { validateBusinessRules } from './business-rules';

export interface WriteContext extends EvaluationContext {
	store: MemoryStore;
	/** Absolute OData service root, ending in `/`. */
	serviceRoot: string;
	/** `CurrentEnterpriseCompanyId` (context-parameters.md), when given and valid. */
	currentEnterpriseCompanyId?: string;
	/** Login of the caller, for CreationUser/UpdateUser. */
	currentUser?: string;
	/** Resolves `$1` Content-ID references inside a $batch changeset. */
	resolveContentId?: (reference: string) => { entitySet: string; id: string } | undefined;
}

export interface WriteResult {
	entitySet: string;
	record: EntityRecord;
	/** false when `@erpnet.action: merge` found and updated an existing object. */
	created: boolean;
}

type JsonObject = Record<string, unknown>;

const ACTIONS = ['create', 'update', 'delete', 'find', 'findOrNull', 'findOrCreate', 'findSingle', 'findSingleOrNull', 'merge'];

interface ParsedBody {
	values: EntityRecord;
	children: Array<{ childSet: string; ownerReference: string; items: JsonObject[] }>;
	objectVersion?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Entry points

export function createEntity(
	set: EntitySetInfo,
	body: unknown,
	context: WriteContext,
	owner?: { reference: string; entitySet: string; id: string },
): WriteResult {
	const object = requireObject(body, set);
	const action = actionOf(object) ?? 'create';
	if (action === 'merge') {
		const existing = findExisting(set, object, context, criteriaFromObject(set, object));
		if (existing) return updateEntity(existing.set, existing.record, withoutAnnotations(object), context, false);
	} else if (action !== 'create') {
		throw new ODataRequestError(`The @erpnet.action '${action}' cannot be used for a top-level POST.`);
	}
	return context.store.atomically(() => insertNew(set, object, context, owner));
}

export function updateEntity(
	set: EntitySetInfo,
	record: EntityRecord,
	body: unknown,
	context: WriteContext,
	checkVersion = true,
): WriteResult {
	const object = requireObject(body, set);
	const concrete = concreteSetOfRecord(set, record, context);
	return context.store.atomically(() => {
		const parsed = parseBody(concrete, object, context, 'update');
		if (checkVersion && parsed.objectVersion !== undefined) checkObjectVersion(concrete, record, parsed.objectVersion);
		reconcileUnits(concrete, parsed.values, record, context);
		const merged = { ...record, ...parsed.values };
		validateBusinessRules(concrete, merged, record, context);
		const stored = context.store.patch(concrete.name, String(record.Id), parsed.values) as EntityRecord;
		for (const child of parsed.children) addChildren(concrete, String(record.Id), child, context);
		return { entitySet: concrete.name, record: context.store.peek(concrete.name, String(stored.Id)) ?? stored, created: false };
	});
}

/**
 * erpnet-action.md: the annotation "can be provided in the body of update request (POST, PATCH)"; `update`
 * is the PATCH default and `delete` "deletes an existing object". `merge` updates the addressed object; the
 * find actions and `create` make no sense for an addressed object and are refused (DECISIONS.md).
 */
export function topLevelPatchAction(body: unknown): 'update' | 'delete' {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return 'update';
	const action = actionOf(body as JsonObject) ?? 'update';
	if (action === 'delete') {
		if (Object.keys(body).some((name) => !name.startsWith('@') && name !== 'ObjectVersion')) {
			throw new ODataRequestError("A PATCH with '@erpnet.action': 'delete' cannot also set properties.");
		}
		return 'delete';
	}
	if (action === 'update' || action === 'merge') return 'update';
	throw new ODataRequestError(`The @erpnet.action '${action}' cannot be used for a top-level PATCH.`);
}

// ---------------------------------------------------------------------------------------------------------
// Create

function insertNew(
	set: EntitySetInfo,
	object: JsonObject,
	context: WriteContext,
	owner?: { reference: string; entitySet: string; id: string },
): WriteResult {
	const concrete = concreteSetForCreate(set, object, context);
	const parsed = parseBody(concrete, object, context, 'create');
	const values: EntityRecord = { ...parsed.values };
	if (owner) values[owner.reference] = { '@odata.id': `${owner.entitySet}(${owner.id})` };
	applyTypeDefaults(concrete, values);
	applyModelDefaults(concrete, values, transactionStart(context));
	applyBackEndDefaults(concrete, values, context);
	reconcileUnits(concrete, values, {}, context);
	checkRequired(concrete, values);
	validateBusinessRules(concrete, values, undefined, context);
	let stored: EntityRecord;
	try {
		stored = context.store.insert(concrete.name, values);
	} catch (error) {
		if (error instanceof StoreError) throw new BusinessRuleError(error.message, error.kind === 'duplicateId' ? 2129 : 0);
		throw error;
	}
	const id = String(stored.Id);
	for (const child of parsed.children) addChildren(concrete, id, child, context);
	return { entitySet: concrete.name, record: context.store.peek(concrete.name, id) ?? stored, created: true };
}

function addChildren(
	owner: EntitySetInfo,
	ownerId: string,
	child: ParsedBody['children'][number],
	context: WriteContext,
): void {
	const childSet = context.model.getSet(child.childSet);
	if (!childSet) throw new ODataRequestError(`The child collection entity set '${child.childSet}' is not available.`);
	for (const item of child.items) {
		createEntity(childSet, item, context, { reference: child.ownerReference, entitySet: owner.name, id: ownerId });
	}
}

function concreteSetForCreate(set: EntitySetInfo, object: JsonObject, context: WriteContext): EntitySetInfo {
	const typeName = object['@odata.type'];
	if (typeName !== undefined) {
		const typed = typeof typeName === 'string' ? context.model.getSetByType(typeName.replace(/^#/, '')) : undefined;
		if (!typed || !set.selfAndDescendants.includes(typed.name)) {
			throw new ODataRequestError(`The type '${String(typeName)}' is not '${set.qualifiedType}' or a type derived from it.`);
		}
		if (!typed.definition.abstract) return typed;
	}
	if (set.definition.abstract) {
		throw new ODataRequestError(
			`Cannot create an instance of the abstract type '${set.qualifiedType}'. Specify the type to create with "@odata.type", e.g. "${derivedTypeExample(set, context)}".`,
		);
	}
	return set;
}

function derivedTypeExample(set: EntitySetInfo, context: WriteContext): string {
	const concrete = set.selfAndDescendants.map((name) => context.model.getSet(name)).find((info) => info && !info.definition.abstract);
	return concrete?.qualifiedType ?? set.qualifiedType;
}

function concreteSetOfRecord(set: EntitySetInfo, record: EntityRecord, context: WriteContext): EntitySetInfo {
	const located = context.store.locate(String(record.Id));
	return (located && context.model.getSet(located.entitySet)) || set;
}

// ---------------------------------------------------------------------------------------------------------
// Body parsing

function requireObject(body: unknown, set: EntitySetInfo): JsonObject {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new ODataRequestError(`The request body must be a JSON object describing '${set.qualifiedType}'.`);
	}
	return body as JsonObject;
}

function actionOf(object: JsonObject): string | undefined {
	const action = object['@erpnet.action'];
	if (action === undefined) return undefined;
	if (typeof action !== 'string' || !ACTIONS.includes(action)) {
		throw new ODataRequestError(`'${String(action)}' is not a valid @erpnet.action. Valid values: ${ACTIONS.join(', ')}.`);
	}
	return action;
}

function withoutAnnotations(object: JsonObject): JsonObject {
	return Object.fromEntries(Object.entries(object).filter(([name]) => !name.startsWith('@')));
}

const IGNORED_ANNOTATIONS = new Set(['@odata.type', '@odata.id', '@odata.context', '@odata.etag', '@erpnet.action', '@erpnet.findBy']);

function parseBody(set: EntitySetInfo, object: JsonObject, context: WriteContext, mode: 'create' | 'update'): ParsedBody {
	const parsed: ParsedBody = { values: {}, children: [] };
	for (const [name, value] of Object.entries(object)) {
		if (IGNORED_ANNOTATIONS.has(name)) continue;
		if (name.endsWith('@odata.bind')) {
			const referenceName = name.slice(0, -'@odata.bind'.length);
			const reference = set.referenceByName.get(referenceName);
			if (!reference) throw unknownProperty(referenceName, set);
			checkWritableReference(reference, set);
			parsed.values[referenceName] = bindReference(reference, value, context);
			continue;
		}
		if (name.includes('@')) continue;
		parseMember(set, name, value, context, mode, parsed);
	}
	return parsed;
}

function unknownProperty(name: string, set: EntitySetInfo): ODataRequestError {
	return new ODataRequestError(
		`The property '${name}' does not exist on type '${set.qualifiedType}'. Make sure to only use property names that are defined by the type.`,
	);
}

function parseMember(
	set: EntitySetInfo,
	name: string,
	value: unknown,
	context: WriteContext,
	mode: 'create' | 'update',
	parsed: ParsedBody,
): void {
	if (name === 'ObjectVersion') {
		if (typeof value !== 'number' || !Number.isInteger(value)) throw conversionError(value, 'Edm.Int32');
		parsed.objectVersion = value;
		return;
	}
	const attribute = set.attributeByName.get(name);
	if (attribute) {
		checkWritableAttribute(attribute, set, mode);
		parsed.values[name === set.keyAttribute ? 'Id' : name] = convertAttributeValue(attribute, value);
		return;
	}
	const reference = set.referenceByName.get(name);
	if (reference) {
		checkWritableReference(reference, set);
		parsed.values[name] = resolveReferenceValue(reference, value, context);
		return;
	}
	const child = set.childByName.get(name);
	if (child) {
		if (!Array.isArray(value) || value.some((item) => !item || typeof item !== 'object')) {
			throw new ODataRequestError(`The child collection '${name}' must be a JSON array of objects.`);
		}
		parsed.children.push({ childSet: child.childSet, ownerReference: child.ownerReference, items: value as JsonObject[] });
		return;
	}
	throw unknownProperty(name, set);
}

function checkWritableAttribute(attribute: AttributeDefinition, set: EntitySetInfo, mode: 'create' | 'update'): void {
	const isKey = attribute.name === set.keyAttribute;
	if (isKey && mode === 'update') throw readOnlyError(attribute.name, set);
	if (!isKey && (attribute.readOnly || attribute.calculated)) throw readOnlyError(attribute.name, set);
}

function checkWritableReference(reference: ReferenceDefinition, set: EntitySetInfo): void {
	if (reference.readOnly) throw readOnlyError(reference.name, set);
}

function readOnlyError(name: string, set: EntitySetInfo): ODataRequestError {
	return new ODataRequestError(`The property '${name}' of type '${set.qualifiedType}' is read-only and cannot be set.`);
}

function conversionError(value: unknown, edmType: string): ODataRequestError {
	return new ODataRequestError(`Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${edmType}'.`);
}

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
		case 'Date':
			return convertDate(value);
		case 'Guid':
			if (typeof value !== 'string' || !isGuid(value)) throw conversionError(value, 'Edm.Guid');
			return value.toLowerCase();
		case 'Enum':
			return convertEnum(attribute, value);
		case 'Amount':
			return convertComplex(value, 'Currency', 'Erp.Amount');
		case 'Quantity':
			return convertComplex(value, 'Unit', 'Erp.Quantity');
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

/** Multi-language values replace all languages at once (complex-types/multi-language-string.md). */
function convertMultilanguage(attribute: AttributeDefinition, value: unknown): Record<string, string> {
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw conversionError(value, 'Erp.MultilanguageString');
	const result: Record<string, string> = {};
	for (const [language, text] of Object.entries(value)) {
		if (typeof text !== 'string') throw conversionError(value, 'Erp.MultilanguageString');
		if (attribute.maxLength !== undefined && text.length > attribute.maxLength) {
			throw new BusinessRuleError(`The value of '${attribute.name}' (${language}) is too long: the maximum is ${attribute.maxLength}.`);
		}
		result[language] = text;
	}
	return result;
}

/** IEEE754Compatible=false: numbers; amount.md also shows `"3.55"`, so numeric strings are accepted. */
function convertDecimal(value: unknown): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) throw conversionError(value, 'Edm.Decimal');
	return number;
}

/** `"2022-01-01"` (change-language.md) and `"2020-05-08T00:00:00Z"` are both accepted; stored as UTC ISO. */
function convertDate(value: unknown): string {
	if (typeof value !== 'string') throw conversionError(value, 'Edm.DateTimeOffset');
	const text = value.length === 10 ? `${value}T00:00:00Z` : value;
	const instant = Date.parse(text);
	if (Number.isNaN(instant)) throw conversionError(value, 'Edm.DateTimeOffset');
	return new Date(instant).toISOString().replace('.000Z', 'Z');
}

function convertEnum(attribute: AttributeDefinition, value: unknown): string {
	const members = attribute.enumValues ?? [];
	const member = typeof value === 'string' ? members.find((candidate) => candidate.name.toLowerCase() === value.toLowerCase()) : undefined;
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

// ---------------------------------------------------------------------------------------------------------
// References

function referenceTo(reference: ReferenceDefinition, id: string): EntityRecord {
	return { '@odata.id': `${reference.targetSet}(${id})` };
}

/** `Set(guid)` or an absolute URL ending in it (update.md binds `https://testdb.my.erp.net/api/domain/odata/...`). */
function bindReference(reference: ReferenceDefinition, value: unknown, context: WriteContext): EntityRecord | null {
	if (value === null) return null;
	if (typeof value !== 'string') throw conversionError(value, `Erp.${reference.targetSet}`);
	const contentId = value.startsWith('$') ? context.resolveContentId?.(value) : undefined;
	if (contentId) return referenceTo(reference, contentId.id);
	const path = value.slice(value.lastIndexOf('/') + 1);
	const entitySet = path.slice(0, path.indexOf('('));
	const id = idFromODataId(path);
	if (!id || !entitySet) {
		throw new ODataRequestError(`'${value}' is not a valid entity id; expected '${reference.targetSet}(<guid>)'.`);
	}
	const renamed = context.model.resolveRename(entitySet);
	if (renamed && !context.model.getSet(entitySet)) throw renamedEntitySetError(entitySet, renamed, context);
	const located = context.store.locate(id);
	const targetFamily = context.model.getSet(reference.targetSet)?.selfAndDescendants ?? [reference.targetSet];
	if (!located || !targetFamily.includes(located.entitySet)) {
		throw new BusinessRuleError(`The object '${entitySet}(${id})' referenced by '${reference.name}' does not exist.`);
	}
	return referenceTo(reference, id);
}

/** handling-renames.md: the exact text of the error for an old entity set name. */
export function renamedEntitySetError(oldName: string, newName: string, context: { serviceRoot: string }): BusinessRuleError {
	return new BusinessRuleError(
		`The provided entity set name '${oldName}' is no more supported.\r\nThe new name of this entity is '${newName}'.\r\nList of all entity renames can be found at ${context.serviceRoot}GetRenamedEntityTypes.`,
		0,
	);
}

function resolveReferenceValue(reference: ReferenceDefinition, value: unknown, context: WriteContext): EntityRecord | null {
	if (value === null) return null;
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new ODataRequestError(`The reference '${reference.name}' must be an object such as {"@odata.id":"${reference.targetSet}(<guid>)"}.`);
	}
	const object = value as JsonObject;
	if (typeof object['@odata.id'] === 'string') return bindReference(reference, object['@odata.id'], context);
	const target = context.model.getSet(reference.targetSet);
	if (!target) throw new ODataRequestError(`The entity set '${reference.targetSet}' is not available.`);
	const found = resolveNestedObject(target, object, context);
	return found ? referenceTo(reference, String(found.Id)) : null;
}

interface FindCriteria {
	kind: 'ExternalId' | 'Id' | 'Code' | 'Name' | 'DisplayText';
	value: string;
	externalSystem?: string;
}

const FIND_BY_ORDER: FindCriteria['kind'][] = ['ExternalId', 'Id', 'Code', 'Name', 'DisplayText'];

/** erpnet-action.md "Find Criteria Evaluation": the first available criterion, in priority order. */
function criteriaFromFindBy(findBy: unknown): FindCriteria | undefined {
	if (!findBy || typeof findBy !== 'object') throw new ODataRequestError('@erpnet.findBy must be a JSON object.');
	const object = findBy as Record<string, unknown>;
	for (const kind of FIND_BY_ORDER) {
		const value = object[kind];
		if (value === undefined || value === null) continue;
		const externalSystem = kind === 'ExternalId' && typeof object.ExternalSystem === 'string' ? object.ExternalSystem : undefined;
		return { kind, value: String(value), externalSystem };
	}
	return undefined;
}

/** "If the @erpnet.findBy annotation is omitted, the search criteria are automatically derived from the provided object's properties." */
function criteriaFromObject(set: EntitySetInfo, object: JsonObject): FindCriteria | undefined {
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

function resolveNestedObject(target: EntitySetInfo, object: JsonObject, context: WriteContext): EntityRecord | undefined {
	const data = withoutAnnotations(object);
	const onlyKeys = Object.keys(data).every((name) => lookupKeys(target).has(name));
	const action = actionOf(object) ?? (onlyKeys && Object.keys(data).length + (object['@erpnet.findBy'] ? 1 : 0) > 0 ? 'find' : 'merge');
	const criteria = criteriaFromObject(target, object);
	if (action === 'create') return insertNew(target, data, context).record;
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
			return matches[0] ?? insertNew(target, data, context).record;
		case 'update':
			if (!matches[0]) throw new BusinessRuleError(`Cannot find an object of type '${target.qualifiedType}' with ${describeCriteria} to update.`);
			return updateEntity(target, matches[0], data, context, false).record;
		case 'merge':
			if (matches[0]) return updateEntity(target, matches[0], data, context, false).record;
			return insertNew(target, { ...data, ...(object['@odata.type'] ? { '@odata.type': object['@odata.type'] } : {}) }, context).record;
		default:
			throw new ODataRequestError(`The @erpnet.action '${action}' cannot be used for a nested object.`);
	}
}

function findExisting(
	set: EntitySetInfo,
	object: JsonObject,
	context: WriteContext,
	criteria: FindCriteria | undefined,
): { set: EntitySetInfo; record: EntityRecord } | undefined {
	const record = criteria ? findMatches(set, criteria, context)[0] : undefined;
	return record ? { set, record } : undefined;
}

function findMatches(set: EntitySetInfo, criteria: FindCriteria, context: WriteContext): EntityRecord[] {
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

// ---------------------------------------------------------------------------------------------------------
// Defaults and required members

/** The server time a write's transaction started (the sandbox clock, store/clock.ts). */
function transactionStart(context: WriteContext): number {
	const clock = context.store.clock;
	return clock.now() - Math.max(0, clock.commitDelayMs);
}

function applyModelDefaults(set: EntitySetInfo, values: EntityRecord, now: number): void {
	for (const attribute of set.attributes) {
		if (values[attribute.name] !== undefined || attribute.name === set.keyAttribute || attribute.system) continue;
		const value = modelDefault(attribute, now);
		if (value !== undefined) values[attribute.name] = value;
	}
}

/** The party type follows the concrete type (the model's `Default("P")` belongs to the Parties base). */
const PARTY_TYPE_BY_SET: Record<string, string> = {
	General_Contacts_Companies: 'Company',
	General_Contacts_Persons: 'Person',
	Logistics_Inventory_Stores: 'Store',
	General_Contacts_CompanyLocations: 'CompanyLocation',
	General_Contacts_CompanyDivisions: 'CompanyDivision',
};

function applyTypeDefaults(set: EntitySetInfo, values: EntityRecord): void {
	const partyType = PARTY_TYPE_BY_SET[set.name];
	if (partyType && set.attributeByName.has('PartyType') && values.PartyType === undefined) values.PartyType = partyType;
}

function withoutMilliseconds(instant: number): string {
	return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function modelDefault(attribute: AttributeDefinition, now: number): unknown {
	switch (attribute.defaultValueType) {
		case 'CurrentDate':
			return `${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`;
		case 'CurrentDateTime':
		case 'CurrentDateTimeUtc':
			return withoutMilliseconds(now);
		case 'Constant':
			if (attribute.type === 'Amount' && typeof attribute.defaultApiValue === 'number') return { Value: attribute.defaultApiValue, Currency: null };
			if (attribute.type === 'Quantity' && typeof attribute.defaultApiValue === 'number') return { Value: attribute.defaultApiValue, Unit: null };
			return attribute.defaultApiValue;
		default:
			return undefined;
	}
}

/** The back-end defaults of the model pages that the sandbox implements (auto numbers, derived values). */
function applyBackEndDefaults(set: EntitySetInfo, values: EntityRecord, context: WriteContext): void {
	const has = (name: string) => values[name] !== undefined && values[name] !== null;
	if (set.referenceByName.has('EnterpriseCompany') && !has('EnterpriseCompany') && context.currentEnterpriseCompanyId) {
		values.EnterpriseCompany = referenceTo(set.referenceByName.get('EnterpriseCompany') as ReferenceDefinition, context.currentEnterpriseCompanyId);
	}
	for (const name of ['DocumentNo', 'PartyCode']) {
		if (set.attributeByName.has(name) && !has(name)) values[name] = nextNumber(set, name, context);
	}
	for (const name of ['LineNo', 'LineOrd']) {
		if (set.attributeByName.has(name) && !has(name)) values[name] = nextLineNumber(set, name, values, context);
	}
	if (set.attributeByName.has('PartyName') && !has('PartyName')) {
		const partyName = derivedPartyName(values);
		if (partyName) values.PartyName = partyName;
	}
	if (set.attributeByName.has('ProductDescription') && !has('ProductDescription')) {
		const product = context.resolveReference(values.Product);
		if (product && isMultilanguageValue(product.Name)) values.ProductDescription = { ...product.Name };
	}
	if (set.attributeByName.has('EntityName') && !has('EntityName') && set.definition.table) values.EntityName = set.definition.table;
	if (set.attributeByName.has('CreationUser') && !has('CreationUser')) values.CreationUser = context.currentUser ?? 'sandbox';
	if (set.attributeByName.has('CreationTime') && !has('CreationTime')) values.CreationTime = withoutMilliseconds(transactionStart(context));
	if (set.attributeByName.has('QuantityBase') && !has('QuantityBase') && has('Quantity')) values.QuantityBase = values.Quantity;
	if (set.attributeByName.has('ApplyDate') && !has('ApplyDate') && has('DocumentDate')) values.ApplyDate = values.DocumentDate;
	applyDocumentDefaults(set, values, context);
}

function applyDocumentDefaults(set: EntitySetInfo, values: EntityRecord, context: WriteContext): void {
	const has = (name: string) => values[name] !== undefined && values[name] !== null;
	if (set.ownerReference && set.referenceByName.has('Document') && !has('Document')) {
		const ownerId = referenceId(values[set.ownerReference.name]);
		const documentReference = set.referenceByName.get('Document') as ReferenceDefinition;
		if (ownerId) values.Document = referenceTo(documentReference, ownerId);
	}
	if (set.referenceByName.has('FromParty') && !has('FromParty')) {
		const company = context.resolveReference(values.EnterpriseCompany);
		const partyId = company ? referenceId(company.Company) : undefined;
		if (partyId) values.FromParty = referenceTo(set.referenceByName.get('FromParty') as ReferenceDefinition, partyId);
	}
	if (set.referenceByName.has('MasterDocument') && !has('MasterDocument')) {
		// "If this is the root it is equal to Id": the id is fixed here so the reference can point to itself.
		values.Id = String(values.Id ?? randomUUID()).toLowerCase();
		values.MasterDocument = referenceTo(set.referenceByName.get('MasterDocument') as ReferenceDefinition, String(values.Id));
	}
}

function derivedPartyName(values: EntityRecord): Record<string, string> | undefined {
	if (isMultilanguageValue(values.Name)) return { ...values.Name };
	const parts = ['FirstName', 'MiddleName', 'LastName'].map((name) => values[name]).filter(isMultilanguageValue);
	if (parts.length === 0) return undefined;
	const languages = new Set(parts.flatMap((part) => Object.keys(part)));
	return Object.fromEntries(
		[...languages].map((language) => [language, parts.map((part) => translate(part, language)).filter(Boolean).join(' ')]),
	);
}

function nextNumber(set: EntitySetInfo, name: string, context: WriteContext): string {
	let highest = 0;
	for (const record of context.store.scan(set.name)) {
		const digits = String(attributeValue(set, record, name) ?? '').replace(/\D/g, '');
		if (digits.length > 0 && digits.length < 16) highest = Math.max(highest, Number(digits));
	}
	return String(highest + 1).padStart(6, '0');
}

function nextLineNumber(set: EntitySetInfo, name: string, values: EntityRecord, context: WriteContext): number {
	const ownerId = set.ownerReference ? referenceId(values[set.ownerReference.name]) : undefined;
	const siblings = ownerId ? context.store.childrenOf(set.name, ownerId) : [];
	const highest = siblings.reduce((max, sibling) => Math.max(max, Number(sibling[name] ?? 0)), 0);
	return highest + 10;
}

function checkRequired(set: EntitySetInfo, values: EntityRecord): void {
	const missing: string[] = [];
	for (const attribute of set.attributes) {
		// Read-only attributes are computed by the server; only what a client can send is demanded.
		const requiresInput = attribute.required && !attribute.readOnly && !attribute.system && attribute.name !== set.keyAttribute;
		if (requiresInput && (values[attribute.name] === undefined || values[attribute.name] === null)) missing.push(attribute.name);
	}
	for (const reference of set.definition.references) {
		if (reference.required && !referenceId(values[reference.name])) missing.push(reference.name);
	}
	if (missing.length > 0) {
		throw new BusinessRuleError(
			`An error occurred while saving data to the database\r\nThe required attribute${missing.length > 1 ? 's' : ''} ${missing
				.map((name) => `'${name}'`)
				.join(', ')} of '${set.definition.repository}' must have a value.`,
		);
	}
}

// ---------------------------------------------------------------------------------------------------------
// Currencies and units of Amount and Quantity values (data-manipulation/update-order.md)

/**
 * A unit or currency stored in the same entity (`Unit: QuantityUnit`) is set from the code in the value;
 * one stored elsewhere (`Currency: SalesOrder.DocumentCurrency`) is not changed, and the code must match it.
 * A value sent without a code gets the effective one.
 */
function reconcileUnits(set: EntitySetInfo, changes: EntityRecord, current: EntityRecord, context: WriteContext): void {
	for (const attribute of set.attributes) {
		const value = changes[attribute.name];
		if ((attribute.type !== 'Amount' && attribute.type !== 'Quantity') || !attribute.unitExpression || !value || typeof value !== 'object') continue;
		const complex = value as Record<string, unknown>;
		const unitField = attribute.type === 'Amount' ? 'Currency' : 'Unit';
		const path = attribute.unitExpression.split('?.').join('.').split('.');
		if (path.length === 1 && set.referenceByName.has(path[0])) {
			reconcileLocalUnit(set, attribute.name, complex, unitField, path[0], changes, current, context);
		} else {
			reconcileExternalUnit(set, attribute.name, complex, unitField, path, { ...current, ...changes }, context);
		}
	}
}

function codeOf(set: EntitySetInfo, record: EntityRecord, context: WriteContext): string | undefined {
	const member = set.definition.codeMember;
	const found = member ? readMemberPath(set, record, member.split('.'), context) : undefined;
	return typeof found?.value === 'string' ? found.value : undefined;
}

function reconcileLocalUnit(
	set: EntitySetInfo,
	attributeName: string,
	complex: Record<string, unknown>,
	unitField: string,
	referenceName: string,
	changes: EntityRecord,
	current: EntityRecord,
	context: WriteContext,
): void {
	const reference = set.referenceByName.get(referenceName) as ReferenceDefinition;
	const target = context.model.getSet(reference.targetSet);
	if (!target) return;
	const code = complex[unitField];
	if (typeof code !== 'string' || code === '') {
		const effective = context.resolveReference(changes[referenceName] ?? current[referenceName]);
		if (effective) complex[unitField] = codeOf(target, effective, context) ?? null;
		return;
	}
	const found = findMatches(target, { kind: 'Code', value: code }, context)[0];
	if (!found) throw new BusinessRuleError(`Cannot find an object of type '${target.qualifiedType}' with Code = '${code}' for '${attributeName}'.`);
	const explicit = changes[referenceName];
	if (explicit !== undefined && explicit !== null && referenceId(explicit) !== String(found.Id)) {
		throw new BusinessRuleError(
			`'${referenceName}' and '${attributeName}.${unitField}' ('${code}') must refer to the same ${target.definition.repository.split('.').pop()} entry.`,
		);
	}
	changes[referenceName] = referenceTo(reference, String(found.Id));
	complex[unitField] = codeOf(target, found, context) ?? code;
}

function reconcileExternalUnit(
	set: EntitySetInfo,
	attributeName: string,
	complex: Record<string, unknown>,
	unitField: string,
	path: string[],
	record: EntityRecord,
	context: WriteContext,
): void {
	const holder = readMemberPath(set, record, path, context);
	const reference = holder?.set.referenceByName.get(path[path.length - 1]);
	const target = reference ? context.model.getSet(reference.targetSet) : undefined;
	const effectiveRecord = holder ? context.resolveReference(holder.value) : undefined;
	const effective = target && effectiveRecord ? codeOf(target, effectiveRecord, context) : undefined;
	if (!effective) return;
	const code = complex[unitField];
	if (typeof code === 'string' && code !== '' && code.toLowerCase() !== effective.toLowerCase()) {
		throw new BusinessRuleError(
			`The ${unitField.toLowerCase()} '${code}' of '${attributeName}' does not match '${effective}', the effective ${unitField.toLowerCase()} (${path.join('.')}). A ${unitField.toLowerCase()} stored in another entity cannot be changed through '${attributeName}'.`,
		);
	}
	complex[unitField] = effective;
}

// ---------------------------------------------------------------------------------------------------------
// Optimistic locking

/**
 * optimistic-locking.md: "proceeds with the update ONLY if it is the same; otherwise, it returns error".
 * The status is 500 like every Domain API error (error-handling.md); the wording is the sandbox's.
 */
export function checkObjectVersion(set: EntitySetInfo, record: EntityRecord, provided: number): void {
	const current = Number(record.ObjectVersion);
	if (current === provided) return;
	throw new BusinessRuleError(
		`The object '${set.name}(${String(record.Id)})' was changed by another user or process after it was read: its ObjectVersion is ${current}, but the update is based on ObjectVersion ${provided}. Read the object again and retry the update.`,
		2041,
	);
}
