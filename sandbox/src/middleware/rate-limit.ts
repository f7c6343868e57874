import type { RequestHandler, Response } from 'express';

import type { SandboxContext } from '../context';
import { sendErpNetError } from '../erp-error';

const MINUTE_MS = 60_000;

interface SessionLoad {
	active: number;
	waiting: Array<() => void>;
	/** Admission times within the last minute, oldest first. */
	recent: number[];
}

function tooManyRequests(context: SandboxContext, res: Response, message: string): void {
	context.counters.tooManyRequests += 1;
	// ERP.net documents the 429 status but neither its body nor a Retry-After header (https://docs.erp.net/tech/advanced/web-sites/rate-limits.html).
	sendErpNetError(res, 429, message);
}

/**
 * Per-session limits of https://docs.erp.net/tech/advanced/web-sites/rate-limits.html: `SessionRpm` requests a minute, and
 * `SessionConcurrentRequests` running at once with a queue behind them; a request finding the queue full
 * gets an immediate 429. Runs after bearer authentication (the session comes from the token).
 */
export function sessionRateLimit(context: SandboxContext): RequestHandler {
	const loads = new Map<string, SessionLoad>();
	return (req, res, next) => {
		const sessionId = req.auth?.sessionId ?? 'anonymous';
		const load = loads.get(sessionId) ?? { active: 0, waiting: [], recent: [] };
		loads.set(sessionId, load);
		const limits = context.rateLimit;
		const now = Date.now();
		const windowMs = limits.windowMs ?? MINUTE_MS;
		while (load.recent.length > 0 && now - load.recent[0] >= windowMs) load.recent.shift();
		if (load.recent.length >= limits.requestsPerMinute) {
			tooManyRequests(context, res, `The session exceeded ${limits.requestsPerMinute} requests per minute.`);
			return;
		}
		const start = () => {
			load.active += 1;
			res.once('close', release);
			next();
		};
		const release = () => {
			load.active -= 1;
			load.waiting.shift()?.();
		};
		if (load.active < limits.concurrentRequests) {
			load.recent.push(now);
			start();
		} else if (load.waiting.length < limits.queue) {
			load.recent.push(now);
			load.waiting.push(start);
			res.once('close', () => {
				const position = load.waiting.indexOf(start);
				if (position >= 0) load.waiting.splice(position, 1);
			});
		} else {
			tooManyRequests(context, res, 'The session has too many concurrent requests.');
		}
	};
}
