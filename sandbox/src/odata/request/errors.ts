/** The protocol-level refusals of the dispatcher: no or a rejected token (401), missing rights (403), wrong method (405). */
import { ERP_SERVER_EXCEPTION, HttpError, ODATA_EXCEPTION } from '../errors';

export class UnauthorizedError extends HttpError {
	constructor(message = 'The request requires an authenticated user or application.') {
		super(401, message, 0, ERP_SERVER_EXCEPTION, { 'WWW-Authenticate': 'Bearer' });
	}
}

export class ForbiddenError extends HttpError {
	constructor(message: string) {
		super(403, message, 0, ERP_SERVER_EXCEPTION);
	}
}

export class MethodNotAllowedError extends HttpError {
	constructor(method: string, path: string) {
		super(405, `The HTTP method '${method}' is not supported for '${path}'.`, 0, ODATA_EXCEPTION);
	}
}
