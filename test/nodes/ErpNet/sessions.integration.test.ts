/**
 * One ERP.net session per n8n process, through the real n8n-core engine against the sandbox: concurrent
 * executions of one credential share one token and send one request at a time per session (ERP.net runs one
 * request per session, queues five and refuses more with 429:
 * https://docs.erp.net/tech/advanced/web-sites/rate-limits.html), tokens are renewed before they expire, a pool
 * of sessions spreads the load, and a licence refusal (https://docs.erp.net/dev/auth/faq.html) fails the item
 * clearly without a retry loop.
 */
import { ErpNetApi } from '../../../credentials/ErpNetApi.credentials';
import { ErpNetReferenceTokenApi } from '../../../credentials/ErpNetReferenceTokenApi.credentials';
import { CredentialStore } from '../../helpers/n8n';
import { erpNetCredentials, locator, runErpNet, tokenRequests, useSandbox } from '../../helpers/erpnet';

const CUSTOMERS = 1500;
const sandbox = useSandbox({ sizes: { customers: CUSTOMERS, products: 5, salesOrders: 1 }, latencyMs: 5 });

const getAll = {
	operation: 'getAll',
	entitySet: locator('Crm_Sales_Customers'),
	returnAll: true,
	options: { select: 'Id' },
};

beforeEach(() => {
	sandbox().context.sessions.clear();
	sandbox().control.resetCounters();
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
	sandbox().control.setTokenLifetime(3600);
	sandbox().control.setLicenses({ count: Infinity });
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('executions sharing one credential in one n8n process', () => {
	it('should run 50 concurrent executions on one token, one request at a time, with no 429 and every record', async () => {
		const store = new CredentialStore();
		const allIds = new Set(
			sandbox()
				.store.list('Crm_Sales_Customers')
				.map((customer) => customer.Id),
		);

		const runs = await Promise.all(
			Array.from({ length: 50 }, () => runErpNet(sandbox(), getAll, { credentialStore: store, mode: 'webhook' })),
		);

		for (const run of runs) {
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(CUSTOMERS);
			expect(new Set(run.items.map((item) => item.json.Id))).toEqual(allIds);
		}
		const counters = sandbox().counters();
		expect(counters.tokenRequests).toBe(1);
		expect(counters.sessionsOpened).toBe(1);
		expect(counters.maxInFlightPerSession).toBe(1);
		expect(counters.tooManyRequests).toBe(0);
		expect(counters.sessions[0].requests).toBe(100);
	});

	it('should renew the token shortly before expires_in runs out, without a 401', async () => {
		sandbox().control.setTokenLifetime(3);
		const store = new CredentialStore();

		expect((await runErpNet(sandbox(), getAll, { credentialStore: store })).error).toBeUndefined();
		await wait(2800);
		expect((await runErpNet(sandbox(), getAll, { credentialStore: store })).error).toBeUndefined();

		expect(tokenRequests(sandbox())).toHaveLength(2);
		expect(sandbox().requests.filter((entry) => entry.status === 401)).toEqual([]);
	});

	it('should use a pool of 3 sessions as 3 tokens, never two requests at once on one', async () => {
		const store = new CredentialStore();
		const credentials = erpNetCredentials(sandbox(), { sessionsPerProcess: '3' });

		const runs = await Promise.all(
			Array.from({ length: 30 }, () => runErpNet(sandbox(), getAll, { credentialStore: store, credentials })),
		);

		expect(runs.every((run) => run.error === undefined && run.items.length === CUSTOMERS)).toBe(true);
		const counters = sandbox().counters();
		expect(counters.tokenRequests).toBe(3);
		expect(counters.sessionsOpened).toBe(3);
		expect(counters.sessions).toHaveLength(3);
		expect(counters.maxInFlightPerSession).toBe(1);
		expect(counters.tooManyRequests).toBe(0);
	});
});

describe('a reference token (PAT/SAT): one session of its own', () => {
	it('should send one request at a time on it across 20 concurrent executions, with no 429 and every record', async () => {
		const { token } = sandbox().control.issueReferenceToken();
		const store = new CredentialStore();
		const credentials = { erpNetReferenceTokenApi: { instanceUrl: sandbox().url, referenceToken: token } };

		const runs = await Promise.all(
			Array.from({ length: 20 }, () =>
				runErpNet(
					sandbox(),
					{ ...getAll, authentication: 'referenceToken' },
					{
						credentialStore: store,
						credentials,
						credentialTypes: [new ErpNetApi(), new ErpNetReferenceTokenApi()],
						mode: 'webhook',
					},
				),
			),
		);

		expect(runs.map((run) => run.error?.message)).toEqual(runs.map(() => undefined));
		expect(runs.every((run) => run.items.length === CUSTOMERS)).toBe(true);
		const counters = sandbox().counters();
		expect(counters.tokenRequests).toBe(0);
		expect(counters.sessions).toHaveLength(1);
		expect(counters.sessions[0].requests).toBe(40);
		expect(counters.maxInFlightPerSession).toBe(1);
		expect(counters.tooManyRequests).toBe(0);
	});
});

describe('all licences in use (MaximumLicenseCountExceeded)', () => {
	it('should fail the item with a message that says so and not send again for a while', async () => {
		sandbox().control.setLicenses({ count: 0 });
		const store = new CredentialStore();

		const first = await runErpNet(sandbox(), getAll, { credentialStore: store });
		const second = await runErpNet(sandbox(), getAll, { credentialStore: store, continueOnFail: true });

		expect(first.error?.message).toBe('ERP.net has no free licence for a new session (MaximumLicenseCountExceeded)');
		expect(first.error?.description).toContain('20 minutes');
		expect(second.items[0].json.error).toBe(
			'ERP.net has no free licence for a new session (MaximumLicenseCountExceeded)',
		);
		// one refused request in all: no retry, and the second execution did not try again at once
		expect(sandbox().counters().licenseRefusals).toBe(1);
	});

	it('should recognise the refusal by its name whatever the status', async () => {
		sandbox().control.injectFault({
			pathIncludes: '/api/domain/odata/',
			kind: 'status',
			status: 503,
			body: { error: { message: 'MaximumLicenseCountExceeded', code: 0 } },
		});

		const run = await runErpNet(sandbox(), getAll, { credentialStore: new CredentialStore() });

		expect(run.error?.message).toBe('ERP.net has no free licence for a new session (MaximumLicenseCountExceeded)');
		// a 503 would otherwise be retried: the licence refusal is not
		expect(sandbox().requests.filter((entry) => entry.path.startsWith('/api/domain/odata/'))).toHaveLength(1);
	});
});

describe('a request that does not end', () => {
	const getOne = {
		operation: 'getAll',
		entitySet: locator('Crm_Sales_Customers'),
		returnAll: false,
		limit: 2,
		options: { timeout: 2 },
	};

	it('should free its session at the deadline when the answer trickles, so the other executions go on at once', async () => {
		const store = new CredentialStore();
		// one byte every half second for a minute: the connection is never silent for the 2 s timeout
		sandbox().control.injectFault({
			kind: 'trickle',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			trickleMs: 500,
			body: '{"value":[]}'.repeat(10),
		});
		const began = Date.now();
		const stuck = runErpNet(sandbox(), getOne, { credentialStore: store });
		await wait(300);
		const others = await Promise.all(
			Array.from({ length: 3 }, () => runErpNet(sandbox(), getOne, { credentialStore: store })),
		);
		for (const other of others) {
			expect(other.error).toBeUndefined();
			expect(other.items).toHaveLength(2);
		}
		expect(Date.now() - began).toBeLessThan(40_000);
		const { error } = await stuck;
		expect(error?.message).toBe('ERP.net had not finished answering after 7 seconds');
		expect(error?.description).toMatch(/next requests run on a new session/);
		// the other executions ran on a new session (a new token), not behind the trickling answer
		expect(tokenRequests(sandbox())).toHaveLength(2);
	});

	it('should move a write that timed out off its session and say that its outcome is unknown', async () => {
		const store = new CredentialStore();
		const id = String(sandbox().store.list('Crm_Sales_Customers')[0].Id);
		sandbox().control.injectFault({ kind: 'hang', method: 'PATCH', pathIncludes: 'Crm_Sales_Customers' });
		const update = {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(id, 'id'),
			fieldsInput: 'json',
			jsonBody: '{"Active":false}',
			options: { timeout: 1 },
		};
		const { error } = await runErpNet(sandbox(), update, { credentialStore: store });
		expect(error?.message).toMatch(/did not answer within 1 seconds|had not finished answering/);
		expect(error?.description).toMatch(/may or may not have been carried out/);
		const after = await runErpNet(sandbox(), getOne, { credentialStore: store });
		expect(after.error).toBeUndefined();
		const tokens = new Set(
			sandbox()
				.requests.filter((entry) => entry.path.includes('Crm_Sales_Customers'))
				.map((entry) => entry.tokenJti),
		);
		expect(tokens.size).toBe(2);
	});
});
