import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_TYPE, REFERENCE_TOKEN_CREDENTIAL_TYPE } from '../../../core/transport';

/*
 * The choice between the two ERP.net credential types, shared by the action node and the trigger: an
 * `authentication` parameter and one credential entry per value, shown by displayOptions (as n8n's built-in nodes
 * choose between credential types). The transport reads the same parameter (core/transport/urls.ts).
 */

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Client Credentials',
			value: 'clientCredentials',
			description: "A trusted application's client ID and secret (OAuth 2.0 client credentials)",
		},
		{
			name: 'Reference Token',
			value: 'referenceToken',
			description: 'A personal or service access token (enrt_…) issued in ERP.net',
		},
	],
	default: 'clientCredentials',
};

export const erpNetCredentials: INodeCredentialDescription[] = [
	{
		name: CREDENTIAL_TYPE,
		required: true,
		displayOptions: { show: { authentication: ['clientCredentials'] } },
	},
	{
		name: REFERENCE_TOKEN_CREDENTIAL_TYPE,
		required: true,
		displayOptions: { show: { authentication: ['referenceToken'] } },
	},
];
