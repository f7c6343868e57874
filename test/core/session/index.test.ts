import {
	configureSessionLimits,
	LICENSE_EXHAUSTED_CODE,
	LicenseBackoffError,
	preAuthenticate,
	runInSessionPool,
	SessionOverdueError,
	SessionWaitError,
	sessionPool,
	sessionTokens,
	tokenForRequest,
	type SessionRequest,
} from '../../../core/session';
import { tokenSource, useDefaultSessionLimits, wait } from './fixtures';

useDefaultSessionLimits();

/** A fake request: records which token `authenticate` would send and how many run at once per token. */
function server() {
	const inFlight = new Map<string, number>();
	const maxInFlight = new Map<string, number>();
	const order: number[] = [];
	return {
		maxInFlight,
		order,
		async handle(options: object, fingerprint: string, poolSize: number, id: number, ms = 10) {
			const token = (await tokenForRequest(options, fingerprint, poolSize)) as string;
			order.push(id);
			inFlight.set(token, (inFlight.get(token) ?? 0) + 1);
			maxInFlight.set(token, Math.max(maxInFlight.get(token) ?? 0, inFlight.get(token) as number));
			await wait(ms);
			inFlight.set(token, (inFlight.get(token) as number) - 1);
			return token;
		},
	};
}

/** Runs one request through the gate and returns the token `authenticate` would have sent with it. */
function sendToken(request: SessionRequest): Promise<string | undefined> {
	const options = {};
	return runInSessionPool(request, options, () => tokenForRequest(options, request.fingerprint, request.poolSize));
}

/** A request that never ends until `finish()`: holds its session. */
function holdSession(request: SessionRequest) {
	let finish!: () => void;
	const ended = new Promise<void>((resolve) => (finish = resolve));
	const running = runInSessionPool(request, {}, () => ended);
	return { running, finish: () => finish() };
}

describe('runInSessionPool', () => {
	it('should request one token for many concurrent requests and run them one at a time in arrival order', async () => {
		const tokens = tokenSource(3600);
		const fake = server();

		const results = await Promise.all(
			Array.from({ length: 30 }, (_, id) => {
				const options = {};
				return runInSessionPool({ fingerprint: 'a', poolSize: 1, fetchToken: tokens.fetch }, options, () =>
					fake.handle(options, 'a', 1, id),
				);
			}),
		);

		expect(tokens.issued).toBe(1);
		expect(new Set(results)).toEqual(new Set(['token-1']));
		expect(fake.maxInFlight.get('token-1')).toBe(1);
		expect(fake.order).toEqual(Array.from({ length: 30 }, (_, id) => id));
	});

	it('should spread requests over a pool: one token per session, never two requests at once on one', async () => {
		const tokens = tokenSource(3600);
		const fake = server();

		const results = await Promise.all(
			Array.from({ length: 30 }, (_, id) => {
				const options = {};
				return runInSessionPool({ fingerprint: 'b', poolSize: 3, fetchToken: tokens.fetch }, options, () =>
					fake.handle(options, 'b', 3, id),
				);
			}),
		);

		expect(tokens.issued).toBe(3);
		expect(new Set(results).size).toBe(3);
		for (const max of fake.maxInFlight.values()) expect(max).toBe(1);
	});

	it('should renew the token before expires_in runs out', async () => {
		const tokens = tokenSource(1);
		const request = { fingerprint: 'c', poolSize: 1, fetchToken: tokens.fetch };

		expect(await sendToken(request)).toBe('token-1');
		await wait(950);
		expect(await sendToken(request)).toBe('token-2');
		// Neither is stored in the credential: both stay in the redaction set (a slow answer may echo the old one).
		expect(sessionTokens()).toEqual(expect.arrayContaining(['token-1', 'token-2']));
	});

	it('should replace the rejected token once when n8n authenticates the same request again after a 401', async () => {
		const tokens = tokenSource(3600);
		const options = {};
		const sent = await runInSessionPool(
			{ fingerprint: 'd', poolSize: 1, fetchToken: tokens.fetch },
			options,
			async () => {
				const first = await tokenForRequest(options, 'd', 1);
				const retry = await tokenForRequest(options, 'd', 1);
				return [first, retry];
			},
		);

		expect(sent).toEqual(['token-1', 'token-2']);
		expect(tokens.issued).toBe(2);
	});

	it('should report a bounded wait for a free session clearly', async () => {
		const tokens = tokenSource(3600);
		const slow = runInSessionPool({ fingerprint: 'e', poolSize: 1, fetchToken: tokens.fetch }, {}, () => wait(2500));

		const waiting = runInSessionPool(
			{ fingerprint: 'e', poolSize: 1, fetchToken: tokens.fetch, maxWaitMs: 1000 },
			{},
			async () => 'ran',
		);

		await expect(waiting).rejects.toBeInstanceOf(SessionWaitError);
		await expect(waiting).rejects.toThrow(/No ERP.net session became free within \d+ seconds/);
		await slow;
	});

	it('should say how many requests were ahead, for how many sessions, and what to change', async () => {
		const request = { fingerprint: 'e2', poolSize: 1, fetchToken: tokenSource(3600).fetch };
		const holder = holdSession(request);
		const ahead = runInSessionPool(request, {}, async () => 'ran after the holder');

		const error = await runInSessionPool({ ...request, maxWaitMs: 1000 }, {}, async () => 'never').catch(
			(caught: unknown) => caught,
		);

		expect(error).toBeInstanceOf(SessionWaitError);
		expect((error as SessionWaitError).description).toMatch(
			/^1 other request\(s\) of this n8n process were still waiting for the credential's 1 session\(s\)\./,
		);
		expect((error as SessionWaitError).description).toContain('Sessions per n8n Process');
		holder.finish();
		await holder.running;
		expect(await ahead).toBe('ran after the holder');
	});

	it('should pace a session to the per-window limit', async () => {
		configureSessionLimits({ requestsPerWindow: 3, windowMs: 400 });
		const tokens = tokenSource(3600);
		const started = Date.now();
		const sendTimes: number[] = [];
		for (let call = 0; call < 6; call++) {
			await runInSessionPool({ fingerprint: 'f', poolSize: 1, fetchToken: tokens.fetch }, {}, async () =>
				sendTimes.push(Date.now() - started),
			);
		}

		// the fourth request waits until the first leaves the window
		expect(sendTimes[3] - sendTimes[0]).toBeGreaterThanOrEqual(395);
	});

	it('should fail further requests at once for a while after MaximumLicenseCountExceeded, without sending them', async () => {
		const tokens = tokenSource(3600);
		let sent = 0;
		const refuse = async () => {
			sent += 1;
			throw Object.assign(new Error('Request failed'), {
				cause: {
					response: { status: 500, data: { error: { message: `${LICENSE_EXHAUSTED_CODE}: all licences in use` } } },
				},
			});
		};

		await expect(
			runInSessionPool({ fingerprint: 'g', poolSize: 1, fetchToken: tokens.fetch }, {}, refuse),
		).rejects.toThrow('Request failed');
		await expect(
			runInSessionPool({ fingerprint: 'g', poolSize: 1, fetchToken: tokens.fetch }, {}, refuse),
		).rejects.toThrow(LICENSE_EXHAUSTED_CODE);

		expect(sent).toBe(1);
	});

	it('should send again once the licence backoff has passed', async () => {
		configureSessionLimits({ licenseBackoffMs: 100 });
		const request = { fingerprint: 'g2', poolSize: 1, fetchToken: tokenSource(3600).fetch };
		await expect(
			runInSessionPool(request, {}, async () => {
				throw new Error(LICENSE_EXHAUSTED_CODE);
			}),
		).rejects.toThrow(LICENSE_EXHAUSTED_CODE);
		await expect(runInSessionPool(request, {}, async () => 'sent')).rejects.toBeInstanceOf(LicenseBackoffError);

		await wait(150);
		expect(await runInSessionPool(request, {}, async () => 'sent')).toBe('sent');
	});

	it("should pass the request's own error on unchanged and keep the session and its token", async () => {
		const tokens = tokenSource(3600);
		const request = { fingerprint: 'h1', poolSize: 1, fetchToken: tokens.fetch };
		const failure = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

		await expect(runInSessionPool(request, {}, () => Promise.reject(failure))).rejects.toBe(failure);
		expect(await sendToken(request)).toBe('token-1');
		expect(tokens.issued).toBe(1);
	});

	it.each([
		['the error', Object.assign(new Error('timeout of 1000ms exceeded'), { code: 'ECONNABORTED' })],
		['its cause', Object.assign(new Error('Request failed'), { cause: { code: 'ETIMEDOUT' } })],
	])(
		'should give up the session after a client timeout (code on %s): ERP.net may still be running it',
		async (_where, timeout) => {
			const tokens = tokenSource(3600);
			const request = { fingerprint: 'h2', poolSize: 1, fetchToken: tokens.fetch };
			await sendToken(request);

			await expect(runInSessionPool(request, {}, () => Promise.reject(timeout))).rejects.toBe(timeout);

			expect(await sendToken(request)).toBe('token-2');
			expect(sessionTokens()).toEqual(expect.arrayContaining(['token-1', 'token-2']));
		},
	);

	it('should fail a request still unanswered at its deadline and run the next one on a new session', async () => {
		const tokens = tokenSource(3600);
		const request = { fingerprint: 'i', poolSize: 1, fetchToken: tokens.fetch };
		const started = Date.now();
		const never = new Promise<never>(() => {});

		const error = await runInSessionPool(request, {}, () => never, { deadlineMs: 150 }).catch(
			(caught: unknown) => caught,
		);

		expect(error).toBeInstanceOf(SessionOverdueError);
		expect((error as SessionOverdueError).waitedMs).toBeGreaterThanOrEqual(150);
		expect(Date.now() - started).toBeLessThan(1_000);
		expect((error as Error).message).toBe('ERP.net had not finished answering after 0 seconds');
		expect(await sendToken(request)).toBe('token-2');
		expect(sessionTokens()).toEqual(expect.arrayContaining(['token-1']));
	});

	it('should answer a request that ends before its deadline as usual', async () => {
		const request = { fingerprint: 'i2', poolSize: 1, fetchToken: tokenSource(3600).fetch };
		expect(await runInSessionPool(request, {}, async () => 'answer', { deadlineMs: 5_000 })).toBe('answer');
	});

	it("should count the request's token as in flight while it runs, and no longer once it has ended", async () => {
		const request = { fingerprint: 'j', poolSize: 1, fetchToken: tokenSource(3600).fetch };
		const pool = sessionPool('j', 1);

		const during = await runInSessionPool(request, {}, async () => ({
			inFlight: pool.sessions[0].inFlightToken,
			bound: pool.boundInFlight,
			idle: pool.idle,
		}));

		expect(during).toEqual({ inFlight: 'token-1', bound: 1, idle: false });
		expect(pool.sessions[0].inFlightToken).toBeUndefined();
		expect(pool.boundInFlight).toBe(0);
		expect(pool.idle).toBe(true);
	});

	it('should take over a stored token on the first session only, instead of requesting one', async () => {
		const tokens = tokenSource(3600);
		const now = Date.now();
		const request = {
			fingerprint: 'k',
			poolSize: 2,
			fetchToken: tokens.fetch,
			adoptable: { value: 'stored-token', obtainedAt: now, expiresAt: now + 3_600_000 },
		};

		const sent = await Promise.all([sendToken(request), sendToken(request)]);

		expect(sent).toEqual(['stored-token', 'token-1']);
		expect(tokens.issued).toBe(1);
	});
});

describe('preAuthenticate and unbound requests', () => {
	it('should share one token request between concurrent callers and hand the token to unbound requests', async () => {
		const tokens = tokenSource(3600);

		const results = await Promise.all(Array.from({ length: 5 }, () => preAuthenticate('h', 1, tokens.fetch, '')));

		expect(tokens.issued).toBe(1);
		expect(results.map((token) => token.value)).toEqual(Array(5).fill('token-1'));
		expect(await tokenForRequest({}, 'h', 1)).toBe('token-1');
		expect(await tokenForRequest({}, 'other', 1)).toBeUndefined();
	});

	it('should replace the token a gated request on the first session sent when n8n reports a 401', async () => {
		const tokens = tokenSource(3600);
		const request = { fingerprint: 'l', poolSize: 1, fetchToken: tokens.fetch };

		const refreshed = await runInSessionPool(request, {}, () => preAuthenticate('l', 1, tokens.fetch, 'token-1'));

		expect(refreshed.value).toBe('token-2');
	});

	it('should replace the token last sent outside the gate when no gated request is running', async () => {
		const tokens = tokenSource(3600);
		await preAuthenticate('m', 1, tokens.fetch, '');
		expect(await tokenForRequest({}, 'm', 1, 'token-1')).toBe('token-1');

		const refreshed = await preAuthenticate('m', 1, tokens.fetch, 'stored-long-ago');

		expect(refreshed.value).toBe('token-2');
		expect(tokens.issued).toBe(2);
	});

	it('should not replace a token the first session no longer holds', async () => {
		const tokens = tokenSource(3600);
		await preAuthenticate('n', 1, tokens.fetch, '');

		const current = await preAuthenticate('n', 1, tokens.fetch, 'token-from-an-earlier-process');

		expect(current.value).toBe('token-1');
		expect(tokens.issued).toBe(1);
	});

	it("should leave a 401 of a gated request on another session to that request's own retry", async () => {
		const tokens = tokenSource(3600);
		const request = { fingerprint: 'o', poolSize: 2, fetchToken: tokens.fetch };
		const quick = runInSessionPool(request, {}, async () => 'done');
		const holder = holdSession(request);
		await quick;
		await wait(50);

		// n8n stored the first session's token; the 401 came to the request on the second session
		const current = await preAuthenticate('o', 2, tokens.fetch, 'token-1');

		expect(current.value).toBe('token-1');
		expect(tokens.issued).toBe(2);
		holder.finish();
		await holder.running;
	});
});

describe('tokenForRequest outside the gate', () => {
	it("should send this process's token of the first session and remember it for redaction", async () => {
		await preAuthenticate('p', 1, tokenSource(3600).fetch, '');

		expect(await tokenForRequest({}, 'p', 1, 'stored')).toBe('token-1');
		expect(sessionPool('p', 1).lastUnboundToken).toBe('token-1');
	});

	it('should fall back to the stored token when the first session has none or only an expired one', async () => {
		expect(await tokenForRequest({}, 'q', 1, 'stored')).toBe('stored');
		expect(sessionTokens()).toEqual(['stored']);

		sessionPool('q', 1).sessions[0].token = { value: 'expired', obtainedAt: Date.now() - 2_000, expiresAt: Date.now() };
		expect(await tokenForRequest({}, 'q', 1, 'stored')).toBe('stored');

		sessionPool('q', 1).sessions[0].token = { value: 'lifetime unknown', obtainedAt: 0 };
		expect(await tokenForRequest({}, 'q', 1, 'stored')).toBe('lifetime unknown');
	});

	it('should have no token for a credential with none stored and no session token', async () => {
		expect(await tokenForRequest({}, 'r', 1)).toBeUndefined();
		expect(await tokenForRequest({}, 'r', 1, '')).toBeUndefined();
		expect(sessionPool('r', 1).lastUnboundToken).toBeUndefined();
	});
});

describe('session errors', () => {
	it('should name ERP.net and the licence code when a licence refusal is still fresh', () => {
		expect(new LicenseBackoffError().message).toBe(
			'ERP.net has no free licence for a new session (MaximumLicenseCountExceeded)',
		);
	});

	it('should give the waits in whole seconds', () => {
		expect(new SessionWaitError(61_400, 2, 3).message).toBe('No ERP.net session became free within 61 seconds');
		expect(new SessionWaitError(61_400, 2, 3).description).toMatch(/^2 other request\(s\) .* credential's 3 session/);
		expect(new SessionOverdueError(90_600).message).toBe('ERP.net had not finished answering after 91 seconds');
		expect(new SessionOverdueError(90_600).waitedMs).toBe(90_600);
	});
});
