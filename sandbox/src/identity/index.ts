import { Router, type Request, type Response } from 'express';

import type { SandboxContext } from '../context';
import { createDiscoveryHandler, createJwksHandler } from './discovery';
import { createTokenHandler } from './token-endpoint';

export {
	bearerAuthentication,
	hasScope,
	READ_SCOPE,
	requireReadScopeForReads,
	requireScope,
	requireUpdateScopeForWrites,
	UPDATE_SCOPE,
} from './bearer';
export { generateSigningKey, type SigningKey } from './keys';
export { hashClientSecret } from './secret-hash';
export { createSystemRouter } from './system-endpoints';
export { revokeAllTokens, verifyAccessToken } from './tokens';

function methodNotAllowed(allowed: string) {
	return (_req: Request, res: Response) => {
		res.status(405).set('Allow', allowed).end();
	};
}

/** The Instance ID routes, mounted at `/id`. */
export function createIdentityRouter(context: SandboxContext): Router {
	const router = Router();
	router.get('/.well-known/openid-configuration', createDiscoveryHandler());
	router.get('/.well-known/openid-configuration/jwks', createJwksHandler(context));
	router.post('/connect/token', createTokenHandler(context));
	router.all('/connect/token', methodNotAllowed('POST'));
	return router;
}
