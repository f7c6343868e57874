import type { Request, RequestHandler } from 'express';

import type { SandboxContext } from '../context';
import { secretMatchesHash } from './secret-hash';
import { issueAccessToken } from './tokens';
import { findTrustedApplication, type TrustedApplication } from './trusted-applications';

/** Error codes of https://docs.erp.net/dev/auth/flows/client-credentials/service-apps-errors.html. */
export type TokenErrorCode =
	| 'invalid_request'
	| 'invalid_client'
	| 'invalid_grant'
	| 'unauthorized_client'
	| 'unsupported_grant_type'
	| 'invalid_scope';

export interface TokenErrorBody {
	error: TokenErrorCode;
	error_description?: string;
}

export interface TokenSuccessBody {
	access_token: string;
	expires_in: number;
	token_type: 'Bearer';
	scope: string;
}

class TokenRequestError extends Error {
	constructor(
		readonly code: TokenErrorCode,
		readonly description: string,
	) {
		super(description);
	}
}

const CLIENT_CREDENTIALS = 'client_credentials';
/** "Legacy, obsolete" yet still sent by the official client and the PHP sample (https://docs.erp.net/dev/auth/concepts/scopes.html). */
const LEGACY_DOMAIN_API_SCOPE = 'DomainApi';
/** IdentityServer refuses identity scopes in the client-credentials flow (https://docs.erp.net/dev/auth/concepts/scopes.html). */
const IDENTITY_SCOPES = new Set(['openid', 'profile', 'offline_access']);
/** Typical messages of the ERP.net error table. */
const INVALID_CLIENT_MESSAGE = 'Invalid client_id or client_secret';

export function issuerOf(req: Request): string {
	return `${req.protocol}://${req.get('host')}/id`;
}

/**
 * `POST /id/connect/token`, client-credentials grant only. Errors are HTTP 400 with an RFC 6749 §5.2 body,
 * as IdentityServer answers (ERP.net documents the codes but not the status or body).
 */
export function createTokenHandler(context: SandboxContext): RequestHandler {
	return async (req, res) => {
		res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
		context.counters.tokenRequests += 1;
		try {
			const granted = await grantClientCredentials(context, req);
			context.counters.tokensIssued += 1;
			res.json(granted);
		} catch (error) {
			if (!(error instanceof TokenRequestError)) throw error;
			const body: TokenErrorBody = { error: error.code, error_description: error.description };
			res.status(400).json(body);
		}
	};
}

async function grantClientCredentials(context: SandboxContext, req: Request): Promise<TokenSuccessBody> {
	const form = readForm(req);
	const app = authenticateClient(context, req, form);
	const grantType = form.get('grant_type');
	if (!grantType) throw new TokenRequestError('invalid_grant', 'Missing grant_type');
	if (grantType !== CLIENT_CREDENTIALS) {
		throw new TokenRequestError('unsupported_grant_type', `Unsupported grant type: ${grantType}`);
	}
	if (!app.systemUserAllowed || !app.systemUser) {
		throw new TokenRequestError('unauthorized_client', 'The client is not authorized to use this grant type');
	}
	const scopes = grantScopes(app, form.get('scope'));
	const token = await issueAccessToken(context, issuerOf(req), app, scopes);
	return {
		access_token: token.accessToken,
		expires_in: token.expiresIn,
		token_type: 'Bearer',
		scope: scopes.join(' '),
	};
}

function readForm(req: Request): Map<string, string> {
	if (!req.is('application/x-www-form-urlencoded')) {
		throw new TokenRequestError('invalid_request', 'The request must be application/x-www-form-urlencoded');
	}
	const form = new Map<string, string>();
	for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
		// RFC 6749 §3.2: parameters must not be included more than once.
		if (typeof value !== 'string') throw new TokenRequestError('invalid_request', `Repeated parameter: ${name}`);
		form.set(name, value);
	}
	return form;
}

function authenticateClient(context: SandboxContext, req: Request, form: Map<string, string>): TrustedApplication {
	const { clientId, clientSecret } = readClientCredentials(req, form);
	if (!clientId) throw new TokenRequestError('invalid_request', 'Missing client_id');
	if (!clientSecret) throw new TokenRequestError('invalid_request', 'Missing client_secret');
	const app = findTrustedApplication(context, clientId);
	const authenticated =
		app !== undefined &&
		app.isEnabled &&
		app.clientType === 'Confidential' &&
		app.secretHash !== undefined &&
		secretMatchesHash(clientSecret, app.secretHash);
	if (!authenticated) throw new TokenRequestError('invalid_client', INVALID_CLIENT_MESSAGE);
	return app;
}

/** HTTP Basic (RFC 6749 §2.3.1) wins over form fields, as IdentityServer tries its Basic parser first. */
function readClientCredentials(req: Request, form: Map<string, string>): { clientId?: string; clientSecret?: string } {
	const authorization = req.get('authorization');
	if (!authorization?.match(/^Basic /i)) {
		return { clientId: form.get('client_id'), clientSecret: form.get('client_secret') };
	}
	const decoded = Buffer.from(authorization.slice('Basic '.length).trim(), 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	if (separator < 0) throw new TokenRequestError('invalid_client', INVALID_CLIENT_MESSAGE);
	return {
		clientId: decodeFormComponent(decoded.slice(0, separator)),
		clientSecret: decodeFormComponent(decoded.slice(separator + 1)),
	};
}

/** Basic credentials are form-url-encoded before base64 (RFC 6749 §2.3.1). */
function decodeFormComponent(value: string): string {
	try {
		return decodeURIComponent(value.replace(/\+/g, '%20'));
	} catch {
		throw new TokenRequestError('invalid_client', INVALID_CLIENT_MESSAGE);
	}
}

/**
 * Requested scopes must all be in the app's `Scope`; none requested → all of them (https://docs.erp.net/dev/auth/concepts/scopes.html).
 * Asking for `update` also grants `read` when the app allows it, as the client-credentials example of
 * https://docs.erp.net/dev/auth/concepts/identity-server.html answers `scope=update` with `"scope": "read update"` (DECISIONS.md).
 * `DomainApi` alone is treated like no scope (legacy clients ask only for it) and echoed back.
 */
function grantScopes(app: TrustedApplication, requestedScope: string | undefined): string[] {
	const requested = [...new Set((requestedScope ?? '').split(' ').filter((scope) => scope !== ''))];
	for (const scope of requested) {
		if (IDENTITY_SCOPES.has(scope)) {
			throw new TokenRequestError(
				'invalid_scope',
				`Client cannot request OpenID scopes in client credentials flow: ${scope}`,
			);
		}
		if (scope !== LEGACY_DOMAIN_API_SCOPE && !app.scopes.includes(scope)) {
			throw new TokenRequestError('invalid_scope', `Invalid scope: ${scope}`);
		}
	}
	const explicit = requested.filter((scope) => scope !== LEGACY_DOMAIN_API_SCOPE);
	const granted = explicit.length > 0 ? withImpliedRead(app, explicit) : [...app.scopes];
	if (granted.length === 0) throw new TokenRequestError('invalid_scope', 'No scopes are allowed for this client');
	return requested.includes(LEGACY_DOMAIN_API_SCOPE) ? [LEGACY_DOMAIN_API_SCOPE, ...granted] : granted;
}

const READ_SCOPE = 'read';
const UPDATE_SCOPE = 'update';

/** `update` brings `read` along when the app may have it, in the app's own order ("read update"). */
function withImpliedRead(app: TrustedApplication, requested: string[]): string[] {
	if (!requested.includes(UPDATE_SCOPE) || requested.includes(READ_SCOPE) || !app.scopes.includes(READ_SCOPE))
		return requested;
	return app.scopes.filter((scope) => scope === READ_SCOPE || requested.includes(scope));
}
