import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	authenticateRequest,
	CHECK_GRANTED_SCOPE_HEADER,
	DISCOVERED_SITES_PROPERTY,
	DOMAIN_API_ROOT_PROPERTY,
	domainApiCredentialTest,
	INSTANCE_URL_PROPERTY,
	preAuthenticateCredential,
} from '../core/auth';

/**
 * ERP.net client-credentials authentication: `preAuthentication` exchanges the client ID and secret for an access
 * token (core/auth/tokenExchange.ts) held per n8n process and session (core/session), `authenticate` adds it to
 * requests for the instance (core/auth/authenticate.ts).
 */
export class ErpNetApi implements ICredentialType {
	name = 'erpNetApi';

	displayName = 'ERP.net API';

	icon: Icon = { light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' };

	documentationUrl = 'https://docs.erp.net/dev/auth/flows/client-credentials/overview.html';

	properties: INodeProperties[] = [
		INSTANCE_URL_PROPERTY,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. my.company/n8n',
			description:
				'ApplicationUri of the trusted application registered in ERP.net for n8n (client credentials flow, with ' +
				'SystemUserAllowed and a SystemUser)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Plain secret of the trusted application (ERP.net stores only its hash)',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'string',
			default: 'read update',
			description:
				'Space-separated scopes to request: "read" for read-only access, "read update" to also create, update ' +
				"and delete. Must be allowed by the trusted application's Scope. Leave empty to get all of its scopes.",
		},
		DOMAIN_API_ROOT_PROPERTY,
		{
			displayName: 'Sessions per n8n Process',
			name: 'sessionsPerProcess',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10, numberPrecision: 0 },
			default: 1,
			description:
				'ERP.net sessions each n8n process (the main process and every queue-mode worker) opens with this ' +
				'credential. Each session is its own token and holds one ERP.net licence while in use; ' +
				'requests run one at a time per session. Raise it only for more parallel throughput.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Token Fingerprint',
			name: 'tokenFingerprint',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		DISCOVERED_SITES_PROPERTY,
		{
			displayName: 'Granted Scope',
			name: 'grantedScope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Token Expires At',
			name: 'tokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await preAuthenticateCredential(this.helpers, credentials);
	}

	authenticate = authenticateRequest;

	test: ICredentialTestRequest = domainApiCredentialTest(
		{
			unauthorized:
				'ERP.net issued a token but the Domain API rejected it (HTTP 401). ' +
				'Check that the Instance URL is the instance the trusted application belongs to.',
			forbidden:
				"The Domain API refused access (HTTP 403). Give the trusted application's SystemUser permission to read " +
				"General_Currencies_Currencies and request the 'read' scope.",
		},
		{ [CHECK_GRANTED_SCOPE_HEADER]: '1' },
	);
}
