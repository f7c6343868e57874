/** The write entry points the dispatcher calls: POST (create), PATCH (update / delete action). */
import { ODataRequestError } from '../errors';
import type { EntityRecord } from '../../store/memory-store';
import { validateBusinessRules } from './business-rules';
import type { EntitySetInfo } from '../model';
import { actionOf, requireObject, withoutAnnotations } from './annotations';
import { parseBody } from './body';
import { addChildren, concreteSetOfRecord, insertNew } from './create';
import { criteriaFromObject, findExisting } from './find';
import { checkObjectVersion } from './optimistic-locking';
import type { EntityWriter, JsonObject, WriteContext, WriteOwner, WriteResult } from './types';
import { reconcileUnits } from './units';

export function createEntity(
	set: EntitySetInfo,
	body: unknown,
	context: WriteContext,
	owner?: WriteOwner,
): WriteResult {
	const object = requireObject(body, set);
	const action = actionOf(object) ?? 'create';
	if (action === 'merge') {
		const existing = findExisting(set, object, context, criteriaFromObject(set, object));
		if (existing)
			return updateEntity(
				existing.set,
				existing.record,
				mergeChanges(existing.set, existing.record, object),
				context,
				false,
			);
	} else if (action !== 'create') {
		throw new ODataRequestError(`The @erpnet.action '${action}' cannot be used for a top-level POST.`);
	}
	return context.store.atomically(() => insertNew(set, object, context, owner));
}

/**
 * The data properties a merge applies to the object it found ("it is updated with the provided data properties",
 * https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html). The object's own Id, given so that a
 * created object gets it, changes nothing and is left out.
 */
function mergeChanges(set: EntitySetInfo, record: EntityRecord, object: JsonObject): JsonObject {
	const data = withoutAnnotations(object);
	const id = data[set.keyAttribute];
	if (typeof id === 'string' && id.toLowerCase() === String(record.Id).toLowerCase()) delete data[set.keyAttribute];
	return data;
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
		return {
			entitySet: concrete.name,
			record: context.store.peek(concrete.name, String(stored.Id)) ?? stored,
			created: false,
		};
	});
}

/**
 * https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html: the annotation "can be provided in the body of update request (POST, PATCH)"; `update`
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

/** What `WriteContext.writer` holds: the entry points of nested writes (inline children, nested objects). */
export const entityWriter: EntityWriter = { create: createEntity, insert: insertNew, update: updateEntity };
