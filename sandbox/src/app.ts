import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';

import type { SandboxContext } from './context';
import { sendErpNetError } from './erp-error';
import {
	bearerAuthentication,
	createIdentityRouter,
	createSystemRouter,
	requireUpdateScopeForWrites,
} from './identity';
import { captureBody, rethrowBodyError } from './middleware/body-capture';
import { faultInjection } from './middleware/faults';
import { latency } from './middleware/latency';
import { sessionRateLimit } from './middleware/rate-limit';
import { requestLog } from './middleware/request-log';

function placeholderDomainApiRouter(_context: SandboxContext): Router {
	const router = Router();
	router.all('/{*rest}', (req, res) => {
		res.json({ placeholder: true, method: req.method, path: req.path });
	});
	return router;
}

const notFound: RequestHandler = (req, res) => {
	sendErpNetError(res, 404, `No resource matches the request path '${req.path}'.`);
};

/**
 * Errors that escape a route. Token-endpoint failures keep the OAuth shape; everything else gets the
 * ERP.net envelope, with the status of an HTTP error (body-parser's 400/413/415) or 500 as ERP.net uses
 * for server errors [dev:domain-api/data-manipulation/error-handling.md].
 */
const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
	if (res.headersSent) {
		next(error);
		return;
	}
	const status = Number(error?.status ?? error?.statusCode) || 500;
	if (req.originalUrl.startsWith('/id/')) {
		res.status(status < 500 ? 400 : status).json({ error: 'invalid_request', error_description: String(error?.message) });
		return;
	}
	sendErpNetError(res, status, String(error?.message ?? error), { type: error?.name ?? 'Error', info: error?.stack ?? null });
};

/** The sandbox's express app: shared middleware, then `/id`, `/sys` and the Domain API at `/api/domain`. */
export function createApp(context: SandboxContext): express.Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	app.use(captureBody(), requestLog(context), faultInjection(context), rethrowBodyError());
	app.use('/id', createIdentityRouter(context));
	app.use('/sys', createSystemRouter());
	app.use(
		'/api/domain',
		bearerAuthentication(context),
		sessionRateLimit(context),
		latency(context),
		requireUpdateScopeForWrites(),
		placeholderDomainApiRouter(context),
	);
	app.use(notFound);
	app.use(errorHandler);
	return app;
}
