/**
 * The transport's front door for nodes: requests with the credential's token (one, paged, counted, batched), the
 * Domain API model, URLs under the instance's roots, and failures turned into node errors. Files inside `core/`
 * import the module they need directly, never this index (so that no import runs in a circle through it).
 */
export { ATOMIC_BATCHING_NAME, ATOMIC_BATCHING_NOTE, BATCH_WRITE_ALLOWANCE_MS, erpNetBatch } from './batchRequest';
export type { BatchOutcome, BatchWrite } from './batchRequest';
export { countRecords } from './count';
export { nodeApiError, toNodeError } from './errors';
export { getEntitySetFields, getEntitySetModel, getEntitySetModelFor, getModelRepositories } from './model';
export { EXPAND_PAGE_SIZE, MAX_PAGE_SIZE, erpNetApiPages } from './paging';
export { savedButNotReadBack } from './readBack';
export { erpNetApiRequest } from './request';
export { CREDENTIAL_TYPE, DEFAULT_TIMEOUT_MS, REFERENCE_TOKEN_CREDENTIAL_TYPE } from './types';
export type { ErpNetFunctions } from './types';
export { assertEntitySetName, getInstanceRoots, odataUrl, resolveNextLink } from './urls';
/** Where a next link may lead, and secrets taken out of text that goes to the user. */
export { isUnderRoot } from '../urlScope';
export { redact } from '../redact';
