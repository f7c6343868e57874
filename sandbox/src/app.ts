import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';

import type { SandboxContext } from './context';
import { createDomainApiRouter, createStandardModelRouter } from './domain-api';

import { sendErpNetError, sendHttpError } from './erp-error';
import { HttpError } from './odata/errors';
import {
	bearerAuthentication,
	createIdentityRouter,
	createSystemRouter,
	requireReadScopeForReads,
	requireUpdateScopeForWrites,
} from './identity';
import { captureBody, rethrowBodyError } from './middleware/body-capture';
import { faultInjection } from './middleware/faults';
import { inFlightCounter } from './middleware/in-flight';
import { latency } from './middleware/latency';
import { sessionRateLimit } from './middleware/rate-limit';
import { requestLog } from './middleware/request-log';

/** `standardmodel` allows anonymous access (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html): no token, no session. */
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

/** The Domain API (anonymous standardmodel, then authenticated routes), mounted where the API site serves it. */
function domainApiSite(context: SandboxContext, issuerFor?: (req: Request) => string): Router {
	const router = Router();
	router.use(anonymousDomainApi(context));
	router.use(
		bearerAuthentication(context, issuerFor),
		inFlightCounter(context),
		sessionRateLimit(context),
		latency(context),
		requireUpdateScopeForWrites(),
		requireReadScopeForReads(),
		createDomainApiRouter(context),
	);
	return router;
}

/**
 * RFC 9110 `Date` from the sandbox's server clock (store/clock.ts), so that a clock offset is visible to clients;
 * `dateHeaderOffsetMs` moves it away from the clock that stamps the changes.
 */
function serverDate(context: SandboxContext): RequestHandler {
	return (_req, res, next) => {
		const { clock } = context.store;
		res.setHeader('Date', new Date(clock.now() + clock.dateHeaderOffsetMs).toUTCString());
		next();
	};
}

function baseApp(context: SandboxContext): express.Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	app.use(serverDate(context), captureBody(), requestLog(context), faultInjection(context), rethrowBodyError());
	return app;
}

/**
 * The sandbox's express app: shared middleware, then `/id`, `/sys` and the Domain API at `/api/domain`
 * (left out when the API site runs on its own origin, `createApiSiteApp`).
 */
export function createApp(context: SandboxContext, options: { servesDomainApi?: boolean } = {}): express.Express {
	const app = baseApp(context);
	app.use('/id', createIdentityRouter(context));
	app.use('/sys', createSystemRouter(context));
	if (options.servesDomainApi ?? true) app.use('/api/domain', domainApiSite(context));
	app.use(notFound);
	app.use(errorHandler);
	return app;
}

/**
 * The Domain API site on another origin, serving at its root (`{api}/domain/odata/`). Its tokens come from the
 * instance's Identity, so the issuer is the instance's, not this origin's.
 */
export function createApiSiteApp(context: SandboxContext): express.Express {
	const app = baseApp(context);
	app.use(
		'/domain',
		domainApiSite(context, (req) => instanceIssuer(context, req)),
	);
	app.use(notFound);
	app.use(errorHandler);
	return app;
}

/** `{instance}/id` with the host name the caller used (127.0.0.1 or localhost both reach the sandbox). */
function instanceIssuer(context: SandboxContext, req: Request): string {
	const instance = new URL(context.instanceUrl ?? `${req.protocol}://${req.get('host')}`);
	instance.hostname = req.hostname;
	return `${instance.origin}/id`;
}
