import axios from 'axios';
import { decodeJwt } from 'jose';
import { get as httpGet } from 'node:http';
import { Agent } from 'node:https';

import { startSandbox, type Sandbox } from '../../sandbox/src';

const CUSTOMERS = 'api/domain/odata/Crm_Sales_Customers?$top=1';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.control.clearFaults();
	sandbox.control.clearLog();
	sandbox.control.setLatency(0);
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

function get(path: string, token?: string, init: RequestInit = {}) {
	const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
	if (token) headers.authorization = `Bearer ${token}`;
	return fetch(`${sandbox.url}/${path}`, { ...init, headers });
}

async function timed<T>(action: () => Promise<T>): Promise<{ result: T; ms: number }> {
	const started = performance.now();
	const result = await action();
	return { result, ms: performance.now() - started };
}

describe('request log', () => {
	it('should record method, path, raw query, lower-case headers, raw body, status and token jti', async () => {
		const token = await accessToken();
		// node:http sends the path untouched (fetch would percent-encode the quotes).
		await new Promise((resolve, reject) =>
			httpGet(
				{
					host: '127.0.0.1',
					port: new URL(sandbox.url).port,
					path: "/api/domain/odata/Crm_Sales_Customers?$filter=Number%20eq%20'A'&$top=1",
					headers: { authorization: `Bearer ${token}`, 'X-Custom': 'yes' },
				},
				(response) => response.resume().on('end', resolve),
			).on('error', reject),
		);

		const [tokenRequest, apiRequest] = sandbox.requests;

		expect(tokenRequest).toMatchObject({ method: 'POST', path: '/id/connect/token', query: '', status: 200 });
		expect(tokenRequest.body).toBe(
			`grant_type=client_credentials&client_id=${encodeURIComponent(sandbox.clientId)}&client_secret=${sandbox.clientSecret}`,
		);
		expect(tokenRequest.tokenJti).toBeUndefined();
		expect(apiRequest).toMatchObject({
			method: 'GET',
			path: '/api/domain/odata/Crm_Sales_Customers',
			query: "?$filter=Number%20eq%20'A'&$top=1",
			url: "/api/domain/odata/Crm_Sales_Customers?$filter=Number%20eq%20'A'&$top=1",
			body: '',
			status: 200,
			tokenJti: decodeJwt(token).jti,
		});
		expect(apiRequest.headers).toMatchObject({ authorization: `Bearer ${token}`, 'x-custom': 'yes' });
		expect(Date.parse(apiRequest.time)).not.toBeNaN();
	});

	it('should keep a JSON body byte for byte, even an invalid one, which the Domain API answers as ERP.net does', async () => {
		const token = await accessToken();
		const body = '{"Name": "Ünïcode €",\n "broken": }';

		const response = await get('api/domain/odata/Crm_Sales_Customers', token, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body,
		});

		expect(response.status).toBe(500);
		expect(await response.json()).toEqual({
			error: expect.objectContaining({ message: expect.stringContaining('JSON') }),
		});
		expect(sandbox.requests.at(-1)).toMatchObject({ body, status: 500 });
	});

	it('should call onRequest listeners before the request is answered', async () => {
		const token = await accessToken();
		const seen: number[] = [];
		const unsubscribe = sandbox.control.onRequest((entry) => {
			seen.push(entry.status);
			if (seen.length === 2) sandbox.control.revokeAllTokens();
		});

		const first = await get(CUSTOMERS, token);
		const second = await get(CUSTOMERS, token);
		unsubscribe();
		await get('sys/auto-discovery');

		expect(first.status).toBe(200);
		expect(second.status).toBe(401);
		expect(seen).toEqual([0, 0]);
	});

	it('should empty the log on clearLog', async () => {
		await get('sys/auto-discovery');
		sandbox.control.clearLog();

		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('fault injection', () => {
	it('should answer a matching request with the injected status and an ERP.net error body, once by default', async () => {
		sandbox.control.injectFault({ kind: 'status', status: 503, pathIncludes: '/auto-discovery' });

		const faulted = await get('sys/auto-discovery');
		const next = await get('sys/auto-discovery');

		expect(faulted.status).toBe(503);
		expect(await faulted.json()).toEqual({
			error: expect.objectContaining({
				message: expect.any(String),
				code: 0,
				type: expect.any(String),
				info: expect.any(String),
			}),
		});
		expect(next.status).toBe(200);
	});

	it('should honour method, after, times, custom body and headers', async () => {
		sandbox.control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: '/sys/',
			after: 1,
			times: 2,
			status: 429,
			body: 'slow down',
			headers: { 'retry-after': '7' },
		});

		const statuses: number[] = [];
		for (let call = 0; call < 4; call++) statuses.push((await get('sys/auto-discovery')).status);
		const post = await get('sys/auto-discovery', undefined, { method: 'POST' });
		sandbox.control.injectFault({ kind: 'status', status: 418, body: 'teapot', headers: { 'retry-after': '7' } });
		const custom = await get('sys/auto-discovery');

		expect(statuses).toEqual([200, 429, 429, 200]);
		expect(post.status).toBe(404);
		expect(custom.headers.get('retry-after')).toBe('7');
		expect(await custom.text()).toBe('teapot');
	});

	it('should fault the token endpoint too', async () => {
		sandbox.control.injectFault({ kind: 'status', status: 500, pathIncludes: '/connect/token' });

		await expect(accessToken()).resolves.toBeUndefined();
		expect(sandbox.requests[0].status).toBe(500);
		expect(typeof (await accessToken())).toBe('string');
	});

	it('should reset the connection', async () => {
		sandbox.control.injectFault({ kind: 'reset', pathIncludes: '/auto-discovery' });

		await expect(get('sys/auto-discovery')).rejects.toThrow('fetch failed');
		expect(sandbox.requests[0].status).toBe(0);
		expect((await get('sys/auto-discovery')).status).toBe(200);
	});

	it('should hang until the client gives up', async () => {
		sandbox.control.injectFault({ kind: 'hang', pathIncludes: '/auto-discovery' });

		const { ms } = await timed(() =>
			expect(get('sys/auto-discovery', undefined, { signal: AbortSignal.timeout(300) })).rejects.toThrow(),
		);

		expect(ms).toBeGreaterThanOrEqual(290);
	});

	it('should delay and then serve normally', async () => {
		sandbox.control.injectFault({ kind: 'delay', delayMs: 250, pathIncludes: '/auto-discovery' });

		const { result, ms } = await timed(() => get('sys/auto-discovery'));

		expect(result.status).toBe(200);
		expect(ms).toBeGreaterThanOrEqual(245);
	});

	it('should stop faulting after clearFaults', async () => {
		sandbox.control.injectFault({ kind: 'status', status: 500, times: Infinity });
		expect((await get('sys/auto-discovery')).status).toBe(500);

		sandbox.control.clearFaults();

		expect((await get('sys/auto-discovery')).status).toBe(200);
	});
});

describe('latency', () => {
	it('should add latency to Domain API responses only', async () => {
		const token = await accessToken();
		sandbox.control.setLatency(1000);

		const api = await timed(() => get(CUSTOMERS, token));
		const discovery = await timed(() => get('sys/auto-discovery'));

		expect(api.result.status).toBe(200);
		expect(api.ms).toBeGreaterThanOrEqual(995);
		// without the latency; the wide margin is for a loaded machine
		expect(discovery.ms).toBeLessThan(900);
	});
});

describe('per-session rate limit', () => {
	it('should run one request at a time, queue five and refuse the seventh at once with 429', async () => {
		const token = await accessToken();
		sandbox.control.setLatency(150);

		const started = performance.now();
		const responses = await Promise.all(
			Array.from({ length: 7 }, () =>
				get(CUSTOMERS, token).then(async (response) => {
					return { status: response.status, body: await response.text(), at: performance.now() - started };
				}),
			),
		);
		const rejected = responses.filter((response) => response.status === 429);
		const served = responses
			.filter((response) => response.status === 200)
			.map((response) => response.at)
			.sort((a, b) => a - b);

		expect(rejected).toHaveLength(1);
		expect(JSON.parse(rejected[0].body)).toEqual({ error: expect.objectContaining({ message: expect.any(String) }) });
		// refused at once: before the first queued request is served
		expect(rejected[0].at).toBeLessThan(served[0]);
		expect(served).toHaveLength(6);
		// Served one after another: the sixth ends no earlier than six latencies in.
		expect(served[5]).toBeGreaterThanOrEqual(6 * 150 - 10);
	});

	it('should keep sessions apart: another token is not queued behind the first', async () => {
		const [first, second] = [await accessToken(), await accessToken()];
		sandbox.control.setLatency(1000);

		const { ms } = await timed(() => Promise.all([get(CUSTOMERS, first), get(CUSTOMERS, second)]));

		// one after another would take at least 2 s
		expect(ms).toBeLessThan(1900);
	});

	it('should follow configured concurrency and queue sizes', async () => {
		const token = await accessToken();
		sandbox.control.setLatency(100);
		sandbox.control.setRateLimit({ concurrentRequests: 2, queue: 1 });

		const statuses = await Promise.all(Array.from({ length: 5 }, () => get(CUSTOMERS, token).then((r) => r.status)));

		expect(statuses.filter((status) => status === 429)).toHaveLength(2);
	});

	it('should refuse requests beyond the per-minute limit with 429', async () => {
		const token = await accessToken();
		sandbox.control.setRateLimit({ requestsPerMinute: 3 });

		const statuses: number[] = [];
		for (let call = 0; call < 5; call++) statuses.push((await get(CUSTOMERS, token)).status);
		const otherSession = await get(CUSTOMERS, await accessToken());

		expect(statuses).toEqual([200, 200, 200, 429, 429]);
		expect(otherSession.status).toBe(200);
	});

	it('should not count unauthenticated requests against a session', async () => {
		sandbox.control.setRateLimit({ requestsPerMinute: 1 });

		const statuses = await Promise.all(Array.from({ length: 3 }, () => get(CUSTOMERS).then((r) => r.status)));

		expect(statuses).toEqual([401, 401, 401]);
	});
});

describe('routing and errors', () => {
	it('should answer unknown paths with 404 and an ERP.net error envelope', async () => {
		const response = await get('nowhere');

		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({
			error: {
				message: expect.any(String),
				code: 0,
				type: expect.any(String),
				info: expect.any(String),
				messageFormat: null,
				parameters: null,
			},
		});
	});

	it('should expose the store, reset it, and report the default credentials', async () => {
		const before = sandbox.store.count('Systems_Security_TrustedApplications');
		sandbox.store.insert('Systems_Security_TrustedApplications', {
			Id: '11111111-1111-4111-8111-111111111111',
			ApplicationUri: 'extra/app',
		});

		sandbox.control.reset();

		expect(before).toBeGreaterThanOrEqual(5);
		expect(sandbox.store.count('Systems_Security_TrustedApplications')).toBe(before);
		expect(sandbox.clientId).toBe('n8n.sandbox/service');
		expect(sandbox.clientSecret).toBe('sandbox-secret');
	});
});

describe('lifecycle and TLS', () => {
	it('should serve https with a self-signed certificate that clients refuse unless they trust it', async () => {
		const secure = await startSandbox({ port: 0, tls: true });
		try {
			expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
			const untrusted = axios.get(`${secure.url}/id/.well-known/openid-configuration`);
			await expect(untrusted).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/) });

			const trusted = await axios.get(`${secure.url}/id/.well-known/openid-configuration`, {
				httpsAgent: new Agent({ ca: secure.certificate }),
			});
			expect(trusted.data.issuer).toBe(`${secure.url}/id`);
		} finally {
			await secure.close();
		}
	});

	it('should close fast even with a hanging request and keep-alive sockets', async () => {
		const other = await startSandbox({ port: 0 });
		other.control.injectFault({ kind: 'hang' });
		const hanging = fetch(`${other.url}/sys/auto-discovery`).then(
			() => 'answered',
			(error: Error) => error.message,
		);
		await new Promise((resolve) => setTimeout(resolve, 50));

		const { ms } = await timed(() => other.close());

		// A hanging request would keep close() waiting forever; the bound only has to tell "closed" from "hung",
		// with room for a loaded machine.
		expect(ms).toBeLessThan(5000);
		expect(await hanging).toBe('fetch failed');
		await expect(fetch(`${other.url}/sys/auto-discovery`)).rejects.toThrow();
	});
});
