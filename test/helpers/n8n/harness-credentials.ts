import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import { ErpNetApi } from '../../../credentials/ErpNetApi.credentials';
import { CredentialStore } from './credential-store';
import { CredentialTypeRegistry } from './credential-types';
import { TestCredentialsHelper } from './credentials-helper';

export interface HarnessCredentialOptions {
	/** Credential data by credential type name, e.g. `{ erpNetApi: { instanceUrl, clientId, clientSecret } }`.
	 * Merged into `credentialStore` (a user edit: stored hidden fields such as the token are kept). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The credential "database"; pass the store of a previous run to reuse its persisted token. */
	credentialStore?: CredentialStore;
	/** Credential types known to the helper (default: the ERP.net credential). */
	credentialTypes?: ICredentialType[];
}

/** The store (given or new, with `credentials` merged in), the known types and a credentials helper over both. */
export function prepareCredentials(options: HarnessCredentialOptions) {
	const credentialStore = options.credentialStore ?? new CredentialStore();
	for (const [type, data] of Object.entries(options.credentials ?? {})) credentialStore.upsert(type, data);
	const registry = new CredentialTypeRegistry(options.credentialTypes ?? [new ErpNetApi()]);
	const credentialsHelper = new TestCredentialsHelper(credentialStore, registry);
	return { credentialStore, credentialsHelper, registry };
}
