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
	private readonly gate: FifoGate;

	constructor(size: number) {
		this.sessions = Array.from({ length: size }, (_, index) => new ErpNetSession(index, sessionLimits));
		this.gate = new FifoGate(size);
	}

	get waiting(): number {
		return this.gate.waiting;
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

export function clampPoolSize(value: unknown): number {
	const size = Math.floor(Number(value));
	if (!Number.isFinite(size) || size < 1) return 1;
	return Math.min(size, MAX_SESSIONS_PER_PROCESS);
}

/** The pool for a credential fingerprint and size; a changed size starts a new pool. */
export function sessionPool(fingerprint: string, size: unknown): SessionPool {
	const poolSize = clampPoolSize(size);
	const key = `${fingerprint}#${poolSize}`;
	let pool = pools.get(key);
	if (!pool) {
		pool = new SessionPool(poolSize);
		pools.set(key, pool);
	}
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
