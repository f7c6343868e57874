import { Router, type Request } from 'express';

import type { SandboxContext } from '../context';
import { sendErpNetError } from '../erp-error';
import { hashClientSecret } from './secret-hash';

function instanceUrl(req: Request): string {
	return `${req.protocol}://${req.get('host')}`;
}

/** The API site on its own port, addressed with the host name the caller used for the instance. */
function separateApiSiteUrl(req: Request, apiSiteUrl: string): string {
	const api = new URL(apiSiteUrl);
	api.hostname = req.hostname;
	return api.origin;
}

/**
 * `GET /sys/auto-discovery` as in https://docs.erp.net/dev/auth/concepts/identity-server.html; called without a token. With a
 * separate API site, `DomainAPI` points to it (https://docs.erp.net/dev/domain-api/querying-data/url-components.html: "Each site in ERP.net can have its own address").
 */
export function autoDiscovery(req: Request, context?: SandboxContext) {
	const instance = instanceUrl(req);
	const api = context?.apiSiteUrl ? separateApiSiteUrl(req, context.apiSiteUrl) : `${instance}/api`;
	return {
		WebSites: [
			{ Type: 'ID', Status: context?.siteStatus.ID ?? 'Working', Url: `${instance}/id` },
			{
				Type: 'DomainAPI',
				Status: context?.siteStatus.DomainAPI ?? 'Working',
				Url: api,
				AdditionalProperties: { ODataServiceRoot: `${api}/domain/odata/` },
			},
		],
	};
}

/**
 * `/sys` routes. The `/tools/...` spellings of another doc page (https://docs.erp.net/dev/building-apps/concepts/application-server-endpoints.html) are not served:
 * the local reference copy documents only `/sys/...`.
 */
export function createSystemRouter(context?: SandboxContext): Router {
	const router = Router();
	router.get('/auto-discovery', (req, res) => {
		if (context && !context.autoDiscovery) {
			// An instance of a version without auto-discovery, or a proxy that does not forward /sys.
			sendErpNetError(res, 404, `No resource matches the request path '${req.originalUrl}'.`);
			return;
		}
		res.json(autoDiscovery(req, context));
	});
	// The response shape `{ "sha256": ... }` is the one documented for `/tools/sha256` (https://docs.erp.net/dev/building-apps/concepts/application-server-endpoints.html).
	router.get('/tools/sha256', (req, res) => {
		const secret = typeof req.query.secret === 'string' ? req.query.secret : '';
		res.json({ sha256: hashClientSecret(secret) });
	});
	return router;
}
