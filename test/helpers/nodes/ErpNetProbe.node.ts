import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { normalizeInstanceUrl } from '../../../core/instanceUrl';

/**
 * Test-only programmatic node: sends one authenticated request per input item through
 * `this.helpers.httpRequestWithAuthentication('erpNetApi', ...)`, like the ERP.net node's transport does.
 * Lets the credential and the harness be exercised without the real node.
 *
 * Parameters: `method` (default GET), `path` (relative to the instance URL, or an absolute URL), `body` (JSON,
 * optional), `retryStatusCodes` (optional list passed as `preAuthenticationRetryStatusCode`).
 */
export class ErpNetProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ERP.net Probe (test)',
		name: 'erpNetProbe',
		group: ['transform'],
		version: 1,
		description: 'Test-only node that sends authenticated requests with the ERP.net credential',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: [{ name: 'erpNetApi', required: true }],
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/api/domain/odata/General_Currencies_Currencies' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '' },
			{ displayName: 'Retry Status Codes', name: 'retryStatusCodes', type: 'json', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const credentials = await this.getCredentials('erpNetApi', i);
				const method = (this.getNodeParameter('method', i) as string).toUpperCase() as IHttpRequestMethods;
				const path = this.getNodeParameter('path', i) as string;
				const body = this.getNodeParameter('body', i, '') as string | IDataObject;
				const retry = this.getNodeParameter('retryStatusCodes', i, '') as string | number[];
				const url = /^[a-z]+:\/\//i.test(path)
					? path
					: `${normalizeInstanceUrl(String(credentials.instanceUrl))}/${path.replace(/^\/+/, '')}`;
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'erpNetApi',
					{
						method,
						url,
						json: true,
						...(body !== '' ? { body: typeof body === 'string' ? JSON.parse(body) : body } : {}),
					},
					retry !== ''
						? { preAuthenticationRetryStatusCode: typeof retry === 'string' ? JSON.parse(retry) : retry }
						: undefined,
				)) as IDataObject | undefined;
				returnData.push({ json: { response: response ?? null }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({
						json: { error: (error as Error).message },
						error: error instanceof NodeApiError || error instanceof NodeOperationError ? error : undefined,
						pairedItem: { item: i },
					});
					continue;
				}
				if (error instanceof NodeApiError || error instanceof NodeOperationError) throw error;
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
		}
		return [returnData];
	}
}
