import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';

import type { SandboxContext } from './context';
import { createDomainApiRouter, createStandardModelRouter } from './domain-api';

import { sendErpNetError, sendHttpError } from './erp-error';
import { HttpError } from './odata/errors';
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

/** `standardmodel` allows anonymous access [dev:domain-api/common-tasks/discover-model.md]: no token, no session. */
function anonymousDomainApi(context: SandboxContext): Router {
	const router = Router();
	router.use('/standardmodel', latency(context));
	router.use(createStandardModelRouter(context));
	return router;
}

const notFound: RequestHandler = (req, res) => {
	sendErpNetError(res, 404, `No resource matches the request path '${req.path}'.`);
};

/**
 * Errors that escape a route. Token-endpoint failures keep the OAuth shape; everything else gets the
 * ERP.net envelope, keeping the status of an HTTP error (body-parser's 413/415) and 500 otherwise.
 */
const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
	if (res.headersSent) {
		next(error);
		return;
	}
	const status = Number(error?.status ?? error?.statusCode) || 500;
	const message = error instanceof Error ? error.message : String(error);
	if (req.originalUrl.startsWith('/id/')) {
		res.status(status < 500 ? 400 : status).json({ error: 'invalid_request', error_description: message });
		return;
	}
	sendHttpError(res, status === 500 ? error : new HttpError(status, message));
};

/** The sandbox's express app: shared middleware, then `/id`, `/sys` and the Domain API at `/api/domain`. */
export function createApp(context: SandboxContext): express.Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	app.use(captureBody(), requestLog(context), faultInjection(context), rethrowBodyError());
	app.use('/id', createIdentityRouter(context));
	app.use('/sys', createSystemRouter());
	app.use('/api/domain', anonymousDomainApi(context));
	app.use(
		'/api/domain',
		bearerAuthentication(context),
		sessionRateLimit(context),
		latency(context),
		requireUpdateScopeForWrites(),
		createDomainApiRouter(context),
	);
	app.use(notFound);
	app.use(errorHandler);
	return app;
}
