import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

import type { IssuedToken, SandboxContext } from '../context';
import { randomHexId, SIGNING_ALGORITHM } from './keys';
import type { TrustedApplication } from './trusted-applications';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const DOMAIN_API_AUDIENCE = 'DomainAPI';
/** `client_db` of the sandbox instance (real values look like `E1_TESTDB`). */
export const SANDBOX_DATABASE = 'E1_SANDBOX';

export interface AccessTokenClaims extends JWTPayload {
	client_id: string;
	scope: string[];
}

export interface IssuedAccessToken {
	accessToken: string;
	expiresIn: number;
	record: IssuedToken;
}

/** Audiences of the 2025 tokens in https://docs.erp.net/dev/auth/tokens/access-tokens.html and https://docs.erp.net/dev/auth/getting-started/service-apps.html. */
function audiences(issuer: string): string[] {
	return [DOMAIN_API_AUDIENCE, 'TableAPI', 'OLAP', 'AppServer', `${issuer}/resources`];
}

/** A client-credentials access token with the claims ERP.net documents for that flow (https://docs.erp.net/dev/auth/tokens/access-tokens.html). */
export async function issueAccessToken(
	context: SandboxContext,
	issuer: string,
	app: TrustedApplication,
	scopes: string[],
): Promise<IssuedAccessToken> {
	const issuedAt = Math.floor(Date.now() / 1000);
	const expiresIn = context.tokenLifetimeSeconds;
	const jti = randomHexId();
	const claims: AccessTokenClaims = {
		nbf: issuedAt,
		exp: issuedAt + expiresIn,
		iss: issuer,
		aud: audiences(issuer),
		client_id: app.applicationUri,
		client_system_user: app.systemUser?.login,
		client_system_user_type: 'InternalUser',
		client_system_user_id: app.systemUser?.id,
		client_db: SANDBOX_DATABASE,
		jti,
		iat: issuedAt,
		scope: scopes,
	};
	const accessToken = await new SignJWT(claims)
		.setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: context.signingKey.kid, typ: ACCESS_TOKEN_TYPE })
		.sign(context.signingKey.privateKey);
	const record: IssuedToken = {
		jti,
		clientId: app.applicationUri,
		scopes,
		issuedAt,
		expiresAt: issuedAt + expiresIn,
	};
	context.issuedTokens.set(jti, record);
	return { accessToken, expiresIn, record };
}

export class InvalidTokenError extends Error {}

/**
 * Signature, `typ`, issuer, audience and lifetime, as an ASP.NET JwtBearer resource server checks them.
 * Deviation: no clock skew (ASP.NET allows 5 minutes), so clients cannot lean on a grace period.
 */
export async function verifyAccessToken(
	context: SandboxContext,
	token: string,
	issuer: string,
): Promise<AccessTokenClaims> {
	let payload: JWTPayload;
	try {
		({ payload } = await jwtVerify(token, context.signingKey.publicKey, {
			algorithms: [SIGNING_ALGORITHM],
			typ: ACCESS_TOKEN_TYPE,
			issuer,
			audience: DOMAIN_API_AUDIENCE,
			clockTolerance: 0,
		}));
	} catch (error) {
		throw new InvalidTokenError(describeVerificationFailure(error));
	}
	if (typeof payload.jti !== 'string' || typeof payload.client_id !== 'string') {
		throw new InvalidTokenError('The token has no jti or client_id claim');
	}
	if (context.revokedTokens.has(payload.jti)) throw new InvalidTokenError('The token has been revoked');
	return { ...payload, client_id: payload.client_id, scope: toScopeList(payload.scope) };
}

function toScopeList(scope: unknown): string[] {
	if (Array.isArray(scope)) return scope.filter((value): value is string => typeof value === 'string');
	return typeof scope === 'string' ? scope.split(' ').filter((value) => value !== '') : [];
}

function describeVerificationFailure(error: unknown): string {
	if (error instanceof errors.JWTExpired) {
		return `The token expired at '${new Date(Number(error.payload.exp) * 1000).toISOString()}'`;
	}
	if (error instanceof errors.JWSSignatureVerificationFailed) return 'The signature is invalid';
	if (error instanceof errors.JWTClaimValidationFailed) return `The ${error.claim} claim is invalid`;
	return 'The token is malformed';
}

/** Marks every token issued so far as revoked; tokens issued later are valid. */
export function revokeAllTokens(context: SandboxContext): void {
	for (const jti of context.issuedTokens.keys()) context.revokedTokens.add(jti);
}
