import type { EntityRecord, MemoryStore } from '../../store/memory-store';
import type { EntitySetInfo } from '../model';
import type { EvaluationContext } from '../query';

export interface WriteContext extends EvaluationContext {
	store: MemoryStore;
	/** Absolute OData service root, ending in `/`. */
	serviceRoot: string;
	/** `CurrentEnterpriseCompanyId` (https://docs.erp.net/dev/domain-api/common-tasks/context-parameters.html), when given and valid. */
	currentEnterpriseCompanyId?: string;
	/** Login of the caller, for CreationUser/UpdateUser. */
	currentUser?: string;
	/** Resolves `$1` Content-ID references inside a $batch changeset. */
	resolveContentId?: (reference: string) => { entitySet: string; id: string } | undefined;
	/** The write entry points, for the writes a write makes (inline children, nested objects): `entityWriter`. */
	writer: EntityWriter;
}

/** An owner reference of a new child: `reference` of the child points to `entitySet(id)`. */
export interface WriteOwner {
	reference: string;
	entitySet: string;
	id: string;
}

/**
 * The write entry points, handed to the write files through their context rather than imported, so that a nested
 * write calls back into them without the files importing each other in a circle.
 */
export interface EntityWriter {
	/** POST: create, or `@erpnet.action: merge` (entry-points.ts). */
	create(set: EntitySetInfo, body: unknown, context: WriteContext, owner?: WriteOwner): WriteResult;
	/** A new object from a parsed JSON object (create.ts). */
	insert(set: EntitySetInfo, object: JsonObject, context: WriteContext, owner?: WriteOwner): WriteResult;
	/** PATCH of an existing object (entry-points.ts). */
	update(
		set: EntitySetInfo,
		record: EntityRecord,
		body: unknown,
		context: WriteContext,
		checkVersion?: boolean,
	): WriteResult;
}

export interface WriteResult {
	entitySet: string;
	record: EntityRecord;
	/** false when `@erpnet.action: merge` found and updated an existing object. */
	created: boolean;
}

export type JsonObject = Record<string, unknown>;

export interface ParsedBody {
	values: EntityRecord;
	children: Array<{ childSet: string; ownerReference: string; items: JsonObject[] }>;
	objectVersion?: number;
}
