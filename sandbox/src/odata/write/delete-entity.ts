/**
 * DELETE (https://docs.erp.net/dev/domain-api/data-manipulation/delete.html): the entity goes with the objects it owns; "business rules on the
 * back-end may enforce restrictions". The restriction the sandbox enforces is the database's: an object
 * that other objects still reference cannot be deleted (HTTP 500 like every Domain API error).
 */
import { referenceId, type EntityRecord, type MemoryStore } from '../../store/memory-store';
import { BusinessRuleError } from '../errors';
import type { EntitySetInfo } from '../model';

export function deleteEntity(store: MemoryStore, set: EntitySetInfo, record: EntityRecord): void {
	const located = store.locate(String(record.Id));
	const concrete = (located && store.model.getSet(located.entitySet)) || set;
	const deleted = new Set(ownedIds(store, concrete, record));
	const referrer = findReferrer(store, concrete, String(record.Id), deleted);
	if (referrer) {
		throw new BusinessRuleError(
			`An error occurred while saving data to the database\r\nThe object '${concrete.name}(${String(record.Id)})' cannot be deleted, because it is referenced by '${referrer.entitySet}(${referrer.id})' (${referrer.reference}).`,
			547,
		);
	}
	store.remove(concrete.name, String(record.Id));
}

/** The record and, recursively, the children it owns (those that are not aggregate roots themselves). */
function ownedIds(store: MemoryStore, set: EntitySetInfo, record: EntityRecord): string[] {
	const ids = [String(record.Id)];
	for (const child of set.definition.children) {
		const childSet = store.model.getSet(child.childSet);
		if (!childSet || childSet.definition.aggregateRoot) continue;
		for (const childRecord of store.childrenOf(child.childSet, String(record.Id), child.ownerReference)) {
			ids.push(...ownedIds(store, childSet, childRecord));
		}
	}
	return ids;
}

function findReferrer(
	store: MemoryStore,
	concrete: EntitySetInfo,
	id: string,
	deleted: Set<string>,
): { entitySet: string; id: string; reference: string } | undefined {
	for (const referringSet of store.model.sets) {
		if (referringSet.definition.abstract) continue;
		const references = referringSet.definition.references.filter((reference) => {
			const target = store.model.getSet(reference.targetSet);
			return (target?.selfAndDescendants ?? [reference.targetSet]).includes(concrete.name);
		});
		if (references.length === 0) continue;
		for (const candidate of store.scan(referringSet.name)) {
			if (deleted.has(String(candidate.Id))) continue;
			const reference = references.find((definition) => referenceId(candidate[definition.name]) === id);
			if (reference) return { entitySet: referringSet.name, id: String(candidate.Id), reference: reference.name };
		}
	}
	return undefined;
}
