import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeLocation } from '../urlScope';
import type { HttpFailure } from './errors';
import type { ErpNetRequestOptions } from './types';

/** The absolute target of a 3xx answer, or undefined when the failure is not a redirect. */
export function redirectLocation(failure: HttpFailure, requestUrl: string): string | undefined {
	if (failure.status === undefined || failure.status < 300 || failure.status >= 400) return undefined;
	const header = Object.entries(failure.headers ?? {}).find(([name]) => name.toLowerCase() === 'location')?.[1];
	const location = Array.isArray(header) ? header[0] : header;
	if (typeof location !== 'string' || location.trim() === '') return '(no Location header)';
	try {
		return new URL(location.trim(), requestUrl).toString();
	} catch {
		return location.slice(0, 200);
	}
}

/** A redirect that was not followed: writes never are, reads only under the instance's Domain API root. */
export function redirectError(
	node: INode,
	request: ErpNetRequestOptions,
	location: string,
	status: number,
): NodeApiError {
	const where = describeLocation(location);
	const isWrite = request.method !== 'GET';
	const message = isWrite
		? `ERP.net redirected the write (HTTP ${status}) to ${where}; it was not followed`
		: `ERP.net redirected the read (HTTP ${status}) to ${where}, outside the instance's Domain API; it was not followed`;
	const description = isWrite
		? 'A redirected write is never re-sent: the token and the data stay with the instance. ' +
			'Check the Instance URL of the credential (use the final https:// address of the instance).'
		: "The access token is only sent to the Domain API of the credential's instance. " +
			'Check the Instance URL of the credential (use the final https:// address of the instance).';
	return new NodeApiError(
		node,
		{ message, httpCode: String(status) },
		{ message, description, httpCode: String(status), itemIndex: request.itemIndex },
	);
}
