import type { RequestHandler } from 'express';

import type { SandboxContext, SessionCounters } from '../context';

/**
 * Counts each session's authenticated requests and how many of them were in flight at once (from arrival,
 * queued ones included, until the response is done): a client that sends one request at a time per token
 * never shows more than 1. Runs after bearer authentication, before the rate limit.
 */
export function inFlightCounter(context: SandboxContext): RequestHandler {
	return (req, res, next) => {
		const auth = req.auth;
		if (!auth) {
			next();
			return;
		}
		const sessions = context.counters.sessions;
		let counters: SessionCounters | undefined = sessions.get(auth.sessionId);
		if (!counters) {
			counters = {
				sessionId: auth.sessionId,
				jti: auth.jti,
				clientId: auth.clientId,
				requests: 0,
				inFlight: 0,
				maxInFlight: 0,
			};
			sessions.set(auth.sessionId, counters);
		}
		const session = counters;
		session.requests += 1;
		session.inFlight += 1;
		session.maxInFlight = Math.max(session.maxInFlight, session.inFlight);
		let done = false;
		const release = () => {
			if (done) return;
			done = true;
			session.inFlight -= 1;
		};
		res.once('finish', release);
		res.once('close', release);
		next();
	};
}
