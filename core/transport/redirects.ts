import type { INode, NodeApiError } from 'n8n-workflow';

import { describeLocation } from '../urlScope';
import { type HttpFailure, nodeApiError } from './errors';
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

/** How many redirects of a read within the Domain API root are followed (with the token), e.g. a trailing-slash fix. */
export const MAX_REDIRECTS = 3;

const CHECK_URL = 'Check the Instance URL of the credential (use the final https:// address of the instance).';

type RedirectCase = 'write' | 'readOutside' | 'readTooMany';

const REDIRECT_MESSAGES: Record<
	RedirectCase,
	{ message: (status: number, where: string) => string; description: string }
> = {
	write: {
		message: (status, where) => `ERP.net redirected the write (HTTP ${status}) to ${where}; it was not followed`,
		description: 'A redirected write is never re-sent: the token and the data stay with the instance. ' + CHECK_URL,
	},
	readOutside: {
		message: (status, where) =>
			`ERP.net redirected the read (HTTP ${status}) to ${where}, outside the instance's Domain API; ` +
			'it was not followed',
		description: "The access token is only sent to the Domain API of the credential's instance. " + CHECK_URL,
	},
	readTooMany: {
		message: (status, where) =>
			`ERP.net redirected the read more than ${MAX_REDIRECTS} times (the last: HTTP ${status} to ${where}); ` +
			'it was not followed',
		description: 'The redirects within the Domain API did not come to an end. ' + CHECK_URL,
	},
};

/**
 * A redirect that was not followed: writes never are, reads only under the instance's Domain API root and at most
 * MAX_REDIRECTS times (`limitReached`: that limit stopped the read).
 */
export function redirectError(
	node: INode,
	request: ErpNetRequestOptions,
	location: string,
	status: number,
	limitReached = false,
): NodeApiError {
	const redirectCase: RedirectCase = request.method !== 'GET' ? 'write' : limitReached ? 'readTooMany' : 'readOutside';
	const template = REDIRECT_MESSAGES[redirectCase];
	const message = template.message(status, describeLocation(location));
	const description = template.description;
	return nodeApiError(
		node,
		{ message, httpCode: String(status) },
		{ message, description, httpCode: String(status), itemIndex: request.itemIndex },
	);
}
