import type { RequestHandler } from 'express';

import { sleep, type SandboxContext } from '../context';

/** `control.setLatency`: server time added to every Domain API request, inside its rate-limit slot. */
export function latency(context: SandboxContext): RequestHandler {
	return async (_req, _res, next) => {
		if (context.latencyMs > 0) await sleep(context, context.latencyMs);
		next();
	};
}
