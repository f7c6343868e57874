import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { normalizeInstanceUrl } from '../instanceUrl';
import { credentialFingerprint, text } from './tokenSettings';

/** The absolute URL a request will be sent to, as axios combines `baseURL` and `url`; `undefined` if unknown. */
export function requestTargetUrl(requestOptions: IHttpRequestOptions): string | undefined {
	const options = requestOptions as IHttpRequestOptions & { uri?: unknown };
	const url = text(options.url !== undefined && options.url !== '' ? options.url : options.uri);
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
	const baseURL = text(options.baseURL);
	if (baseURL === '') return undefined;
	return url === '' ? baseURL : `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function removeAuthorizationHeader(requestOptions: IHttpRequestOptions): void {
	if (!requestOptions.headers) return;
	for (const key of Object.keys(requestOptions.headers)) {
		if (key.toLowerCase() === 'authorization') delete requestOptions.headers[key];
	}
}

/**
 * Adds `Authorization: Bearer <token>` to requests for the credential's instance.
 * - Requests to any other origin are refused (the token is never sent elsewhere).
 * - A token issued for other settings (fingerprint mismatch) or an empty token is not sent, so that ERP.net
 *   answers 401 and n8n fetches a token for the current settings.
 */
export async function authenticateRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const instanceUrl = normalizeInstanceUrl(text(credentials.instanceUrl));
	const expectedOrigin = new URL(instanceUrl).origin;
	const target = requestTargetUrl(requestOptions);
	let targetOrigin: string | undefined;
	try {
		targetOrigin = target === undefined ? undefined : new URL(target).origin;
	} catch {
		targetOrigin = undefined;
	}
	if (targetOrigin !== undefined && targetOrigin !== expectedOrigin) {
		throw new UserError(
			`The ERP.net credential sends its access token only to ${expectedOrigin}, not to ${targetOrigin}.`,
			{
				description:
					'Requests made with this credential must go to the instance set in its Instance URL. Check the URL of the request or the Instance URL of the credential.',
				level: 'warning',
			},
		);
	}

	removeAuthorizationHeader(requestOptions);
	const token = text(credentials.accessToken);
	if (targetOrigin === undefined || token === '') return requestOptions;
	if (text(credentials.tokenFingerprint) !== credentialFingerprint(credentials)) return requestOptions;

	requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` };
	return requestOptions;
}
