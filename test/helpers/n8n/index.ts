/**
 * Test harness that runs nodes through the real n8n engine (`n8n-core` `WorkflowExecute`, `RoutingNode`,
 * `LoadOptionsContext`) without the n8n CLI or a database.
 *
 * The only stand-in is `TestCredentialsHelper`, which follows the n8n CLI's `CredentialsHelper`
 * (packages/cli/src/credentials-helper.ts, n8n 2.41) step by step:
 * - `getDecrypted`: stored data → `NodeHelpers.getNodeParameters` (defaults added, undeclared keys dropped)
 *   → expressions resolved;
 * - `preAuthentication`: runs the credential's hook only if the first hidden `expirable` property is `''` or the
 *   credentials expired (401); discards an output without that key; merges the output into the raw stored data
 *   (never overwriting a field stored as an expression, except the expirable one), persists it to the store and
 *   `Object.assign`s it onto the decrypted credentials; hook requests go through the credential's own
 *   allowed-domains restriction;
 * - `authenticate`: function form called as is; generic form resolved with
 *   `workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials }, undefined, '')`.
 * The 401 → refresh → resend-once logic is n8n-core's own (`httpRequestWithAuthentication`).
 *
 * The `CredentialStore` plays the database: share it between runs to see a persisted token reused.
 *
 * `PollRunner` runs polling trigger nodes: ticks of an active workflow (`PollTriggerExecutor`, static data staged
 * per tick) and manual test polls (`WorkflowExecute`).
 *
 * One file per helper, as n8n's own `packages/core/nodes-testing/` is split:
 * - `credential-types.ts`: `CredentialTypeRegistry`, the credential types the helper knows;
 * - `credential-store.ts`: `CredentialStore`, the in-memory credentials table;
 * - `credentials-helper.ts`: `TestCredentialsHelper`, the CLI's `CredentialsHelper` on that store;
 * - `node-types.ts`: `TestNodeTypes`, `PACKAGE_NAME`, the ERP.net node loader;
 * - `additional-data.ts`: `createAdditionalData`, what n8n-core needs of `additionalData`;
 * - `harness-credentials.ts`: the credential options every runner takes;
 * - `run-node.ts`: `runNode`, one node through `WorkflowExecute`;
 * - `load-options.ts`: list search, load options and resource mapping through a `LoadOptionsContext`;
 * - `credential-test.ts`: `testCredential`, "Test connection" as the CLI's `CredentialsTester` runs it;
 * - `poll-runner.ts`: `PollRunner`, polling triggers tick by tick;
 * - `leak-check.ts`: `serializeForLeakCheck`, everything a secret could leak through, as one text.
 */
export { createAdditionalData } from './additional-data';
export type { CredentialWrite, StoredCredential } from './credential-store';
export { CredentialStore } from './credential-store';
export type { CredentialTestOptions, CredentialTestOutcome } from './credential-test';
export { testCredential } from './credential-test';
export { CredentialTypeRegistry } from './credential-types';
export { TestCredentialsHelper } from './credentials-helper';
export type { HarnessCredentialOptions } from './harness-credentials';
export { serializeForLeakCheck } from './leak-check';
export type { LoadOptionsCallOptions, LoadOptionsHandle } from './load-options';
export { callListSearch, callLoadOptions, callResourceMapping, createLoadOptionsContext } from './load-options';
export type { AnyNodeType } from './node-types';
export { loadErpNetNode, nodeDescriptionOf, PACKAGE_NAME, TestNodeTypes } from './node-types';
export type { PollOptions, PollResult, PollRunnerOptions } from './poll-runner';
export { PollRunner } from './poll-runner';
export type { RunNodeOptions, RunNodeResult } from './run-node';
export { runNode } from './run-node';
