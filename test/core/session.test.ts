import {
	configureSessionLimits,
	LICENSE_EXHAUSTED_CODE,
	mentionsLicenseExhausted,
	preAuthenticate,
	resetSessionPools,
	runInSessionPool,
	SessionWaitError,
	sessionPool,
	sessionPoolCount,
	sessionTokens,
	tokenForRequest,
	type ObtainedToken,
} from '../../core/session';
import { DEFAULT_SESSION_LIMITS, renewalDue } from '../../core/session/session';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tokenSource(expiresInSeconds?: number) {
	let issued = 0;
	return {
		get issued() {
			return issued;
		},
		fetch: async (): Promise<ObtainedToken> => {
			await wait(20);
			issued += 1;
			return { accessToken: `token-${issued}`, expiresInSeconds };
		},
	};
}

beforeEach(() => {
	resetSessionPools();
	configureSessionLimits(DEFAULT_SESSION_LIMITS);
});

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
		const send = () => {
			const options = {};
			return runInSessionPool({ fingerprint: 'c', poolSize: 1, fetchToken: tokens.fetch }, options, () =>
				tokenForRequest(options, 'c', 1),
			);
		};

		expect(await send()).toBe('token-1');
		await wait(950);
		expect(await send()).toBe('token-2');
		// Neither is stored in the credential: both stay in the redaction set (a slow answer may echo the old one).
		expect(sessionTokens()).toEqual(expect.arrayContaining(['token-1', 'token-2']));
		expect(renewalDue({ value: 'x', obtainedAt: 0, expiresAt: 1000 }, 899)).toBe(false);
		expect(renewalDue({ value: 'x', obtainedAt: 0, expiresAt: 1000 }, 900)).toBe(true);
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
});

describe('mentionsLicenseExhausted', () => {
	it('should find the code in nested bodies, strings and buffers, and not elsewhere', () => {
		expect(
			mentionsLicenseExhausted({ cause: { response: { data: Buffer.from('x MaximumLicenseCountExceeded') } } }),
		).toBe(true);
		expect(mentionsLicenseExhausted({ description: 'MaximumLicenseCountExceeded' })).toBe(true);
		expect(mentionsLicenseExhausted({ cause: { config: { data: 'MaximumLicenseCountExceeded' } } })).toBe(false);
		expect(mentionsLicenseExhausted(new Error('timeout'))).toBe(false);
	});
});
