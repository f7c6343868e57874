import express, { type RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';

const BODY_LIMIT = '50mb';

function keepRawBody(req: IncomingMessage, _res: unknown, buffer: Buffer, encoding: string): void {
	(req as unknown as express.Request).rawBodyText = buffer.toString((encoding || 'utf8') as BufferEncoding);
}

/**
 * Reads every request body once, keeping the raw text in `req.rawBodyText` (for the request log) and a parsed
 * `req.body` for JSON and form bodies (anything else: the text). Invalid JSON leaves `req.body` unset: the
 * Domain API parses `rawBodyText` itself and answers as ERP.net does. Other failures (413, 415) are kept in
 * `res.locals.bodyError` so the request is still logged and faults still apply; `rethrowBodyError` then
 * hands them to the error handler.
 */
export function captureBody(): RequestHandler {
	const parsers: RequestHandler[] = [
		express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: keepRawBody }),
		express.urlencoded({ limit: BODY_LIMIT, extended: false, verify: keepRawBody }),
		express.text({ limit: BODY_LIMIT, type: () => true, verify: keepRawBody }),
	];
	return (req, res, next) => {
		const runParser = (index: number): void => {
			if (index === parsers.length) {
				req.rawBodyText ??= '';
				next();
				return;
			}
			parsers[index](req, res, (error?: unknown) => {
				if (error) {
					if ((error as { type?: string }).type !== 'entity.parse.failed') res.locals.bodyError = error;
					req.rawBodyText ??= '';
					next();
					return;
				}
				runParser(index + 1);
			});
		};
		runParser(0);
	};
}

export function rethrowBodyError(): RequestHandler {
	return (_req, res, next) => next(res.locals.bodyError);
}
