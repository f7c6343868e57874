import type { Request, RequestHandler, Response } from 'express';

import { sleep, type ActiveFault, type SandboxContext } from '../context';
import { erpNetErrorJson } from '../erp-error';

function matches(fault: ActiveFault, req: Request): boolean {
	if (fault.method && fault.method.toUpperCase() !== req.method) return false;
	return !fault.pathIncludes || req.originalUrl.includes(fault.pathIncludes);
}

/** Counts the request against every matching fault and returns the first one due to fire. */
function takeDueFault(context: SandboxContext, req: Request): ActiveFault | undefined {
	let due: ActiveFault | undefined;
	for (const fault of context.faults.filter((candidate) => matches(candidate, req))) {
		fault.matched += 1;
		const skipped = fault.matched <= (fault.after ?? 0);
		const exhausted = fault.fired >= (fault.times ?? 1);
		if (!due && !skipped && !exhausted) {
			fault.fired += 1;
			due = fault;
		}
	}
	context.faults = context.faults.filter((fault) => fault.fired < (fault.times ?? 1));
	return due;
}

function sendFaultResponse(fault: ActiveFault, res: Response): void {
	res.status(fault.status ?? 500).set(fault.headers ?? {});
	if (fault.body === undefined)
		res.type('application/json').send(erpNetErrorJson(`Injected fault ${fault.id}`, res.statusCode));
	else if (typeof fault.body === 'string' || Buffer.isBuffer(fault.body)) res.send(fault.body);
	else res.json(fault.body);
}

/** A response that never quite ends: the headers at once, then one byte of the body at a time. */
async function trickle(context: SandboxContext, fault: ActiveFault, res: Response): Promise<void> {
	const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? { value: [] });
	res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers });
	for (const char of body) {
		if (res.destroyed) return;
		res.write(char);
		await sleep(context, fault.trickleMs ?? 60_000);
	}
	res.end();
}

/**
 * Serves the request normally and passes the answer's body through `rewrite` on the way out. The body is then sent
 * without Content-Length (chunked), so a body cut short by `rewrite` still ends cleanly, as a proxy would pass it on.
 */
function rewriteAnswer(res: Response, rewrite: (body: string) => string): void {
	const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => Response;
	res.end = ((chunk?: unknown, ...rest: unknown[]) => {
		const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : typeof chunk === 'string' ? chunk : '';
		if (!res.headersSent) res.removeHeader('Content-Length');
		return end(rewrite(text), ...rest.filter((value) => typeof value === 'function'));
	}) as Response['end'];
}

/**
 * `control.injectFault`: `delay` waits then serves normally; `status` answers with the given status;
 * `reset` destroys the socket; `hang` never answers (until the sandbox closes); `rewrite` serves normally and
 * changes the answer's body; `trickle` sends the body a byte at a time (`trickleMs` apart). `delayMs` delays any kind.
 */
export function faultInjection(context: SandboxContext): RequestHandler {
	return async (req, res, next) => {
		const fault = takeDueFault(context, req);
		if (!fault) {
			next();
			return;
		}
		if (fault.delayMs) await sleep(context, fault.delayMs);
		if (fault.kind === 'delay') next();
		else if (fault.kind === 'rewrite') {
			rewriteAnswer(res, fault.rewriteBody ?? ((body) => body));
			next();
		} else if (fault.kind === 'status') sendFaultResponse(fault, res);
		else if (fault.kind === 'reset') req.socket.destroy();
		else if (fault.kind === 'trickle') await trickle(context, fault, res);
	};
}
