/** References: `@odata.id` / `@odata.bind` values, `$1` Content-IDs, renamed sets, nested objects. */
import type { ReferenceDefinition } from '../../schema/types';
import { idFromODataId, type EntityRecord } from '../../store/memory-store';
import { BusinessRuleError, conversionError, ODataRequestError } from '../errors';
import { resolveNestedObject } from './find';
import type { JsonObject, WriteContext } from './types';

export function referenceTo(reference: ReferenceDefinition, id: string): EntityRecord {
	return { '@odata.id': `${reference.targetSet}(${id})` };
}

/** `Set(guid)` or an absolute URL ending in it (https://docs.erp.net/dev/domain-api/data-manipulation/update.html binds `https://testdb.my.erp.net/api/domain/odata/...`). */
export function bindReference(
	reference: ReferenceDefinition,
	value: unknown,
	context: WriteContext,
): EntityRecord | null {
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

/** https://docs.erp.net/dev/domain-api/common-tasks/handling-renames.html: the exact text of the error for an old entity set name. */
export function renamedEntitySetError(
	oldName: string,
	newName: string,
	context: { serviceRoot: string },
): BusinessRuleError {
	return new BusinessRuleError(
		`The provided entity set name '${oldName}' is no more supported.\r\nThe new name of this entity is '${newName}'.\r\nList of all entity renames can be found at ${context.serviceRoot}GetRenamedEntityTypes.`,
		0,
	);
}

export function resolveReferenceValue(
	reference: ReferenceDefinition,
	value: unknown,
	context: WriteContext,
): EntityRecord | null {
	if (value === null) return null;
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new ODataRequestError(
			`The reference '${reference.name}' must be an object such as {"@odata.id":"${reference.targetSet}(<guid>)"}.`,
		);
	}
	const object = value as JsonObject;
	if (typeof object['@odata.id'] === 'string') return bindReference(reference, object['@odata.id'], context);
	const target = context.model.getSet(reference.targetSet);
	if (!target) throw new ODataRequestError(`The entity set '${reference.targetSet}' is not available.`);
	const found = resolveNestedObject(target, object, context);
	return found ? referenceTo(reference, String(found.Id)) : null;
}
