import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

/**
 * Every n8n context the transport serves: node executions, editor look-ups, polling triggers, and the instant
 * trigger's webhook registration (hook), pushes (webhook) and catch-up (trigger).
 */
export type ErpNetFunctions =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ITriggerFunctions;

/** The client-credentials credential type (the default). */
export const CREDENTIAL_TYPE = 'erpNetApi';
/** The reference-token (PAT/SAT) credential type. */
export const REFERENCE_TOKEN_CREDENTIAL_TYPE = 'erpNetReferenceTokenApi';

export type ErpNetCredentialType = typeof CREDENTIAL_TYPE | typeof REFERENCE_TOKEN_CREDENTIAL_TYPE;

/** Values of the nodes' `authentication` parameter. */
export type ErpNetAuthentication = 'clientCredentials' | 'referenceToken';

/** The credential type the node's `authentication` parameter selects (`clientCredentials` when absent). */
export function credentialTypeFor(authentication: unknown): ErpNetCredentialType {
	return authentication === 'referenceToken' ? REFERENCE_TOKEN_CREDENTIAL_TYPE : CREDENTIAL_TYPE;
}

export const DEFAULT_TIMEOUT_MS = 120_000;

export interface ErpNetRequestOptions {
	method: IHttpRequestMethods;
	/** An absolute URL on the instance, from `odataUrl`/`apiUrl` or a next link. */
	url: string;
	body?: IDataObject | IDataObject[] | string;
	headers?: IDataObject;
	/** Send the body as given and resolve with `{ body (text), headers }`, e.g. for `$batch`. */
	raw?: boolean;
	/** Resolve with `{ body (ArrayBuffer), headers }`: for file contents such as printouts. */
	binary?: boolean;
	itemIndex?: number;
	timeoutMs?: number;
	/** What the request does, for messages: e.g. "read Crm_Sales_Customers". */
	action?: string;
	/** Set by the transport: the credential type the request was authenticated with (for messages). */
	credentialType?: ErpNetCredentialType;
}
