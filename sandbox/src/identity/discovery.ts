import type { Request, RequestHandler } from 'express';

import type { SandboxContext } from '../context';
import { issuerOf } from './token-endpoint';

/**
 * The OpenID configuration of https://docs.erp.net/dev/auth/concepts/identity-server.html. Its example is truncated; the remaining
 * fields are IdentityServer4 defaults, and `scopes_supported` adds `read` and `DomainApi`, which the example omits.
 */
export function openIdConfiguration(req: Request) {
	const issuer = issuerOf(req);
	return {
		issuer,
		jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
		authorization_endpoint: `${issuer}/connect/authorize`,
		token_endpoint: `${issuer}/connect/token`,
		userinfo_endpoint: `${issuer}/connect/userinfo`,
		end_session_endpoint: `${issuer}/connect/endsession`,
		check_session_iframe: `${issuer}/connect/checksession`,
		revocation_endpoint: `${issuer}/connect/revocation`,
		introspection_endpoint: `${issuer}/connect/introspect`,
		frontchannel_logout_supported: true,
		frontchannel_logout_session_supported: true,
		backchannel_logout_supported: true,
		backchannel_logout_session_supported: true,
		scopes_supported: ['openid', 'profile', 'offline_access', 'read', 'update', 'DomainApi'],
		claims_supported: ['sub', 'name', 'email', 'email_verified', 'locale'],
		grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
		response_types_supported: ['code', 'token', 'id_token', 'code id_token'],
		response_modes_supported: ['form_post', 'query', 'fragment'],
		token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
		id_token_signing_alg_values_supported: ['RS256'],
		subject_types_supported: ['public'],
		code_challenge_methods_supported: ['plain', 'S256'],
		request_parameter_supported: true,
	};
}

export function createDiscoveryHandler(): RequestHandler {
	return (req, res) => {
		res.json(openIdConfiguration(req));
	};
}

export function createJwksHandler(context: SandboxContext): RequestHandler {
	return (_req, res) => {
		res.json({ keys: [context.signingKey.publicJwk] });
	};
}
