import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { authenticateRequest } from '../core/auth/authenticate';
import { CHECK_GRANTED_SCOPE_HEADER } from '../core/auth/grantedScope';
import { requestAccessToken } from '../core/auth/tokenExchange';
import { INSTANCE_URL_EXPRESSION } from '../core/instanceUrl';
import { DISCOVERED_SITES_PROPERTY, DOMAIN_API_ROOT_PROPERTY } from '../core/auth/credentialProperties';

/**
 * ERP.net client-credentials authentication: `preAuthentication` exchanges the client ID and secret for an access
 * token (core/auth/tokenExchange.ts), `authenticate` adds it to requests for the instance (core/auth/authenticate.ts).
 */
export class ErpNetApi implements ICredentialType {
	name = 'erpNetApi';

	displayName = 'ERP.net API';

	icon: Icon = { light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' };

	documentationUrl = 'https://docs.erp.net/dev/auth/flows/client-credentials/overview.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://demodb.my.erp.net',
			description:
				'Address of your ERP.net instance. A pasted /id or /api/domain/odata/ suffix is ignored; https:// is required.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. my.company/n8n',
			description:
				'ApplicationUri of the trusted application registered in ERP.net for n8n (client credentials flow, with SystemUserAllowed and a SystemUser)',
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
				'Space-separated scopes to request: "read" for read-only access, "read update" to also create, update and delete. Must be allowed by the trusted application\'s Scope. Leave empty to get all of its scopes.',
		},
		DOMAIN_API_ROOT_PROPERTY,
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
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await requestAccessToken(this.helpers, credentials);
	}

	authenticate = authenticateRequest;

	test: ICredentialTestRequest = {
		request: {
			baseURL: INSTANCE_URL_EXPRESSION,
			url: '/api/domain/odata/General_Currencies_Currencies?$top=1&$select=Id',
			method: 'GET',
			headers: { Accept: 'application/json', [CHECK_GRANTED_SCOPE_HEADER]: '1' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'ERP.net issued a token but the Domain API rejected it (HTTP 401). Check that the Instance URL is the instance the trusted application belongs to.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"The Domain API refused access (HTTP 403). Give the trusted application's SystemUser permission to read General_Currencies_Currencies and request the 'read' scope.",
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The ERP.net Domain API was not found under this Instance URL (HTTP 404). Check the Instance URL, e.g. https://demodb.my.erp.net. If the instance serves its Domain API on another address and does not publish it through auto-discovery, set Domain API Root.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'ERP.net is rate limiting this client (HTTP 429). Try the test again in a minute.',
				},
			},
		],
	};
}
