import { FifoGate, type GateTurn } from './gate';
import { DEFAULT_SESSION_LIMITS, ErpNetSession, type SessionLimits } from './session';

/** The most sessions the "Sessions per n8n Process" option allows. */
export const MAX_SESSIONS_PER_PROCESS = 10;

let limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS };

/** Changes the pacing and waiting limits of every pool (tests shorten them). */
export function configureSessionLimits(changes: Partial<SessionLimits>): void {
	limits = { ...limits, ...changes };
}

export function sessionLimits(): SessionLimits {
	return limits;
}

export interface SessionLease {
	session: ErpNetSession;
	/** Requests that were waiting for a session when this one got its turn. */
	queuedBehind: number;
	release(): void;
}

/**
 * The sessions of one credential (its settings fingerprint) in this n8n process, shared by every execution:
 * each request waits its turn in arrival order and runs on the first free session, one at a time per session.
 */
export class SessionPool {
	readonly sessions: ErpNetSession[];
	/** Requests of this pool between their turn and their answer (at most one per session). */
	boundInFlight = 0;
	/** The token last sent by a request that did not come through the gate (credential test, HTTP Request node). */
	lastUnboundToken?: string;
	/** The credential's settings but its secret and pool size: a pool of the same owner replaces this one. */
	owner?: string;
	lastUsedAt = Date.now();
	private readonly gate: FifoGate;

	constructor(size: number) {
		this.sessions = Array.from({ length: size }, (_, index) => new ErpNetSession(index, sessionLimits));
		this.gate = new FifoGate(size);
	}

	get waiting(): number {
		return this.gate.waiting;
	}

	/** Nothing running or waiting on it and no token request under way outside the gate. */
	get idle(): boolean {
		return this.gate.idle && this.boundInFlight === 0 && this.sessions.every((session) => !session.renewing);
	}

	/**
	 * Gives up on a session whose request did not end in time: its place gets a new session (a new token, so a new
	 * ERP.net session: https://docs.erp.net/dev/auth/sessions/token-session-relationship.html), and the old one,
	 * which ERP.net may still be working on, gets no further request. Its licence is freed by ERP.net after 20
	 * inactive minutes.
	 */
	abandon(session: ErpNetSession): void {
		if (this.sessions[session.index] !== session) return;
		const replacement = new ErpNetSession(session.index, sessionLimits);
		replacement.retiredTokens.push(...session.knownTokens());
		this.sessions[session.index] = replacement;
	}

	/** A lease on a free session, or the wait's outcome when none became free within `maxWaitMs`. */
	async acquire(maxWaitMs = limits.maxWaitMs): Promise<SessionLease | Exclude<GateTurn, { place: number }>> {
		const turn = await this.gate.acquire(maxWaitMs);
		if (!('place' in turn)) return turn;
		const { place } = turn;
		let released = false;
		return {
			session: this.sessions[place],
			queuedBehind: this.gate.waiting,
			release: () => {
				if (released) return;
				released = true;
				this.gate.release(place);
			},
		};
	}
}

/** Process-wide: module state lives once per n8n process (main, each worker, each `n8n execute`). */
const pools = new Map<string, SessionPool>();

/**
 * A pool nobody used for this long is dropped: ERP.net ends a session after 20 inactive minutes and frees its
 * licence (https://docs.erp.net/dev/auth/sessions/license-compliance.html), so its token is of no more use.
 */
export const IDLE_POOL_MS = 20 * 60_000;

/**
 * Drops the idle pools a new one replaces: those of the same owner (the credential's secret or pool size changed)
 * and those unused for `IDLE_POOL_MS` (settings nobody uses any more), so that a long-running n8n does not keep a
 * pool of up to ten sessions per old setting. A pool in use stays until it is idle; its leases keep working.
 */
function dropReplacedPools(owner: string | undefined, now: number): void {
	for (const [key, pool] of pools) {
		if (!pool.idle) continue;
		if ((owner !== undefined && pool.owner === owner) || now - pool.lastUsedAt >= IDLE_POOL_MS) pools.delete(key);
	}
}

/** How many pools this process holds (bench, tests). */
export function sessionPoolCount(): number {
	return pools.size;
}

export function clampPoolSize(value: unknown): number {
	const size = Math.floor(Number(value));
	if (!Number.isFinite(size) || size < 1) return 1;
	return Math.min(size, MAX_SESSIONS_PER_PROCESS);
}

/**
 * The pool for a credential fingerprint and size; a changed size or secret starts a new pool, which replaces the
 * idle pools of the same `owner` (`settingsOwner`).
 */
export function sessionPool(fingerprint: string, size: unknown, owner?: string): SessionPool {
	const poolSize = clampPoolSize(size);
	const key = `${fingerprint}#${poolSize}`;
	const now = Date.now();
	let pool = pools.get(key);
	if (!pool) {
		dropReplacedPools(owner, now);
		pool = new SessionPool(poolSize);
		pools.set(key, pool);
	}
	pool.owner ??= owner;
	pool.lastUsedAt = now;
	return pool;
}

/** Every token a session of this process holds, sends or recently held, and those sent outside the gate. */
export function sessionTokens(): string[] {
	const tokens = new Set<string>();
	for (const pool of pools.values()) {
		for (const session of pool.sessions) for (const token of session.knownTokens()) tokens.add(token);
		if (pool.lastUnboundToken) tokens.add(pool.lastUnboundToken);
	}
	return [...tokens];
}

/** Forgets every pool (tests that simulate a new process). */
export function resetSessionPools(): void {
	pools.clear();
}
