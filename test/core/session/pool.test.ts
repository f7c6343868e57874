import { runInSessionPool, tokenForRequest } from '../../../core/session';
import {
	clampPoolSize,
	configureSessionLimits,
	IDLE_POOL_MS,
	MAX_SESSIONS_PER_PROCESS,
	resetSessionPools,
	SessionPool,
	sessionLimits,
	sessionPool,
	sessionPoolCount,
	sessionTokens,
} from '../../../core/session/pool';
import { DEFAULT_SESSION_LIMITS } from '../../../core/session/session';
import { tokenSource, useDefaultSessionLimits, wait } from './fixtures';

useDefaultSessionLimits();
afterEach(() => {
	jest.useRealTimers();
	jest.restoreAllMocks();
});

describe('clampPoolSize', () => {
	it('should allow at most MAX_SESSIONS_PER_PROCESS sessions, ten', () => {
		expect(MAX_SESSIONS_PER_PROCESS).toBe(10);
		expect(clampPoolSize(10)).toBe(10);
		expect(clampPoolSize(11)).toBe(10);
		expect(clampPoolSize('500')).toBe(10);
	});

	it.each([[0], [-3], [0.5], [Number.NaN], [Number.POSITIVE_INFINITY], ['many'], [''], [undefined], [null]])(
		'should make a pool of one session of %p',
		(value) => {
			expect(clampPoolSize(value)).toBe(1);
		},
	);

	it('should take the whole number of a fraction or a numeric text', () => {
		expect(clampPoolSize(2.9)).toBe(2);
		expect(clampPoolSize('3')).toBe(3);
	});
});

describe('sessionPool', () => {
	it('should return the same pool for the same credential fingerprint and size, with one session per place', () => {
		const pool = sessionPool('fingerprint', 3);

		expect(sessionPool('fingerprint', '3')).toBe(pool);
		expect(pool.sessions.map((session) => session.index)).toEqual([0, 1, 2]);
		expect(sessionPool('fingerprint', 2)).not.toBe(pool);
		expect(sessionPool('another', 3)).not.toBe(pool);
		expect(sessionPoolCount()).toBe(3);
	});

	it('should treat sizes that clamp to the same number as one pool', () => {
		expect(sessionPool('f', 50)).toBe(sessionPool('f', MAX_SESSIONS_PER_PROCESS));
		expect(sessionPool('f', 0)).toBe(sessionPool('f', 1));
	});

	it('should forget every pool on resetSessionPools, as a new process would', () => {
		const pool = sessionPool('f', 1);
		resetSessionPools();
		expect(sessionPoolCount()).toBe(0);
		expect(sessionPool('f', 1)).not.toBe(pool);
	});
});

describe('pools of old settings', () => {
	it('should free the pool of a rotated secret or an old pool size once it is idle, not keep one per setting', async () => {
		const tokens = tokenSource(3600);
		for (let rotation = 0; rotation < 50; rotation++) {
			const options = {};
			const request = {
				fingerprint: `secret-${rotation}`,
				poolSize: 1 + (rotation % 10),
				owner: 'instance+client+scope',
				fetchToken: tokens.fetch,
			};
			await runInSessionPool(
				request,
				options,
				async () => await tokenForRequest(options, request.fingerprint, request.poolSize),
			);
		}
		expect(sessionPoolCount()).toBe(1);
		// another credential's pool is not touched by these
		sessionPool('another', 1, 'another owner');
		sessionPool('secret-50', 1, 'instance+client+scope');
		expect(sessionPoolCount()).toBe(2);
	});

	it('should keep a pool that a request is still running on', async () => {
		let finish!: () => void;
		const running = runInSessionPool(
			{ fingerprint: 'old', poolSize: 1, owner: 'o', fetchToken: tokenSource(3600).fetch },
			{},
			() => new Promise<void>((resolve) => (finish = resolve)),
		);
		await wait(50);
		sessionPool('new', 1, 'o');
		expect(sessionPoolCount()).toBe(2);
		finish();
		await running;
		sessionPool('newer', 1, 'o');
		expect(sessionPoolCount()).toBe(1);
	});

	it('should drop any idle pool unused for IDLE_POOL_MS when a new pool starts, and no sooner', () => {
		const now = jest.spyOn(Date, 'now');
		const start = 1_000_000;
		now.mockReturnValue(start);
		const unused = sessionPool('unused', 1, 'first');
		const touched = sessionPool('touched', 1);

		now.mockReturnValue(start + IDLE_POOL_MS - 1);
		sessionPool('touched', 1);
		sessionPool('second', 1, 'second');
		expect(sessionPoolCount()).toBe(3);

		now.mockReturnValue(start + IDLE_POOL_MS);
		expect(sessionPool('unused', 1, 'first')).toBe(unused);
		sessionPool('third', 1, 'third');
		expect(sessionPoolCount()).toBe(4);

		now.mockReturnValue(start + 2 * IDLE_POOL_MS);
		sessionPool('fourth', 1, 'fourth');
		expect(sessionPoolCount()).toBe(1);
		expect(sessionPool('touched', 1)).not.toBe(touched);
	});

	it('should not drop pools of other owners, nor pools without an owner, when a pool of one owner starts', () => {
		const ownerless = sessionPool('ownerless', 1);
		const other = sessionPool('other', 1, 'other owner');
		sessionPool('mine-1', 1, 'mine');
		sessionPool('mine-2', 1, 'mine');

		expect(sessionPoolCount()).toBe(3);
		expect(sessionPool('ownerless', 1)).toBe(ownerless);
		expect(sessionPool('other', 1, 'other owner')).toBe(other);
	});

	it('should keep a pool whose session is requesting a token', async () => {
		const pool = sessionPool('renewing', 1, 'o');
		const renewal = pool.sessions[0].renew(tokenSource(3600).fetch);
		sessionPool('replacement', 1, 'o');
		expect(sessionPoolCount()).toBe(2);
		await renewal;
	});
});

describe('SessionPool', () => {
	it('should lease a free session, count the requests still waiting behind it, and take it back on release', async () => {
		const pool = new SessionPool(1);
		const first = await pool.acquire(60_000);
		if (!('session' in first)) throw new Error('expected a lease');
		expect(first.session).toBe(pool.sessions[0]);
		expect(first.queuedBehind).toBe(0);

		const second = pool.acquire(60_000);
		const third = pool.acquire(60_000);
		expect(pool.waiting).toBe(2);
		first.release();
		const lease = await second;
		expect(lease).toMatchObject({ session: pool.sessions[0], queuedBehind: 1 });
		if ('release' in lease) lease.release();
		const last = await third;
		if ('release' in last) last.release();
		expect(pool.idle).toBe(true);
	});

	it('should free a place once however often its lease is released', async () => {
		jest.useFakeTimers();
		const pool = new SessionPool(1);
		const lease = await pool.acquire(60_000);
		if (!('release' in lease)) throw new Error('expected a lease');
		lease.release();
		lease.release();

		const holder = await pool.acquire(60_000);
		const next = pool.acquire(2_000);
		await jest.advanceTimersByTimeAsync(2_000);
		expect('session' in holder).toBe(true);
		expect(await next).toMatchObject({ timedOut: true, ahead: 0 });
	});

	it('should wait no longer than the configured maxWaitMs when no wait is given', async () => {
		jest.useFakeTimers();
		configureSessionLimits({ maxWaitMs: 1_000 });
		const pool = new SessionPool(1);
		await pool.acquire();
		const waiting = pool.acquire();
		await jest.advanceTimersByTimeAsync(1_000);
		expect(await waiting).toEqual({ timedOut: true, waitedMs: 1_000, ahead: 0 });
	});

	it('should be busy while a lease is held, a gated request is in flight or a session requests a token', async () => {
		const pool = new SessionPool(2);
		expect(pool.idle).toBe(true);

		const lease = await pool.acquire(0);
		expect(pool.idle).toBe(false);
		if ('release' in lease) lease.release();
		expect(pool.idle).toBe(true);

		pool.boundInFlight = 1;
		expect(pool.idle).toBe(false);
		pool.boundInFlight = 0;

		const renewal = pool.sessions[1].renew(tokenSource(3600).fetch);
		expect(pool.idle).toBe(false);
		await renewal;
		expect(pool.idle).toBe(true);
	});

	it('should give an abandoned session a fresh successor that still knows the old tokens for redaction', async () => {
		const tokens = tokenSource(3600);
		const pool = new SessionPool(2);
		const abandoned = pool.sessions[1];
		await abandoned.accessToken(tokens.fetch);
		abandoned.inFlightToken = 'sent-by-the-overdue-request';

		pool.abandon(abandoned);

		const successor = pool.sessions[1];
		expect(successor).not.toBe(abandoned);
		expect(successor.index).toBe(1);
		expect(successor.token).toBeUndefined();
		expect(successor.retiredTokens).toEqual(['token-1', 'sent-by-the-overdue-request']);
		expect(await successor.accessToken(tokens.fetch)).toBe('token-2');
		expect(pool.sessions[0].token).toBeUndefined();
	});

	it('should ignore abandoning a session that was already replaced', () => {
		const pool = new SessionPool(1);
		const original = pool.sessions[0];
		pool.abandon(original);
		const successor = pool.sessions[0];
		pool.abandon(original);
		expect(pool.sessions[0]).toBe(successor);
	});

	it('should give its sessions the limits configured later', () => {
		const pool = new SessionPool(1);
		configureSessionLimits({ licenseBackoffMs: 5 });
		pool.sessions[0].licenseRefusedAt = Date.now() - 10;
		expect(pool.sessions[0].licenseBackoffActive()).toBe(false);
	});
});

describe('configureSessionLimits', () => {
	it('should change only the limits it names', () => {
		configureSessionLimits({ requestsPerWindow: 3 });
		configureSessionLimits({ windowMs: 400 });
		expect(sessionLimits()).toEqual({ ...DEFAULT_SESSION_LIMITS, requestsPerWindow: 3, windowMs: 400 });
	});
});

describe('sessionTokens', () => {
	it('should list every token of every pool once: current, in flight, retired and sent outside the gate', async () => {
		const tokens = tokenSource(3600);
		const first = sessionPool('first', 2);
		await first.sessions[0].accessToken(tokens.fetch);
		await first.sessions[0].replaceToken('token-1', tokens.fetch);
		first.sessions[1].inFlightToken = 'in-flight';
		first.lastUnboundToken = 'token-2';
		const second = sessionPool('second', 1);
		second.lastUnboundToken = 'stored';

		expect(sessionTokens().sort()).toEqual(['in-flight', 'stored', 'token-1', 'token-2']);
		resetSessionPools();
		expect(sessionTokens()).toEqual([]);
	});
});
