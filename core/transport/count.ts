import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ODataQuery } from '../odata/types';
import { erpNetApiRequest } from './request';
import type { ErpNetFunctions } from './types';
import { odataUrl } from './urls';

export interface CountOptions {
	headers?: IDataObject;
	itemIndex?: number;
	timeoutMs?: number;
}

/**
 * `GET {Set}/$count`: the number of matching records as plain text
 * (https://docs.erp.net/dev/domain-api/common-tasks/query-examples.html).
 */
export async function countRecords(
	this: ErpNetFunctions,
	entitySet: string,
	query: ODataQuery,
	options: CountOptions = {},
): Promise<number> {
	const response = await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await odataUrl.call(this, `${entitySet}/$count`, query),
		headers: { ...options.headers, Accept: 'text/plain' },
		itemIndex: options.itemIndex,
		timeoutMs: options.timeoutMs,
		action: `count ${entitySet}`,
	});
	const count = Number(typeof response === 'string' ? response.trim() : response);
	if (!Number.isFinite(count)) {
		throw new NodeOperationError(this.getNode(), `ERP.net did not answer the count of ${entitySet} with a number`, {
			itemIndex: options.itemIndex,
		});
	}
	return count;
}
