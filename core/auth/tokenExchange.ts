import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { assertSitesWorking, resolveInstanceSites, serializedDiscovery } from '../discovery';
import type { TokenHttpResponse } from './tokenResponse';
import { interpretTokenResponse } from './tokenResponse';
import {
	buildTokenRequestBody,
	readTokenSettings,
	settingsFingerprint,
	TOKEN_REQUEST_TIMEOUT_MS,
} from './tokenSettings';
import { transportErrorToUserError } from './tokenTransportErrors';

/*
 * ERP.net client-credentials authentication.
 *
 * n8n calls `preAuthentication` when the hidden expirable `accessToken` is empty or after a request answered
 * 401, stores its result in the credential and then calls `authenticate` for every request. Tokens are held per
 * n8n process by core/session (one ERP.net session per process and pool slot, renewed before `expires_in` runs
 * out); `authenticate` sends the token of the session a request runs on (core/auth/sessionTokens.ts).
 *
 * n8n reuses a stored token even after the user edits the credential (instance URL, client ID, secret or
 * scope). To make an edit take effect at once, the hook also stores a fingerprint of those settings next to
 * the token, and `authenticate` withholds a token whose fingerprint no longer matches: the request goes out
 * without `Authorization`, ERP.net answers 401, and n8n's refresh path fetches a token for the new settings.
 */

/**
 * Requests a token with the client-credentials grant; the implementation behind `preAuthentication`. The token
 * endpoint is the Identity that auto-discovery names (or `{instance}/id`); what discovery found is stored with the
 * token (`discoveredSites`) for `authenticate`, which cannot make requests.
 */
export async function requestAccessToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<{
	accessToken: string;
	tokenFingerprint: string;
	discoveredSites: string;
	grantedScope: string;
	expiresInSeconds?: number;
}> {
	const configured = readTokenSettings(credentials);
	const sites = await resolveInstanceSites(
		async (options) => await helpers.httpRequest(options),
		configured.instanceUrl,
		typeof credentials.domainApiRoot === 'string' ? credentials.domainApiRoot : '',
	);
	assertSitesWorking(sites, { identity: true, domainApi: true });
	const settings = { ...configured, tokenUrl: `${sites.identityUrl}/connect/token` };
	let response: TokenHttpResponse;
	try {
		response = (await helpers.httpRequest({
			method: 'POST',
			url: settings.tokenUrl,
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: buildTokenRequestBody(settings),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: TOKEN_REQUEST_TIMEOUT_MS,
		})) as TokenHttpResponse;
	} catch (error) {
		throw transportErrorToUserError(error, settings);
	}
	const { accessToken, grantedScope, expiresInSeconds } = interpretTokenResponse(response, settings);
	return {
		accessToken,
		expiresInSeconds,
		tokenFingerprint: settingsFingerprint(settings),
		discoveredSites: serializedDiscovery(configured.instanceUrl),
		grantedScope: grantedScope ?? '',
	};
}
