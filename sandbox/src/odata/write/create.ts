/** Inserting a new record: its concrete type, defaults, required members, then its inline children. */
import { BusinessRuleError, ODataRequestError } from '../errors';
import { StoreError, type EntityRecord } from '../../store/memory-store';
import { validateBusinessRules } from './business-rules';
import type { EntitySetInfo } from '../model';
import { parseBody } from './body';
import {
	applyBackEndDefaults,
	applyModelDefaults,
	applyTypeDefaults,
	checkRequired,
	transactionStart,
} from './defaults';
import type { JsonObject, ParsedBody, WriteContext, WriteOwner, WriteResult } from './types';
import { reconcileUnits } from './units';

export function insertNew(
	set: EntitySetInfo,
	object: JsonObject,
	context: WriteContext,
	owner?: WriteOwner,
): WriteResult {
	const concrete = concreteSetForCreate(set, object, context);
	const parsed = parseBody(concrete, object, context, 'create');
	const values: EntityRecord = { ...parsed.values };
	if (owner) values[owner.reference] = { '@odata.id': `${owner.entitySet}(${owner.id})` };
	applyTypeDefaults(concrete, values);
	applyModelDefaults(concrete, values, transactionStart(context), context.store.clock.timeZoneOffsetMs);
	applyBackEndDefaults(concrete, values, context);
	reconcileUnits(concrete, values, {}, context);
	checkRequired(concrete, values);
	validateBusinessRules(concrete, values, undefined, context);
	let stored: EntityRecord;
	try {
		stored = context.store.insert(concrete.name, values);
	} catch (error) {
		if (error instanceof StoreError)
			throw new BusinessRuleError(error.message, error.kind === 'duplicateId' ? 2129 : 0);
		throw error;
	}
	const id = String(stored.Id);
	for (const child of parsed.children) addChildren(concrete, id, child, context);
	return { entitySet: concrete.name, record: context.store.peek(concrete.name, id) ?? stored, created: true };
}

export function addChildren(
	owner: EntitySetInfo,
	ownerId: string,
	child: ParsedBody['children'][number],
	context: WriteContext,
): void {
	const childSet = context.model.getSet(child.childSet);
	if (!childSet) throw new ODataRequestError(`The child collection entity set '${child.childSet}' is not available.`);
	for (const item of child.items) {
		context.writer.create(childSet, item, context, {
			reference: child.ownerReference,
			entitySet: owner.name,
			id: ownerId,
		});
	}
}

function concreteSetForCreate(set: EntitySetInfo, object: JsonObject, context: WriteContext): EntitySetInfo {
	const typeName = object['@odata.type'];
	if (typeName !== undefined) {
		const typed = typeof typeName === 'string' ? context.model.getSetByType(typeName.replace(/^#/, '')) : undefined;
		if (!typed || !set.selfAndDescendants.includes(typed.name)) {
			throw new ODataRequestError(
				`The type '${String(typeName)}' is not '${set.qualifiedType}' or a type derived from it.`,
			);
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
	const concrete = set.selfAndDescendants
		.map((name) => context.model.getSet(name))
		.find((info) => info && !info.definition.abstract);
	return concrete?.qualifiedType ?? set.qualifiedType;
}

export function concreteSetOfRecord(set: EntitySetInfo, record: EntityRecord, context: WriteContext): EntitySetInfo {
	const located = context.store.locate(String(record.Id));
	return (located && context.model.getSet(located.entitySet)) || set;
}
