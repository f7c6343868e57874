import type { INodeProperties } from 'n8n-workflow';

/** The instance the credential is for; core/instanceUrl.ts normalises what users paste. */
export const INSTANCE_URL_PROPERTY: INodeProperties = {
	displayName: 'Instance URL',
	name: 'instanceUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. https://demodb.my.erp.net',
	description:
		'Address of your ERP.net instance. A pasted /id or /api/domain/odata/ suffix is ignored; https:// is required.',
};

/** Optional, advanced: where the Domain API lives when auto-discovery does not tell (or tells wrong). */
export const DOMAIN_API_ROOT_PROPERTY: INodeProperties = {
	displayName: 'Domain API Root (Advanced)',
	name: 'domainApiRoot',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://erpapi.example.com/domain/odata/',
	description:
		"Leave empty: n8n finds the Domain API through the instance's auto-discovery (/sys/auto-discovery), or " +
		'uses {instance}/api/domain/odata/. Set it only when the Domain API has its own address that ' +
		'auto-discovery does not report: its OData root (ending in /domain/odata/) or the API site address ' +
		'(/domain/odata/ is then appended). The token is sent there.',
};

/** Hidden: what auto-discovery found when the credential was last used, for checks made without a request. */
export const DISCOVERED_SITES_PROPERTY: INodeProperties = {
	displayName: 'Discovered Sites',
	name: 'discoveredSites',
	type: 'hidden',
	default: '',
};
