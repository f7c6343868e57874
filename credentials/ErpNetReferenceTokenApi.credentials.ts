import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	authenticateWithReferenceToken,
	discoverForReferenceToken,
	DOMAIN_API_ROOT_PROPERTY,
	domainApiCredentialTest,
	INSTANCE_URL_PROPERTY,
} from '../core/auth';

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
		INSTANCE_URL_PROPERTY,
		{
			displayName: 'Reference Token',
			name: 'referenceToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'enrt_…',
			description:
				'A personal (PAT) or service (SAT) access token issued in ERP.net; it starts with enrt_. ' +
				"The calls run as its user (PAT) or as the trusted application's system user (SAT), with the scopes " +
				'chosen when it was issued.',
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

	test: ICredentialTestRequest = domainApiCredentialTest({
		unauthorized:
			'ERP.net rejected the reference token (HTTP 401): it has expired, was revoked or belongs to another ' +
			'instance. Issue a new reference token in ERP.net and paste it here.',
		forbidden:
			"The Domain API refused access (HTTP 403). The token's user (PAT) or the trusted application's system " +
			"user (SAT) needs permission to read General_Currencies_Currencies, and the token the 'read' scope.",
	});
}
