/**
 * Sessions, licence slots and the counters tests read, as ERP.net documents them:
 * https://docs.erp.net/dev/auth/sessions/license-slot.html, token-session-relationship.html, overview.html
 * and the "MaximumLicenseCountExceeded" answer of https://docs.erp.net/dev/auth/faq.html.
 */
import { startSandbox, type Sandbox } from '../../../sandbox/src';

const CUSTOMERS = 'api/domain/odata/Crm_Sales_Customers?$top=1';
const LONG = 60 * 60 * 1000;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	// every test starts with no open session
	sandbox.context.sessions.clear();
	sandbox.control.resetCounters();
	sandbox.control.setLatency(0);
	sandbox.control.setLicenses({ count: Infinity, inactivityMs: LONG, absoluteMs: LONG });
	sandbox.control.setRateLimit({ concurrentRequests: 1, queue: 5, requestsPerMinute: 600 });
});

async function accessToken(): Promise<string> {
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
		}),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

function get(token: string) {
	return fetch(`${sandbox.url}/${CUSTOMERS}`, { headers: { authorization: `Bearer ${token}` } });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sessions and licence slots (auth/sessions/license-slot.md, token-session-relationship.md)', () => {
	it("should open no session for a token request, and one session on the token's first API call", async () => {
		const token = await accessToken();
		expect(sandbox.counters()).toMatchObject({ tokenRequests: 1, tokensIssued: 1, sessionsOpened: 0, openSessions: 0 });

		await get(token);
		await get(token);

		expect(sandbox.counters()).toMatchObject({ sessionsOpened: 1, openSessions: 1 });
		expect(sandbox.counters().sessions).toEqual([
			expect.objectContaining({ requests: 2, maxInFlight: 1, inFlight: 0 }),
		]);
	});

	it('should refuse a new session with MaximumLicenseCountExceeded when every licence is in use (auth/faq.md)', async () => {
		sandbox.control.setLicenses({ count: 1 });
		const [first, second] = [await accessToken(), await accessToken()];

		expect((await get(first)).status).toBe(200);
		const refused = await get(second);
		const body = (await refused.json()) as { error: { message: string } };

		// status and envelope are the sandbox's choice (DECISIONS.md, "Sessions and licences")
		expect(refused.status).toBe(500);
		expect(body.error.message).toContain('MaximumLicenseCountExceeded');
		// a valid token does not guarantee a licence; the session that holds one goes on working
		expect((await get(first)).status).toBe(200);
		expect(sandbox.counters()).toMatchObject({ sessionsOpened: 1, openSessions: 1, licenseRefusals: 1 });
	});

	it('should release the slot after the inactivity timeout and open a new session for a still-valid token', async () => {
		sandbox.control.setLicenses({ count: 1, inactivityMs: 300 });
		const [first, second] = [await accessToken(), await accessToken()];
		expect((await get(first)).status).toBe(200);
		expect((await get(second)).status).toBe(500);

		await wait(450);

		expect(sandbox.counters().openSessions).toBe(0);
		expect((await get(second)).status).toBe(200);
		// the first token is still valid: its next call needs a new session, and the only slot is taken now
		const reopened = await get(first);
		expect(reopened.status).toBe(500);
		expect(await reopened.text()).toContain('MaximumLicenseCountExceeded');
	});

	it('should end a service session at its absolute lifetime even while it is active, and reopen on the next call', async () => {
		sandbox.control.setLicenses({ count: 1, absoluteMs: 600 });
		const token = await accessToken();
		expect((await get(token)).status).toBe(200);
		const firstSession = sandbox.counters().sessions[0].sessionId;

		// active all along: a request every 100 ms
		for (let call = 0; call < 8; call++) {
			await wait(100);
			expect((await get(token)).status).toBe(200);
		}

		const counters = sandbox.counters();
		expect(counters.sessionsOpened).toBe(2);
		expect(counters.openSessions).toBe(1);
		expect(counters.sessions.map((session) => session.sessionId)).toContain(firstSession);
		expect(counters.sessions).toHaveLength(2);
	});
});

describe('counters', () => {
	it('should count the in-flight requests of a session, queued ones included, and the 429s it answered', async () => {
		sandbox.control.setLatency(100);
		const token = await accessToken();

		const statuses = await Promise.all(Array.from({ length: 7 }, () => get(token).then((response) => response.status)));

		expect(statuses.filter((status) => status === 429)).toHaveLength(1);
		const counters = sandbox.counters();
		expect(counters.tooManyRequests).toBe(1);
		expect(counters.maxInFlightPerSession).toBe(7);
		expect(counters.inFlight).toBe(0);
		expect(counters.sessions).toEqual([expect.objectContaining({ requests: 7, maxInFlight: 7 })]);
	});

	it('should keep a strictly sequential client at 1 in flight and start from zero after resetCounters', async () => {
		const token = await accessToken();
		for (let call = 0; call < 3; call++) await get(token);
		expect(sandbox.counters().maxInFlightPerSession).toBe(1);

		sandbox.control.resetCounters();

		expect(sandbox.counters()).toMatchObject({
			tokenRequests: 0,
			sessionsOpened: 0,
			tooManyRequests: 0,
			maxInFlightPerSession: 0,
			sessions: [],
		});
		// the session itself stays open: resetting counters is not a logout
		expect(sandbox.counters().openSessions).toBe(1);
	});

	it('should count refused token requests too', async () => {
		await fetch(`${sandbox.url}/id/connect/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sandbox.clientId,
				client_secret: 'wrong',
			}),
		});

		expect(sandbox.counters()).toMatchObject({ tokenRequests: 1, tokensIssued: 0 });
	});
});
