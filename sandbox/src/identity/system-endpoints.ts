import { Router, type Request } from 'express';

import { hashClientSecret } from './secret-hash';

function instanceUrl(req: Request): string {
	return `${req.protocol}://${req.get('host')}`;
}

/** `GET /sys/auto-discovery` as in [dev:auth/concepts/identity-server.md]; called without a token. */
export function autoDiscovery(req: Request) {
	const instance = instanceUrl(req);
	return {
		WebSites: [
			{ Type: 'ID', Status: 'Working', Url: `${instance}/id` },
			{
				Type: 'DomainAPI',
				Status: 'Working',
				Url: `${instance}/api`,
				AdditionalProperties: { ODataServiceRoot: `${instance}/api/domain/odata/` },
			},
		],
	};
}

/**
 * `/sys` routes. The `/tools/...` spellings of another doc page (docs/erpnet-api.md §8.8) are not served:
 * the local reference copy documents only `/sys/...`.
 */
export function createSystemRouter(): Router {
	const router = Router();
	router.get('/auto-discovery', (req, res) => {
		res.json(autoDiscovery(req));
	});
	// The response shape `{ "sha256": ... }` is the one documented for `/tools/sha256` (docs/erpnet-api.md §1.8).
	router.get('/tools/sha256', (req, res) => {
		const secret = typeof req.query.secret === 'string' ? req.query.secret : '';
		res.json({ sha256: hashClientSecret(secret) });
	});
	return router;
}
