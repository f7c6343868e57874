/**
 * The request stage, the front door of the OData service for the HTTP adapter (domain-api.ts): one request and
 * its environment in, one response out (handle-request: the dispatcher; batch: `$batch` and its changesets, each
 * part with its own context, part-context), the request and response types (types), JSON and the error envelope
 * (json), the checks of scopes and rights (permissions, errors). The stages below import only its leaves
 * (types, json, contexts), never the dispatcher.
 */
export { handleBatch, type BodySerializer, type ChangesetFailureAnswer } from './batch';
export * from './errors';
export { handleODataRequest } from './handle-request';
export * from './json';
export { checkPermission, type DeniedAccess, type DeniedAccessBySet } from './permissions';
export * from './types';
