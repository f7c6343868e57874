import type { Request, RequestHandler, Response } from 'express';

import type { SandboxContext } from '../context';
import { sendErpNetError } from '../erp-error';
import { REFERENCE_TOKEN_PREFIX, referenceTokenSessionKey, verifyReferenceToken } from './reference-tokens';
import { LicenseExhaustedError, useSession } from './sessions';
import { issuerOf } from './token-endpoint';
import { InvalidTokenError, verifyAccessToken } from './tokens';

export const UPDATE_SCOPE = 'update';
export const READ_SCOPE = 'read';

/** API key headers of https://docs.erp.net/dev/auth/tokens/reference-access-tokens.html (`X-API-KEY` is `X-Api-Key`: names are case-insensitive). */
const API_KEY_HEADERS = ['x-api-key', 'api-key'];

/**
 * Authenticates Domain API requests with an Instance ID access token (JWT) or a reference token (`enrt_`,
 * as `Authorization: Bearer` or an API key header) and sets `req.auth`; either kind opens and reuses a
 * session the same way. 401 answers follow ASP.NET JwtBearer (RFC 6750 §3): an empty body and a
 * `WWW-Authenticate` challenge, with `error="invalid_token"` only when a token was sent. ERP.net documents
 * only the status. `issuerFor` gives the issuer the JWT must carry (the API site may sit on another origin).
 */
export function bearerAuthentication(
	context: SandboxContext,
	issuerFor: (req: Request) => string = issuerOf,
): RequestHandler {
	return async (req, res, next) => {
		const authorization = req.get('authorization');
		const apiKeys = API_KEY_HEADERS.map((name) => req.get(name)).filter(
			(value): value is string => value !== undefined,
		);
		if (apiKeys.length > 0 && (authorization !== undefined || apiKeys.length > 1)) {
			// "Use only one method per request" (https://docs.erp.net/dev/auth/tokens/reference-access-tokens.html); RFC 6750 §3.1 names this invalid_request.
			res
				.status(400)
				.set(
					'WWW-Authenticate',
					'Bearer error="invalid_request", error_description="Use only one authentication method per request"',
				)
				.end();
			return;
		}
		const token = apiKeys[0]?.trim() ?? authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
		if (!token) {
			challenge(res, 'Bearer');
			return;
		}
		try {
			if (apiKeys.length > 0 || token.startsWith(REFERENCE_TOKEN_PREFIX)) {
				const record = verifyReferenceToken(context, token);
				const key = referenceTokenSessionKey(record);
				const session = useSession(context, key, record.clientId);
				req.auth = { clientId: record.clientId, scopes: record.scopes, jti: key, sessionId: session.id };
			} else {
				const claims = await verifyAccessToken(context, token, issuerFor(req));
				const jti = claims.jti as string;
				const session = useSession(context, jti, claims.client_id);
				req.auth = { clientId: claims.client_id, scopes: claims.scope, jti, sessionId: session.id };
			}
			next();
		} catch (error) {
			if (error instanceof LicenseExhaustedError) {
				// The docs name only the error (https://docs.erp.net/dev/auth/faq.html); status 500 and the envelope: DECISIONS.md.
				sendErpNetError(res, 500, error.message);
				return;
			}
			if (!(error instanceof InvalidTokenError)) throw error;
			challenge(res, `Bearer error="invalid_token", error_description="${error.message}"`);
		}
	};
}

function challenge(res: Response, wwwAuthenticate: string): void {
	res.status(401).set('WWW-Authenticate', wwwAuthenticate).end();
}

export function hasScope(req: Request, scope: string): boolean {
	return req.auth?.scopes.includes(scope) ?? false;
}

/**
 * Refuses requests whose token lacks `scope` with 403 and an ERP.net error envelope.
 * ERP.net does not document the status or body for a missing scope (https://docs.erp.net/dev/auth/concepts/scopes.html); 403 is RFC 6750's.
 */
export function requireScope(scope: string): RequestHandler {
	return (req, res, next) => {
		if (hasScope(req, scope)) {
			next();
			return;
		}
		res.set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${scope}"`);
		sendErpNetError(res, 403, `The access token does not grant the '${scope}' scope required for this operation.`);
	};
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

/**
 * Any data-changing method needs `update` (https://docs.erp.net/dev/auth/concepts/scopes.html). `POST $batch` is let through:
 * it may carry only reads, and the Domain API checks the scope of each operation inside it.
 */
export function requireUpdateScopeForWrites(): RequestHandler {
	const requireUpdate = requireScope(UPDATE_SCOPE);
	return (req, res, next) => {
		const isBatch = req.method === 'POST' && req.path.endsWith('/$batch');
		if (WRITE_METHODS.has(req.method) && !isBatch) requireUpdate(req, res, next);
		else next();
	};
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * "APIs automatically validate scopes on every request" (https://docs.erp.net/dev/auth/concepts/scopes.html): reading needs `read`,
 * as writing needs `update`. `$batch` parts are checked one by one (odata/request/handle-request.ts).
 */
export function requireReadScopeForReads(): RequestHandler {
	const requireRead = requireScope(READ_SCOPE);
	return (req, res, next) => {
		if (READ_METHODS.has(req.method)) requireRead(req, res, next);
		else next();
	};
}
