import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

/** Every n8n context the transport serves: node executions, editor look-ups and polling triggers. */
export type ErpNetFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The credential type every ERP.net request is authenticated with. */
export const CREDENTIAL_TYPE = 'erpNetApi';

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
}
