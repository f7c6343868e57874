/**
 * The sandbox's in-memory database: one map per concrete entity set plus an Id-ordered index per set
 * (abstract sets such as General_Contacts_Parties get an index over their derived sets' records).
 * Records are kept in the wire shape minus `@odata.*`; references are `{"@odata.id":"Set(guid)"}`.
 * ObjectVersion belongs to the aggregate root and changes with any change in the aggregate
 * (https://docs.erp.net/dev/domain-api/data-sync/object-version.html).
 */
import { randomUUID } from 'node:crypto';

import type { DomainModel } from '../schema/types';
import { createModelIndex, type EntitySetInfo, type ModelIndex } from '../odata/model/model-index';
import { createSandboxClock, type SandboxClock } from './clock';
import { isGuid, SortedIdIndex } from './guid-order';

export type EntityRecord = Record<string, unknown>;
export type SeedData = Record<string, EntityRecord[]>;

export type StoreErrorKind = 'unknownEntitySet' | 'abstractEntitySet' | 'invalidId' | 'duplicateId';

export class StoreError extends Error {
	constructor(
		readonly kind: StoreErrorKind,
		message: string,
	) {
		super(message);
		this.name = 'StoreError';
	}
}

/** One change a write made: which record, and for updates and deletes what it was before. */
export interface StoreChange {
	kind: 'insert' | 'update' | 'delete';
	/** The concrete entity set. */
	entitySet: string;
	id: string;
	/** A copy of the record before an update or delete. */
	before?: EntityRecord;
}

export interface LocatedRecord {
	entitySet: string;
	record: EntityRecord;
}

export interface MemoryStore {
	readonly model: ModelIndex;
	entitySets(): string[];
	has(entitySet: string): boolean;
	/** Copies of all records in Id order (SQL Server uniqueidentifier order). */
	list(entitySet: string): EntityRecord[];
	get(entitySet: string, id: string): EntityRecord | undefined;
	insert(entitySet: string, record: EntityRecord): EntityRecord;
	/** Shallow merge of `changes`; undefined when the record does not exist. */
	patch(entitySet: string, id: string, changes: EntityRecord): EntityRecord | undefined;
	/** Removes the record and, through ownership references, its children. */
	remove(entitySet: string, id: string): boolean;
	count(entitySet: string): number;
	/** Back to the seed data. */
	reset(): void;
	/** Stored records in Id order from `fromId` (inclusive); not copies: read only. */
	scan(entitySet: string, fromId?: string): IterableIterator<EntityRecord>;
	/** The stored record (not a copy: read only). */
	peek(entitySet: string, id: string): EntityRecord | undefined;
	/** The concrete set and stored record of an id, whatever set it lives in. */
	locate(id: string): LocatedRecord | undefined;
	/**
	 * Stored records of `childSet` whose `reference` (default: the ownership reference) points to `ownerId`,
	 * in Id order.
	 */
	childrenOf(childSet: string, ownerId: string, reference?: string): EntityRecord[];
	/** A number that changes with every change of the data (for caches of query results). */
	generation(): number;
	/** Runs `action`; if it throws, every change it made is undone. Used for $batch changesets. */
	atomically<T>(action: () => T): T;
	/**
	 * Runs `action` and lists the inserts, updates and deletes it made through `insert`/`patch`/`remove` and that no
	 * `atomically` rolled back (cascaded child deletes are part of their parent's delete). Used to fire webhooks.
	 */
	captureChanges<T>(action: () => T): { result: T; changes: StoreChange[] };
	/** The server clock that stamps changes (store/clock.ts). */
	readonly clock: SandboxClock;
}

interface StoreState {
	recordsBySet: Map<string, Map<string, EntityRecord>>;
	indexBySet: Map<string, SortedIdIndex>;
	locationById: Map<string, string>;
	/** `childSet|reference` → ownerId → child ids. */
	childrenBySet: Map<string, Map<string, Set<string>>>;
}

/** `General_Contacts_Parties(<guid>)` → the guid, lower-case. */
export function idFromODataId(odataId: string): string | undefined {
	const open = odataId.lastIndexOf('(');
	if (open < 0 || !odataId.endsWith(')')) return undefined;
	const id = odataId.slice(open + 1, -1);
	return isGuid(id) ? id.toLowerCase() : undefined;
}

export function referenceId(value: unknown): string | undefined {
	if (value && typeof value === 'object' && '@odata.id' in value) {
		const odataId = (value as { '@odata.id': unknown })['@odata.id'];
		return typeof odataId === 'string' ? idFromODataId(odataId) : undefined;
	}
	return undefined;
}

export function createMemoryStore(
	seedData: SeedData,
	model: DomainModel,
	clock: SandboxClock = createSandboxClock(),
): MemoryStore {
	const index = createModelIndex(model);
	const timestamp = () => clock.changeTimestamp();
	let state = loadState(seedData, index);
	let undoLog: Array<() => void> | undefined;
	let changeLog: StoreChange[] | undefined;
	let generation = 0;

	const recordUndo = (undo: () => void) => {
		generation++;
		undoLog?.push(undo);
	};

	const concreteSetOf = (entitySet: string, id: string): string | undefined => {
		const location = state.locationById.get(id);
		if (!location) return undefined;
		const info = index.getSet(entitySet);
		const allowed = info ? info.selfAndDescendants : [entitySet];
		return allowed.includes(location) ? location : undefined;
	};

	const peek = (entitySet: string, id: string): EntityRecord | undefined => {
		const normalized = normalizeId(id);
		if (!normalized) return undefined;
		const concrete = concreteSetOf(entitySet, normalized);
		return concrete ? state.recordsBySet.get(concrete)?.get(normalized) : undefined;
	};

	const store: MemoryStore = {
		model: index,
		clock,
		entitySets: () => [...state.indexBySet.keys()],
		has: (entitySet) => state.indexBySet.has(entitySet),
		list: (entitySet) => [...store.scan(entitySet)].map(copyRecord),
		get: (entitySet, id) => {
			const record = peek(entitySet, id);
			return record ? copyRecord(record) : undefined;
		},
		insert: (entitySet, record) => {
			const inserted = insertRecord(state, index, entitySet, record, recordUndo, timestamp);
			changeLog?.push({ kind: 'insert', entitySet, id: inserted.Id as string });
			return copyRecord(inserted);
		},
		patch: (entitySet, id, changes) => {
			const record = peek(entitySet, id);
			if (!record) return undefined;
			const concrete = state.locationById.get(record.Id as string) as string;
			changeLog?.push({ kind: 'update', entitySet: concrete, id: record.Id as string, before: copyRecord(record) });
			return copyRecord(patchRecord(state, index, concrete, record, changes, recordUndo, timestamp));
		},
		remove: (entitySet, id) => {
			const record = peek(entitySet, id);
			if (!record) return false;
			const concrete = state.locationById.get(record.Id as string) as string;
			changeLog?.push({ kind: 'delete', entitySet: concrete, id: record.Id as string, before: copyRecord(record) });
			removeRecord(state, index, concrete, record, recordUndo, { cascade: true, touch: true, timestamp });
			return true;
		},
		count: (entitySet) => indexOf(state, entitySet).size,
		reset: () => {
			state = loadState(seedData, index);
			generation++;
		},
		generation: () => generation,
		scan: (entitySet, fromId) => scanRecords(state, entitySet, fromId),
		peek,
		locate: (id) => {
			const normalized = normalizeId(id);
			const entitySet = normalized ? state.locationById.get(normalized) : undefined;
			const record = entitySet ? state.recordsBySet.get(entitySet)?.get(normalized as string) : undefined;
			return entitySet && record ? { entitySet, record } : undefined;
		},
		childrenOf: (childSet, ownerId, reference) => {
			const name = reference ?? index.getSet(childSet)?.parentReferences[0] ?? '';
			return childrenOf(state, childSet, name, ownerId.toLowerCase());
		},
		atomically: <T>(action: () => T): T => {
			const outer = undoLog;
			const log: Array<() => void> = [];
			const changesBefore = changeLog?.length;
			undoLog = log;
			try {
				const result = action();
				outer?.push(...log);
				return result;
			} catch (error) {
				for (const undo of log.reverse()) undo();
				if (changeLog && changesBefore !== undefined) changeLog.length = changesBefore;
				generation++;
				throw error;
			} finally {
				undoLog = outer;
			}
		},
		captureChanges: <T>(action: () => T) => {
			const outer = changeLog;
			const changes: StoreChange[] = [];
			changeLog = changes;
			try {
				const result = action();
				outer?.push(...changes);
				return { result, changes };
			} finally {
				changeLog = outer;
			}
		},
	};
	return store;
}

function normalizeId(id: string): string | undefined {
	return isGuid(id) ? id.toLowerCase() : undefined;
}

function copyRecord(record: EntityRecord): EntityRecord {
	return structuredClone(record);
}

function loadState(seedData: SeedData, index: ModelIndex): StoreState {
	const state: StoreState = {
		recordsBySet: new Map(),
		indexBySet: new Map(),
		locationById: new Map(),
		childrenBySet: new Map(),
	};
	for (const set of index.sets) state.recordsBySet.set(set.name, new Map());
	for (const [entitySet, records] of Object.entries(seedData)) {
		const byId = state.recordsBySet.get(entitySet) ?? new Map<string, EntityRecord>();
		state.recordsBySet.set(entitySet, byId);
		for (const seedRecord of records) {
			// Shallow copies are enough: nested values are only ever replaced, never mutated in place.
			const record: EntityRecord = { ...seedRecord, Id: String(seedRecord.Id).toLowerCase() };
			if (record.ObjectVersion === undefined) record.ObjectVersion = 1;
			byId.set(record.Id as string, record);
			state.locationById.set(record.Id as string, entitySet);
		}
	}
	for (const [entitySet, byId] of state.recordsBySet) {
		const info = index.getSet(entitySet);
		const members = info ? info.selfAndDescendants : [entitySet];
		const ids = members.flatMap((member) => [...(state.recordsBySet.get(member)?.keys() ?? [])]);
		state.indexBySet.set(entitySet, SortedIdIndex.fromIds(ids));
		if (info && info.parentReferences.length > 0) {
			for (const record of byId.values()) linkChild(state, info, record);
		}
	}
	alignChildVersions(state, index);
	return state;
}

/** A child reports its aggregate root's ObjectVersion (https://docs.erp.net/dev/domain-api/data-sync/object-version.html), also in seed data. */
function alignChildVersions(state: StoreState, index: ModelIndex): void {
	for (const info of index.sets) {
		if (!info.ownerReference || info.definition.aggregateRoot) continue;
		for (const record of state.recordsBySet.get(info.name)?.values() ?? []) {
			const root = aggregateRootOf(state, index, info.name, record);
			if (root && root.record !== record) record.ObjectVersion = root.record.ObjectVersion;
		}
	}
}

function indexOf(state: StoreState, entitySet: string): SortedIdIndex {
	const index = state.indexBySet.get(entitySet);
	if (!index) throw new StoreError('unknownEntitySet', `Unknown entity set '${entitySet}'.`);
	return index;
}

function* scanRecords(state: StoreState, entitySet: string, fromId?: string): IterableIterator<EntityRecord> {
	for (const id of indexOf(state, entitySet).idsFrom(fromId?.toLowerCase())) {
		const location = state.locationById.get(id);
		const record = location ? state.recordsBySet.get(location)?.get(id) : undefined;
		if (record) yield record;
	}
}

function childrenOf(state: StoreState, childSet: string, reference: string, ownerId: string): EntityRecord[] {
	const ids = state.childrenBySet.get(`${childSet}|${reference}`)?.get(ownerId);
	if (!ids) return [];
	const records = state.recordsBySet.get(childSet);
	const index = SortedIdIndex.fromIds(ids);
	return [...index.idsFrom()].map((id) => records?.get(id)).filter((record): record is EntityRecord => !!record);
}

function linkChild(state: StoreState, info: EntitySetInfo, record: EntityRecord): void {
	for (const reference of info.parentReferences) {
		const ownerId = referenceId(record[reference]);
		if (!ownerId) continue;
		const key = `${info.name}|${reference}`;
		const byOwner = state.childrenBySet.get(key) ?? new Map<string, Set<string>>();
		state.childrenBySet.set(key, byOwner);
		const ids = byOwner.get(ownerId) ?? new Set<string>();
		byOwner.set(ownerId, ids);
		ids.add(record.Id as string);
	}
}

function unlinkChild(state: StoreState, info: EntitySetInfo, record: EntityRecord): void {
	for (const reference of info.parentReferences) {
		const ownerId = referenceId(record[reference]);
		if (ownerId)
			state.childrenBySet
				.get(`${info.name}|${reference}`)
				?.get(ownerId)
				?.delete(record.Id as string);
	}
}

function setsIndexing(index: ModelIndex, concreteSet: string): string[] {
	const info = index.getSet(concreteSet);
	return [concreteSet, ...(info?.ancestors ?? [])];
}

function insertRecord(
	state: StoreState,
	index: ModelIndex,
	entitySet: string,
	input: EntityRecord,
	recordUndo: (undo: () => void) => void,
	timestamp: () => string,
): EntityRecord {
	const info = index.getSet(entitySet);
	if (info?.definition.abstract) {
		throw new StoreError('abstractEntitySet', `'${entitySet}' is abstract; insert into one of its derived sets.`);
	}
	const byId = state.recordsBySet.get(entitySet);
	if (!byId) throw new StoreError('unknownEntitySet', `Unknown entity set '${entitySet}'.`);
	const id = input.Id === undefined || input.Id === null ? randomUUID() : String(input.Id).toLowerCase();
	if (!isGuid(id)) throw new StoreError('invalidId', `'${String(input.Id)}' is not a valid Id.`);
	if (state.locationById.has(id)) throw new StoreError('duplicateId', `An object with Id '${id}' already exists.`);

	const record: EntityRecord = { ...input, Id: id, ObjectVersion: 1, AggregateLastUpdateTimeUtc: timestamp() };
	byId.set(id, record);
	state.locationById.set(id, entitySet);
	for (const setName of setsIndexing(index, entitySet)) state.indexBySet.get(setName)?.add(id);
	if (info) linkChild(state, info, record);
	recordUndo(() =>
		removeRecord(state, index, entitySet, record, () => undefined, { cascade: false, touch: false, timestamp }),
	);
	if (aggregateRootOf(state, index, entitySet, record)?.record !== record) {
		touchAggregate(state, index, entitySet, record, recordUndo, timestamp);
	}
	return record;
}

function patchRecord(
	state: StoreState,
	index: ModelIndex,
	entitySet: string,
	record: EntityRecord,
	changes: EntityRecord,
	recordUndo: (undo: () => void) => void,
	timestamp: () => string,
): EntityRecord {
	const info = index.getSet(entitySet);
	const before = { ...record };
	if (info) unlinkChild(state, info, record);
	for (const [name, value] of Object.entries(changes)) {
		if (name !== 'Id') record[name] = value;
	}
	if (info) linkChild(state, info, record);
	recordUndo(() => {
		if (info) unlinkChild(state, info, record);
		for (const name of Object.keys(record)) delete record[name];
		Object.assign(record, before);
		if (info) linkChild(state, info, record);
	});
	touchAggregate(state, index, entitySet, record, recordUndo, timestamp);
	return record;
}

function removeRecord(
	state: StoreState,
	index: ModelIndex,
	entitySet: string,
	record: EntityRecord,
	recordUndo: (undo: () => void) => void,
	options: { cascade: boolean; touch: boolean; timestamp: () => string },
): void {
	const info = index.getSet(entitySet);
	const id = record.Id as string;
	if (options.touch) touchAggregate(state, index, entitySet, record, recordUndo, options.timestamp);
	if (options.cascade && info) {
		for (const child of info.definition.children) {
			// Children that are aggregate roots of their own (Products.Prices) are not owned: they stay.
			if (index.getSet(child.childSet)?.definition.aggregateRoot) continue;
			for (const childRecord of childrenOf(state, child.childSet, child.ownerReference, id)) {
				removeRecord(state, index, child.childSet, childRecord, recordUndo, {
					cascade: true,
					touch: false,
					timestamp: options.timestamp,
				});
			}
		}
	}
	state.recordsBySet.get(entitySet)?.delete(id);
	state.locationById.delete(id);
	for (const setName of setsIndexing(index, entitySet)) state.indexBySet.get(setName)?.delete(id);
	if (info) unlinkChild(state, info, record);
	recordUndo(() => restoreRecord(state, index, entitySet, record));
}

function restoreRecord(state: StoreState, index: ModelIndex, entitySet: string, record: EntityRecord): void {
	const id = record.Id as string;
	state.recordsBySet.get(entitySet)?.set(id, record);
	state.locationById.set(id, entitySet);
	for (const setName of setsIndexing(index, entitySet)) state.indexBySet.get(setName)?.add(id);
	const info = index.getSet(entitySet);
	if (info) linkChild(state, info, record);
}

/** Finds the aggregate root of a record by following ownership references upwards. */
function aggregateRootOf(
	state: StoreState,
	index: ModelIndex,
	entitySet: string,
	record: EntityRecord,
): { entitySet: string; record: EntityRecord } | undefined {
	let currentSet = entitySet;
	let current = record;
	for (let depth = 0; depth < 16; depth++) {
		const info = index.getSet(currentSet);
		if (!info?.ownerReference || info.definition.aggregateRoot) return { entitySet: currentSet, record: current };
		const ownerId = referenceId(current[info.ownerReference.name]);
		const ownerSet = ownerId ? state.locationById.get(ownerId) : undefined;
		const owner = ownerSet ? state.recordsBySet.get(ownerSet)?.get(ownerId as string) : undefined;
		if (!ownerSet || !owner) return undefined;
		currentSet = ownerSet;
		current = owner;
	}
	return undefined;
}

/** Bumps the aggregate root's ObjectVersion and stamps AggregateLastUpdateTimeUtc on the whole aggregate. */
function touchAggregate(
	state: StoreState,
	index: ModelIndex,
	entitySet: string,
	record: EntityRecord,
	recordUndo: (undo: () => void) => void,
	changeTimestamp: () => string,
): void {
	const root = aggregateRootOf(state, index, entitySet, record);
	if (!root) return;
	const version = Number(root.record.ObjectVersion ?? 0) + 1;
	// Never backwards: a late commit on an aggregate changed meanwhile keeps the later time (DECISIONS.md).
	const stamped = changeTimestamp();
	const previous =
		typeof root.record.AggregateLastUpdateTimeUtc === 'string' ? root.record.AggregateLastUpdateTimeUtc : '';
	const timestamp = Date.parse(previous) > Date.parse(stamped) ? new Date(Date.parse(previous)).toISOString() : stamped;
	for (const member of aggregateMembers(state, index, root.entitySet, root.record)) {
		const previous = {
			ObjectVersion: member.ObjectVersion,
			AggregateLastUpdateTimeUtc: member.AggregateLastUpdateTimeUtc,
		};
		member.ObjectVersion = version;
		member.AggregateLastUpdateTimeUtc = timestamp;
		recordUndo(() => Object.assign(member, previous));
	}
}

function aggregateMembers(
	state: StoreState,
	index: ModelIndex,
	entitySet: string,
	record: EntityRecord,
): EntityRecord[] {
	const info = index.getSet(entitySet);
	const members = [record];
	for (const child of info?.definition.children ?? []) {
		const childInfo = index.getSet(child.childSet);
		if (childInfo?.definition.aggregateRoot) continue;
		for (const childRecord of childrenOf(state, child.childSet, child.ownerReference, record.Id as string)) {
			members.push(...aggregateMembers(state, index, child.childSet, childRecord));
		}
	}
	return members;
}
