import type { RequestHandler } from 'express';
import { decodeJwt } from 'jose';
import type { IncomingHttpHeaders } from 'node:http';

import type { RequestLogEntry, SandboxContext } from '../context';

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return flat;
}

/** The jti of a bearer token, for the log only: nothing is verified here. */
function bearerTokenJti(authorization: string | undefined): string | undefined {
	const token = authorization?.match(/^Bearer\s+(\S+)/i)?.[1];
	if (!token) return undefined;
	try {
		const { jti } = decodeJwt(token);
		return typeof jti === 'string' ? jti : undefined;
	} catch {
		return undefined;
	}
}

/** Appends a `RequestLogEntry` per request and tells `onRequest` listeners before the request is answered. */
export function requestLog(context: SandboxContext): RequestHandler {
	return (req, res, next) => {
		const url = req.originalUrl;
		const queryStart = url.indexOf('?');
		const entry: RequestLogEntry = {
			time: new Date().toISOString(),
			method: req.method,
			path: queryStart < 0 ? url : url.slice(0, queryStart),
			query: queryStart < 0 ? '' : url.slice(queryStart),
			url,
			headers: flattenHeaders(req.headers),
			body: req.rawBodyText ?? '',
			status: 0,
			tokenJti: bearerTokenJti(req.get('authorization')),
			origin: `${req.protocol}://${req.get('host') ?? ''}`,
		};
		context.requests.push(entry);
		res.on('finish', () => {
			entry.status = res.statusCode;
			const length = Number(res.getHeader('content-length'));
			if (Number.isFinite(length)) entry.responseBytes = length;
		});
		for (const listener of [...context.requestListeners]) listener(entry);
		next();
	};
}
