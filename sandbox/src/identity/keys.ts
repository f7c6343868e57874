import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';

export const SIGNING_ALGORITHM = 'RS256';

export interface SigningKey {
	/** Upper-case hex, the shape of ERP.net's `kid` (https://docs.erp.net/dev/auth/tokens/access-tokens.html). */
	kid: string;
	privateKey: KeyLike;
	publicKey: KeyLike;
	publicJwk: JWK;
}

/** A fresh RSA key pair per sandbox start: tokens never survive a restart, as with a re-keyed instance. */
export async function generateSigningKey(): Promise<SigningKey> {
	const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
	const kid = randomHexId();
	const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: SIGNING_ALGORITHM };
	return { kid, privateKey, publicKey, publicJwk };
}

/** 32 upper-case hex characters, the format of ERP.net's `kid` and `jti` values. */
export function randomHexId(): string {
	return randomBytes(16).toString('hex').toUpperCase();
}
