import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { serializedDiscovery } from '../discovery';
import { preAuthenticate, type ObtainedToken } from '../session';
import { requestAccessToken } from './tokenExchange';
import { readTokenSettings, settingsFingerprint, settingsOwner, text } from './tokenSettings';

/** A token request for core/session, with the helpers of whoever needs the token. */
export function tokenFetcher(helpers: IHttpRequestHelper['helpers'], credentials: ICredentialDataDecryptedObject) {
	return async (): Promise<ObtainedToken> => await requestAccessToken(helpers, credentials);
}

/** The stored token when it was issued for the credential's current settings, else ''. */
export function storedTokenFor(credentials: ICredentialDataDecryptedObject, fingerprint: string): string {
	return text(credentials.tokenFingerprint) === fingerprint ? text(credentials.accessToken) : '';
}

/**
 * `preAuthentication`: this process's token of the credential's first session (one token request shared by every
 * caller; after a 401 the rejected token is replaced), with its fingerprint and expiry for n8n to store.
 */
export async function preAuthenticateCredential(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<{
	accessToken: string;
	tokenFingerprint: string;
	tokenExpiresAt: string;
	discoveredSites: string;
	grantedScope: string;
}> {
	const settings = readTokenSettings(credentials);
	const fingerprint = settingsFingerprint(settings);
	const token = await preAuthenticate(
		fingerprint,
		credentials.sessionsPerProcess,
		tokenFetcher(helpers, credentials),
		storedTokenFor(credentials, fingerprint),
		settingsOwner(settings),
	);
	return {
		accessToken: token.value,
		tokenFingerprint: fingerprint,
		tokenExpiresAt: token.expiresAt ? String(token.expiresAt) : '',
		discoveredSites: serializedDiscovery(settings.instanceUrl),
		grantedScope: token.grantedScope ?? '',
	};
}
