import { tokenParts } from '../redact';
import { sessionTokens } from '../session';
import type { ErpNetFunctions } from './types';
import { credentialTypeOf } from './urls';

/**
 * The secrets text from ERP.net must not carry on: the credential's token and client secret, and every token a
 * session of this process holds or sent (renewed ones and those of sessions 2..N are never stored in the
 * credential), each with its signature.
 */
export async function currentSecrets(this: ErpNetFunctions, extra: Array<string | undefined> = []): Promise<string[]> {
	let stored: Array<string | undefined> = [];
	try {
		const credentials = await this.getCredentials(credentialTypeOf(this));
		// The access token, the client secret and a reference token, whatever the credential type calls them.
		stored = Object.entries(credentials)
			.filter(
				([name, value]) => /token|secret/i.test(name) && !/fingerprint|sites/i.test(name) && typeof value === 'string',
			)
			.map(([, value]) => String(value));
	} catch {
		stored = [];
	}
	return [...stored, ...extra, ...sessionTokens()]
		.filter((secret): secret is string => typeof secret === 'string' && secret !== '')
		.flatMap((secret) => tokenParts(secret));
}

/** The token a failed request really carried: n8n's error keeps axios's request config as its cause. */
export function tokenOfFailedRequest(error: unknown): string | undefined {
	const headers =
		(error as { cause?: { config?: { headers?: Record<string, unknown> } } })?.cause?.config?.headers ?? {};
	for (const [name, value] of Object.entries(headers)) {
		if (name.toLowerCase() === 'authorization' && typeof value === 'string') return value.replace(/^Bearer\s+/i, '');
	}
	return undefined;
}
