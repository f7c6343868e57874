import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { normalizeInstanceUrl, tokenEndpoint } from '../instanceUrl';
import { text } from '../valueText';

const FINGERPRINT_VERSION = 'v1';

/** How long the token request may take before it is abandoned. */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/** The credential settings that determine which token is valid, after normalisation. */
export interface ErpNetTokenSettings {
	instanceUrl: string;
	tokenUrl: string;
	clientId: string;
	clientSecret: string;
	scope: string;
}

/** A credential value as text (the auth files take it from here). */
export { text };

/** Collapses the scope list to single spaces; an empty scope means "all scopes of the trusted application". */
export function normalizeScope(scope: unknown): string {
	return text(scope).trim().split(/\s+/).filter(Boolean).join(' ');
}

/** Reads and validates the user's settings. Throws a `UserError` that names the field to fix. */
export function readTokenSettings(credentials: ICredentialDataDecryptedObject): ErpNetTokenSettings {
	const instanceUrl = normalizeInstanceUrl(text(credentials.instanceUrl));
	const clientId = text(credentials.clientId).trim();
	const clientSecret = text(credentials.clientSecret);
	if (clientId === '') {
		throw new UserError('The ERP.net credential has no Client ID.', {
			description:
				"Enter the ApplicationUri of the trusted application in ERP.net (e.g. 'my.company/n8n') as the Client ID.",
		});
	}
	if (clientSecret === '') {
		throw new UserError('The ERP.net credential has no Client Secret.', {
			description:
				'Enter the plain secret of the trusted application; ERP.net stores only its hash (ApplicationSecretHash).',
		});
	}
	return {
		instanceUrl,
		tokenUrl: tokenEndpoint(instanceUrl),
		clientId,
		clientSecret,
		scope: normalizeScope(credentials.scope),
	};
}

/** A one-way digest of the given values (SHA-256 of their JSON, base64url): secrets go in, never come out. */
export function oneWayDigest(values: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(values), 'utf8').digest('base64url');
}

/**
 * A one-way fingerprint of the settings a token was issued for. It never contains the secret itself; the
 * version prefix lets a later release change the recipe (which then forces one refresh).
 */
export function settingsFingerprint(settings: ErpNetTokenSettings): string {
	const digest = oneWayDigest([
		'n8n-nodes-erpnet/token-settings',
		settings.instanceUrl,
		settings.clientId,
		settings.clientSecret,
		settings.scope,
	]);
	return `${FINGERPRINT_VERSION}:${digest}`;
}

/**
 * Which credential's sessions a pool holds, whatever its secret and pool size: a pool for new settings of the
 * same owner (a rotated secret, another pool size) replaces the old one (core/session/pool.ts).
 */
export function settingsOwner(settings: ErpNetTokenSettings): string {
	return oneWayDigest(['n8n-nodes-erpnet/session-owner', settings.instanceUrl, settings.clientId, settings.scope]);
}

/** The fingerprint of the credential's current settings, or `undefined` when they are invalid. */
export function credentialFingerprint(credentials: ICredentialDataDecryptedObject): string | undefined {
	try {
		return settingsFingerprint(readTokenSettings(credentials));
	} catch {
		return undefined;
	}
}

/** The `application/x-www-form-urlencoded` body of the token request, exactly as the ERP.net docs show it. */
export function buildTokenRequestBody(settings: ErpNetTokenSettings): string {
	const form = new URLSearchParams();
	form.set('grant_type', 'client_credentials');
	form.set('client_id', settings.clientId);
	form.set('client_secret', settings.clientSecret);
	if (settings.scope !== '') form.set('scope', settings.scope);
	return form.toString();
}
