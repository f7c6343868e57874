import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { assertSitesWorking, resolveInstanceSites, serializedDiscovery } from '../discovery';
import { normalizeInstanceUrl } from '../instanceUrl';
import { routeToInstance } from './authenticate';
import { oneWayDigest, text } from './tokenSettings';

/*
 * ERP.net reference access tokens (PAT/SAT): long-lived opaque `enrt_…` tokens an administrator or user issues in
 * ERP.net and sends as `Authorization: Bearer` (https://docs.erp.net/dev/auth/tokens/reference-access-tokens.html).
 * There is no token exchange: `preAuthentication` only reads the instance's auto-discovery, so that `authenticate`
 * knows where the Domain API lives; it runs again after a 401, which an expired or revoked token gives.
 */

export const REFERENCE_TOKEN_PREFIX = 'enrt_';

const WHERE_TO_ISSUE =
	'Issue a new reference token in ERP.net (a PAT in the Profile site under Security → Tokens, or a SAT in the ' +
	'Instance Manager under Security → Trusted Apps) and paste it into the credential.';

/** The credential's reference token, trimmed; a `UserError` (without the value) when it is empty or not `enrt_…`. */
export function readReferenceToken(credentials: ICredentialDataDecryptedObject): string {
	const token = text(credentials.referenceToken).trim();
	if (token === '') {
		throw new UserError('The ERP.net Reference Token credential has no token.', {
			description: WHERE_TO_ISSUE,
			level: 'warning',
		});
	}
	if (!token.startsWith(REFERENCE_TOKEN_PREFIX)) {
		throw new UserError('The ERP.net reference token must start with "enrt_".', {
			description:
				'ERP.net reference tokens (PAT/SAT) always begin with enrt_. ' +
				'Paste the whole token as ERP.net showed it when it was issued; ' +
				`an OAuth access token or a client secret does not work here. ${WHERE_TO_ISSUE}`,
			level: 'warning',
		});
	}
	return token;
}

/** Which reference token on which instance, one-way: the key of its ERP.net session in this process (core/session). */
export function referenceTokenFingerprint(credentials: ICredentialDataDecryptedObject): string {
	const instanceUrl = normalizeInstanceUrl(text(credentials.instanceUrl));
	return `ref:${oneWayDigest(['n8n-nodes-erpnet/reference-token', instanceUrl, readReferenceToken(credentials)])}`;
}

/** `preAuthentication` of the reference-token credential: validates the token and reads auto-discovery. */
export async function discoverForReferenceToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<{ discoveredSites: string }> {
	readReferenceToken(credentials);
	const instanceUrl = normalizeInstanceUrl(text(credentials.instanceUrl));
	const sites = await resolveInstanceSites(
		async (options) => await helpers.httpRequest(options),
		instanceUrl,
		text(credentials.domainApiRoot),
	);
	assertSitesWorking(sites, { identity: false, domainApi: true });
	return { discoveredSites: serializedDiscovery(instanceUrl) };
}

/** Adds `Authorization: Bearer enrt_…` to requests for the instance's Domain API (never to another origin). */
export async function authenticateWithReferenceToken(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const token = readReferenceToken(credentials);
	const targetOrigin = routeToInstance(credentials, requestOptions);
	if (targetOrigin === undefined) return requestOptions;
	requestOptions.headers = { ...(requestOptions.headers ?? {}), Authorization: `Bearer ${token}` };
	return requestOptions;
}

/** What to tell the user when the Domain API rejects a reference token (401). */
export function referenceTokenRejected(serverHint: string): { message: string; description: string } {
	const reason = /expire/i.test(serverHint)
		? 'it has expired'
		: /revoke/i.test(serverHint)
			? 'it was revoked'
			: 'it has expired, was revoked or belongs to another instance';
	return {
		message: `ERP.net rejected the reference token (401): ${reason}. Issue a new reference token.`,
		description: WHERE_TO_ISSUE,
	};
}
