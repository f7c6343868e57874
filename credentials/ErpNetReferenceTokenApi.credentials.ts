import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { DOMAIN_API_ROOT_PROPERTY } from '../core/auth/credentialProperties';
import { authenticateWithReferenceToken, discoverForReferenceToken } from '../core/auth/referenceToken';
import { INSTANCE_URL_EXPRESSION } from '../core/instanceUrl';

/**
 * ERP.net reference access token (PAT or SAT, `enrt_…`), sent as `Authorization: Bearer` to the instance's Domain
 * API (core/auth/referenceToken.ts). No token exchange: the hidden expirable field holds what auto-discovery found.
 */
export class ErpNetReferenceTokenApi implements ICredentialType {
	name = 'erpNetReferenceTokenApi';

	// n8n's lint (cred-class-field-display-name-missing-api) requires credential display names to end in "API".
	displayName = 'ERP.net Reference Token API';

	icon: Icon = { light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' };

	documentationUrl = 'https://docs.erp.net/dev/auth/tokens/reference-access-tokens.html';

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
			displayName: 'Reference Token',
			name: 'referenceToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'enrt_…',
			description:
				'A personal (PAT) or service (SAT) access token issued in ERP.net; it starts with enrt_. The calls run as its user (PAT) or as the trusted application\'s system user (SAT), with the scopes chosen when it was issued.',
		},
		DOMAIN_API_ROOT_PROPERTY,
		{
			displayName: 'Discovered Sites',
			name: 'discoveredSites',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await discoverForReferenceToken(this.helpers, credentials);
	}

	authenticate = authenticateWithReferenceToken;

	test: ICredentialTestRequest = {
		request: {
			baseURL: INSTANCE_URL_EXPRESSION,
			url: '/api/domain/odata/General_Currencies_Currencies?$top=1&$select=Id',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'ERP.net rejected the reference token (HTTP 401): it has expired, was revoked or belongs to another instance. Issue a new reference token in ERP.net and paste it here.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"The Domain API refused access (HTTP 403). The token's user (PAT) or the trusted application's system user (SAT) needs permission to read General_Currencies_Currencies, and the token the 'read' scope.",
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
