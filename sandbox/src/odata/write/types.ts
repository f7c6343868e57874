import type { EntityRecord, MemoryStore } from '../../store/memory-store';
import type { EvaluationContext } from '../evaluate';

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
