import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { assertSitesWorking, knownInstanceSites, type InstanceSites } from '../discovery';
import { normalizeInstanceUrl } from '../instanceUrl';
import { tokenForRequest } from '../session';
import { CHECK_GRANTED_SCOPE_HEADER, missingScopes, narrowerScopeError } from './grantedScope';
import { storedTokenFor } from './sessionTokens';
import { tokenDestinationError } from './tokenDestination';
import { credentialFingerprint, normalizeScope, text } from './tokenSettings';

/** Headers that carry an ERP.net token: the bearer header and the API key headers of reference tokens. */
const TOKEN_HEADERS = new Set(['authorization', 'x-api-key', 'api-key']);

/** The absolute URL a request will be sent to, as axios combines `baseURL` and `url`; `undefined` if unknown. */
export function requestTargetUrl(requestOptions: IHttpRequestOptions): string | undefined {
	const options = requestOptions as IHttpRequestOptions & { uri?: unknown };
	const url = text(options.url !== undefined && options.url !== '' ? options.url : options.uri);
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
	const baseURL = text(options.baseURL);
	if (baseURL === '') return undefined;
	return url === '' ? baseURL : `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

function removeTokenHeaders(requestOptions: IHttpRequestOptions): void {
	if (!requestOptions.headers) return;
	for (const key of Object.keys(requestOptions.headers)) {
		if (TOKEN_HEADERS.has(key.toLowerCase())) delete requestOptions.headers[key];
	}
}

function originOf(url: string | undefined): string | undefined {
	try {
		return url === undefined ? undefined : new URL(url).origin;
	} catch {
		return undefined;
	}
}

/** The sites a credential's token may go to, as known without a request (see `knownInstanceSites`). */
export function credentialSites(credentials: ICredentialDataDecryptedObject): InstanceSites {
	return knownInstanceSites(
		normalizeInstanceUrl(text(credentials.instanceUrl)),
		text(credentials.domainApiRoot),
		credentials.discoveredSites,
	);
}

/**
 * Points a request at the instance's Domain API and checks where it goes, before a token is added:
 * - a request written against the default root `{instance}/api/domain/odata/` (the credential test) is moved to
 *   the discovered or overridden root;
 * - a request to anywhere but under the Domain API root (path included) is refused: the token never goes elsewhere
 *   (tokenDestination.ts);
 * - a Domain API site whose discovered Status is not Working stops the request with a message saying so.
 * Returns the target origin (undefined when the request has no absolute URL).
 */
export function routeToInstance(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): string | undefined {
	const sites = credentialSites(credentials);
	const defaultRoot = `${sites.instanceUrl}/api/domain/odata/`;
	let target = requestTargetUrl(requestOptions);
	if (target !== undefined && sites.odataRoot !== defaultRoot && target.startsWith(defaultRoot)) {
		target = `${sites.odataRoot}${target.slice(defaultRoot.length)}`;
		requestOptions.url = target;
		delete requestOptions.baseURL;
	}
	const targetOrigin = originOf(target);
	const refused = target === undefined ? undefined : tokenDestinationError(sites, target);
	if (refused) throw refused;
	if (targetOrigin !== undefined && targetOrigin === originOf(sites.odataRoot)) {
		assertSitesWorking(sites, { identity: false, domainApi: true });
	}
	removeTokenHeaders(requestOptions);
	return targetOrigin;
}

/**
 * Adds `Authorization: Bearer <token>` (client-credentials access token) to requests for the instance.
 * The token is the one of the ERP.net session the request runs on (core/session); a request that did not come
 * through the session gate gets this process's token, else the stored one. A stored token issued for other
 * settings (fingerprint mismatch) or an empty token is not sent, so that ERP.net answers 401 and n8n fetches a
 * token for the current settings.
 */
export async function authenticateRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const targetOrigin = routeToInstance(credentials, requestOptions);
	if (takeHeader(requestOptions, CHECK_GRANTED_SCOPE_HEADER)) {
		const requested = normalizeScope(credentials.scope);
		const granted = text(credentials.grantedScope);
		const missing = missingScopes(requested, granted);
		if (missing.length > 0) throw narrowerScopeError(requested, granted, missing);
	}
	const fingerprint = credentialFingerprint(credentials);
	if (targetOrigin === undefined || fingerprint === undefined) return requestOptions;
	const storedToken = storedTokenFor(credentials, fingerprint);
	const token = await tokenForRequest(requestOptions, fingerprint, credentials.sessionsPerProcess, storedToken);
	if (token === undefined) return requestOptions;

	requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` };
	return requestOptions;
}

/** Removes a header (any case) and tells whether it was there. */
function takeHeader(requestOptions: IHttpRequestOptions, name: string): boolean {
	let found = false;
	for (const key of Object.keys(requestOptions.headers ?? {})) {
		if (key.toLowerCase() === name.toLowerCase()) {
			delete requestOptions.headers?.[key];
			found = true;
		}
	}
	return found;
}
