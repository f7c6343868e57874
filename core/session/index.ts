/**
 * One ERP.net session per n8n process (per credential and pool slot), shared by every execution of the
 * process. ERP.net runs one request per session at a time, queues five, refuses more with 429, allows 600
 * requests a minute (https://docs.erp.net/tech/advanced/web-sites/rate-limits.html), and each session holds a
 * licence slot that must not be shared between processes
 * (https://docs.erp.net/dev/auth/sessions/license-compliance.html).
 *
 * - Transports call `runInSessionPool`: the request waits its turn (arrival order, bounded wait), runs on a free
 *   session of the credential's pool with that session's token (requested once per process, renewed shortly
 *   before `expires_in` runs out), paced to the per-minute limit.
 * - The credential's `authenticate` calls `tokenForRequest`; `preAuthentication` calls `preAuthenticate`.
 * Tokens live in this process's memory; a stored token is taken over only by sequential CLI runs.
 */
import { sleep } from 'n8n-workflow';

import { tokenForBoundRequest, bindRequest } from './binding';
import { mentionsLicenseExhausted } from './license';
import { sessionLimits, sessionPool } from './pool';
import type { SessionToken, TokenFetcher } from './session';

export { LICENSE_EXHAUSTED_CODE, mentionsLicenseExhausted } from './license';
export {
	configureSessionLimits,
	IDLE_POOL_MS,
	resetSessionPools,
	sessionPool,
	sessionPoolCount,
	sessionTokens,
	MAX_SESSIONS_PER_PROCESS,
} from './pool';
export type { ObtainedToken, SessionToken, TokenFetcher } from './session';

/** The wait for a free session ran out; says how long and how many requests were ahead. */
export class SessionWaitError extends Error {
	readonly description: string;

	constructor(waitedMs: number, ahead: number, poolSize: number) {
		super(`No ERP.net session became free within ${Math.round(waitedMs / 1000)} seconds`);
		this.description =
			`${ahead} other request(s) of this n8n process were still waiting for the credential's ${poolSize} session(s). ` +
			'ERP.net runs one request at a time per session. Run fewer executions at once with this credential, or ' +
			'raise "Sessions per n8n Process" (each session is one more ERP.net licence).';
	}
}

/**
 * A request that had not ended when its deadline passed (e.g. an answer trickling in a byte at a time): the caller
 * gets this, and the session it ran on is given up (`SessionPool.abandon`).
 */
export class SessionOverdueError extends Error {
	constructor(readonly waitedMs: number) {
		super(`ERP.net had not finished answering after ${Math.round(waitedMs / 1000)} seconds`);
	}
}

/** A request the client gave up on (axios's own timeout) may still run in ERP.net. */
function isClientTimeout(error: unknown): boolean {
	const codes = [error, (error as { cause?: unknown })?.cause].map((value) => (value as { code?: unknown })?.code);
	return codes.some((code) => code === 'ECONNABORTED' || code === 'ETIMEDOUT');
}

/** How often a running request checks its deadline (no cancellable timers in node code). */
const DEADLINE_CHECK_MS = 1000;

type Settled<T> = { value: T } | { error: unknown } | { overdue: true; waitedMs: number };

/** The request's outcome, or `overdue` once `deadlineMs` has passed without one (the request keeps running). */
async function settleWithin<T>(running: Promise<T>, deadlineMs: number | undefined): Promise<Settled<T>> {
	const started = Date.now();
	let outcome: Settled<T> | undefined;
	const settled = running.then(
		(value) => (outcome = { value }),
		(error: unknown) => (outcome = { error }),
	);
	if (deadlineMs === undefined) return await settled;
	while (outcome === undefined) {
		await Promise.race([settled, sleep(Math.min(DEADLINE_CHECK_MS, deadlineMs))]);
		const waitedMs = Date.now() - started;
		if (outcome === undefined && waitedMs >= deadlineMs) return { overdue: true, waitedMs };
	}
	return outcome;
}

/** A recent MaximumLicenseCountExceeded on this session: not tried again yet. */
export class LicenseBackoffError extends Error {
	constructor() {
		super('ERP.net has no free licence for a new session (MaximumLicenseCountExceeded)');
	}
}

export interface SessionRequest {
	/** Fingerprint of the credential's settings (instance, client, secret, scope). */
	fingerprint: string;
	/** "Sessions per n8n Process". */
	poolSize: unknown;
	/** The settings but the secret and pool size (`settingsOwner`): a new pool of the same owner replaces the old. */
	owner?: string;
	/** Requests a token with the credential's settings. */
	fetchToken: TokenFetcher;
	/** A stored token a sequential CLI run may take over instead of requesting one. */
	adoptable?: SessionToken;
	maxWaitMs?: number;
}

/** Bounds of one request: after `deadlineMs` without an answer its caller gets `SessionOverdueError`. */
export interface SendLimits {
	deadlineMs?: number;
}

/** Runs `send` on a session of the credential's pool; `options` is the object n8n hands to `authenticate`. */
export async function runInSessionPool<T>(
	request: SessionRequest,
	options: object,
	send: () => Promise<T>,
	limits: SendLimits = {},
): Promise<T> {
	const pool = sessionPool(request.fingerprint, request.poolSize, request.owner);
	const lease = await pool.acquire(request.maxWaitMs ?? sessionLimits().maxWaitMs);
	if (!('session' in lease)) throw new SessionWaitError(lease.waitedMs, lease.ahead, pool.sessions.length);
	const { session } = lease;
	try {
		if (session.licenseBackoffActive()) throw new LicenseBackoffError();
		if (request.adoptable && session.index === 0) session.adopt(request.adoptable);
		const token = await session.accessToken(request.fetchToken);
		await session.pace();
		bindRequest(options, session, token, request.fetchToken);
		pool.boundInFlight += 1;
		session.inFlightToken = token;
		const outcome = await settleWithin(send(), limits.deadlineMs);
		session.inFlightToken = undefined;
		pool.boundInFlight -= 1;
		if ('overdue' in outcome) {
			pool.abandon(session);
			throw new SessionOverdueError(outcome.waitedMs);
		}
		if ('error' in outcome) {
			if (mentionsLicenseExhausted(outcome.error)) session.licenseRefusedAt = Date.now();
			// ERP.net may still be running what the client gave up on: the next request must not queue behind it.
			if (isClientTimeout(outcome.error)) pool.abandon(session);
			throw outcome.error;
		}
		return outcome.value;
	} finally {
		lease.release();
	}
}

/**
 * For the credential's `preAuthentication`. n8n calls it with no token stored (first use) or after a request
 * answered 401 (then a token is stored), without saying which request. First use: the first session's token.
 * After a 401: the rejected token of the first session is replaced (the one its gated request sent, else the
 * one last sent outside the gate); a 401 of a gated request on another session is left to that request's own
 * retry in `authenticate`.
 */
export async function preAuthenticate(
	fingerprint: string,
	poolSize: unknown,
	fetchToken: TokenFetcher,
	storedToken: string,
	owner?: string,
): Promise<SessionToken> {
	const pool = sessionPool(fingerprint, poolSize, owner);
	const session = pool.sessions[0];
	if (storedToken === '') return await session.currentToken(fetchToken);
	if (session.inFlightToken === undefined && pool.boundInFlight > 0) return await session.currentToken(fetchToken);
	return await session.replaceToken(session.inFlightToken ?? pool.lastUnboundToken ?? storedToken, fetchToken);
}

/**
 * For the credential's `authenticate`: the token of a request that came through `runInSessionPool`, else this
 * process's token of the credential's first session, else the stored token (credential test, HTTP Request
 * node: n8n's own flow, outside the gate), else undefined.
 */
export async function tokenForRequest(
	options: object,
	fingerprint: string,
	poolSize: unknown,
	storedToken = '',
): Promise<string | undefined> {
	const bound = await tokenForBoundRequest(options);
	if (bound !== undefined) return bound;
	const pool = sessionPool(fingerprint, poolSize);
	const own = pool.sessions[0].token;
	const usable = own && (own.expiresAt === undefined || Date.now() < own.expiresAt) ? own.value : undefined;
	const token = usable ?? (storedToken !== '' ? storedToken : undefined);
	if (token !== undefined) pool.lastUnboundToken = token;
	return token;
}
