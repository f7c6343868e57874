import type { EntityRecord } from '../../store/memory-store';
import { BusinessRuleError } from '../errors';
import type { EntitySetInfo } from '../model';

/**
 * https://docs.erp.net/dev/domain-api/data-sync/optimistic-locking.html: "proceeds with the update ONLY if it is the same; otherwise, it returns error".
 * The status is 500 like every Domain API error (https://docs.erp.net/dev/domain-api/data-manipulation/error-handling.html); the wording is the sandbox's.
 */
export function checkObjectVersion(set: EntitySetInfo, record: EntityRecord, provided: number): void {
	const current = Number(record.ObjectVersion);
	if (current === provided) return;
	throw new BusinessRuleError(
		`The object '${set.name}(${String(record.Id)})' was changed by another user or process after it was read: its ObjectVersion is ${current}, but the update is based on ObjectVersion ${provided}. Read the object again and retry the update.`,
		2041,
	);
}
