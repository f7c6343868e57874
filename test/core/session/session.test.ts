import {
	DEFAULT_SESSION_LIMITS,
	ErpNetSession,
	renewalDue,
	type SessionLimits,
	type SessionToken,
} from '../../../core/session/session';
import { tokenSource, wait } from './fixtures';

function sessionWith(changes: Partial<SessionLimits> = {}): ErpNetSession {
	const limits = { ...DEFAULT_SESSION_LIMITS, ...changes };
	return new ErpNetSession(0, () => limits);
}

const stored = (value: string, expiresAt?: number): SessionToken => ({ value, obtainedAt: Date.now(), expiresAt });

describe('DEFAULT_SESSION_LIMITS', () => {
	it("should pace to ERP.net's SessionRpm of 600 a minute, with a second of margin on the window", () => {
		expect(DEFAULT_SESSION_LIMITS).toEqual({
			requestsPerWindow: 600,
			windowMs: 61_000,
			maxWaitMs: 300_000,
			licenseBackoffMs: 30_000,
		});
	});
});

describe('renewalDue', () => {
	it('should be due when a tenth of the lifetime is left', () => {
		expect(renewalDue({ value: 'x', obtainedAt: 0, expiresAt: 1000 }, 899)).toBe(false);
		expect(renewalDue({ value: 'x', obtainedAt: 0, expiresAt: 1000 }, 900)).toBe(true);
	});

	it('should renew a long-lived token a minute before it expires, not a tenth of its life before', () => {
		const hour = { value: 'x', obtainedAt: 0, expiresAt: 3_600_000 };
		expect(renewalDue(hour, 3_600_000 - 60_001)).toBe(false);
		expect(renewalDue(hour, 3_600_000 - 60_000)).toBe(true);
	});

	it('should never be due for a token of unknown lifetime (only a 401 replaces it)', () => {
		expect(renewalDue({ value: 'x', obtainedAt: 0 }, Number.MAX_SAFE_INTEGER)).toBe(false);
	});
});

describe('ErpNetSession tokens', () => {
	it('should request one token for concurrent callers and keep using it while it is fresh', async () => {
		const tokens = tokenSource(3600, 'read update');
		const session = sessionWith();

		const values = await Promise.all(Array.from({ length: 5 }, () => session.accessToken(tokens.fetch)));
		expect(values).toEqual(Array(5).fill('token-1'));
		expect(await session.accessToken(tokens.fetch)).toBe('token-1');
		expect(tokens.issued).toBe(1);
		expect(session.token).toMatchObject({ value: 'token-1', grantedScope: 'read update' });
	});

	it('should set the expiry from expires_in, counted from when the token was requested', async () => {
		const session = sessionWith();
		const before = Date.now();
		const token = await session.currentToken(tokenSource(120).fetch);

		expect(token.obtainedAt).toBeGreaterThanOrEqual(before);
		expect(token.obtainedAt).toBeLessThan(before + 20);
		expect(token.expiresAt).toBe(token.obtainedAt + 120_000);
	});

	it.each([[undefined], [0], [-5], [Number.NaN]])(
		'should leave the expiry unknown for expires_in %p',
		async (expiresIn) => {
			const token = await sessionWith().currentToken(tokenSource(expiresIn).fetch);
			expect(token.expiresAt).toBeUndefined();
		},
	);

	it('should request a new token once the old one is due for renewal, and keep the old one for redaction', async () => {
		const tokens = tokenSource(3600);
		const session = sessionWith();
		session.token = { value: 'old', obtainedAt: Date.now() - 3_590_000, expiresAt: Date.now() + 10_000 };

		expect(await session.accessToken(tokens.fetch)).toBe('token-1');
		expect(session.retiredTokens).toEqual(['old']);
	});

	it('should forget a failed token request so that the next caller tries again', async () => {
		const session = sessionWith();
		const failing = jest.fn().mockRejectedValueOnce(new Error('token endpoint down'));
		await expect(session.accessToken(failing)).rejects.toThrow('token endpoint down');
		expect(session.renewing).toBe(false);

		failing.mockResolvedValueOnce({ accessToken: 'second try' });
		expect(await session.accessToken(failing)).toBe('second try');
	});

	it('should report a token request under way as renewing', async () => {
		const session = sessionWith();
		const pending = session.renew(tokenSource(3600).fetch);
		expect(session.renewing).toBe(true);
		await pending;
		expect(session.renewing).toBe(false);
	});

	it('should replace a rejected token once, however many callers report it', async () => {
		const tokens = tokenSource(3600);
		const session = sessionWith();
		await session.accessToken(tokens.fetch);

		const replaced = await Promise.all([
			session.replaceToken('token-1', tokens.fetch),
			session.replaceToken('token-1', tokens.fetch),
		]);
		// a caller that reports the token already replaced gets the new one, no further request
		const late = await session.replaceToken('token-1', tokens.fetch);

		expect(replaced.map((token) => token.value)).toEqual(['token-2', 'token-2']);
		expect(late.value).toBe('token-2');
		expect(tokens.issued).toBe(2);
		expect(session.retiredTokens).toEqual(['token-1']);
	});

	it('should keep the current token when no rejected token is named', async () => {
		const tokens = tokenSource(3600);
		const session = sessionWith();
		await session.accessToken(tokens.fetch);

		expect((await session.replaceToken(undefined, tokens.fetch)).value).toBe('token-1');
		expect(tokens.issued).toBe(1);
	});

	it('should keep the two most recently replaced tokens, newest first', async () => {
		const tokens = tokenSource(3600);
		const session = sessionWith();
		await session.accessToken(tokens.fetch);
		for (let replaced = 1; replaced <= 3; replaced++) await session.replaceToken(`token-${replaced}`, tokens.fetch);

		expect(session.token?.value).toBe('token-4');
		expect(session.retiredTokens).toEqual(['token-3', 'token-2']);
	});

	it('should take over a stored token only while it has none of its own and requests none', async () => {
		const tokens = tokenSource(3600);
		const session = sessionWith();
		session.adopt(stored('stored-1'));
		expect(await session.accessToken(tokens.fetch)).toBe('stored-1');
		session.adopt(stored('stored-2'));
		expect(session.token?.value).toBe('stored-1');

		const renewing = sessionWith();
		const pending = renewing.renew(tokens.fetch);
		renewing.adopt(stored('stored-3'));
		expect(renewing.token).toBeUndefined();
		await pending;
		expect(renewing.token?.value).toBe('token-1');
		expect(tokens.issued).toBe(1);
	});

	it('should list the current, the in-flight and the retired tokens it knows, without gaps', async () => {
		const tokens = tokenSource(3600);
		const session = sessionWith();
		expect(session.knownTokens()).toEqual([]);

		await session.accessToken(tokens.fetch);
		await session.replaceToken('token-1', tokens.fetch);
		session.inFlightToken = 'sent-by-a-running-request';

		expect(session.knownTokens()).toEqual(['token-2', 'sent-by-a-running-request', 'token-1']);
		session.inFlightToken = undefined;
		expect(session.knownTokens()).toEqual(['token-2', 'token-1']);
	});
});

describe('ErpNetSession pacing', () => {
	it('should send at once within the per-window limit and hold the next one until the oldest leaves the window', async () => {
		const session = sessionWith({ requestsPerWindow: 2, windowMs: 300 });
		const started = Date.now();
		await session.pace();
		await session.pace();
		expect(Date.now() - started).toBeLessThan(100);

		await session.pace();
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
	});

	it('should read the limits when it paces, so a change applies to a session that already exists', async () => {
		let limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS, requestsPerWindow: 1, windowMs: 5_000 };
		const session = new ErpNetSession(0, () => limits);
		await session.pace();
		limits = { ...limits, windowMs: 200 };

		const started = Date.now();
		await session.pace();
		expect(Date.now() - started).toBeLessThan(1_000);
	});
});

describe('ErpNetSession licence backoff', () => {
	it('should hold off for licenseBackoffMs after a licence refusal, then allow another attempt', async () => {
		const session = sessionWith({ licenseBackoffMs: 200 });
		expect(session.licenseBackoffActive()).toBe(false);

		session.licenseRefusedAt = 1_000;
		expect(session.licenseBackoffActive(1_000)).toBe(true);
		expect(session.licenseBackoffActive(1_199)).toBe(true);
		expect(session.licenseBackoffActive(1_200)).toBe(false);

		session.licenseRefusedAt = Date.now();
		expect(session.licenseBackoffActive()).toBe(true);
		await wait(250);
		expect(session.licenseBackoffActive()).toBe(false);
	});
});
