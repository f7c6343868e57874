import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `ApplicationSecretHash` = base64(sha256(secret)) (https://docs.erp.net/dev/auth/configuration/trusted-apps-access.html).
 * The docs do not name the text encoding; UTF-8 reproduces their "DEMO" test vector.
 */
export function hashClientSecret(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('base64');
}

export function secretMatchesHash(secret: string, expectedHash: string): boolean {
	const actual = Buffer.from(hashClientSecret(secret));
	const expected = Buffer.from(expectedHash);
	return actual.length === expected.length && timingSafeEqual(actual, expected);
}
