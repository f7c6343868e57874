/**
 * POST and PATCH bodies → stored records (https://docs.erp.net/dev/domain-api/data-manipulation/create.html, https://docs.erp.net/dev/domain-api/data-manipulation/update.html, https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html):
 * - attributes are type-checked; unknown and read-only properties are refused;
 * - references as `{"@odata.id":"Set(guid)"}` or `Prop@odata.bind` (relative or absolute), or as nested
 *   objects resolved with `@erpnet.action`/`@erpnet.findBy` (find by ExternalId, Id, code member, name
 *   member, display text; implicit `find` when only lookup keys are given, else `merge`);
 * - child collections inline (`"Lines":[...]`; in a PATCH they add lines, https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html);
 * - `@odata.type` picks the concrete type of an abstract set (a Party cannot be created directly);
 * - model defaults, then the back-end defaults the sandbox implements, then required members;
 * - ObjectVersion in a PATCH body is the optimistic-locking check (https://docs.erp.net/dev/domain-api/data-sync/optimistic-locking.html).
 *
 * - DELETE takes the objects the entity owns with it, and refuses an object others still reference.
 *
 * Files: entry-points (POST/PATCH, and `entityWriter`: the same entry points that nested writes get through
 * `WriteContext.writer`), create, annotations (`@erpnet.action`), body (parsing), convert (attribute values),
 * references, find (nested objects, @erpnet.action/findBy), defaults (and required members), units (currencies and
 * units), optimistic-locking, business-rules (the validations on commit), delete-entity, errors.
 */
export { deleteEntity } from './delete-entity';
export { createEntity, entityWriter, topLevelPatchAction, updateEntity } from './entry-points';
export { checkObjectVersion } from './optimistic-locking';
export { renamedEntitySetError } from './references';
export type { EntityWriter, WriteContext, WriteOwner, WriteResult } from './types';
