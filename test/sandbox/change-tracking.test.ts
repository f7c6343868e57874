/**
 * Change tracking of the sandbox over HTTP: `AggregateLastUpdateTimeUtc` and the `Date` header
 * (https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html, object-version.html,
 * querying-data/query-options/filter.html, querying-data/paging.html) and the test switches of
 * sandbox/src/odata/DECISIONS.md "Change tracking".
 */
import { startSandbox, type Sandbox } from '../../sandbox/src';

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, sizes: { customers: 30, products: 10, salesOrders: 20 } });
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
			scope: 'read update',
		}),
	});
	token = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(() => {
	sandbox.control.setClock({
		offsetMs: 0,
		resolutionMs: 1,
		commitDelayMs: 0,
		dateHeaderOffsetMs: 0,
		timeZoneOffsetMs: 0,
	});
	sandbox.control.setAggregateTimeFilter('exact');
	// Timestamps never go backwards: stamps from a shifted clock would outlive the test.
	sandbox.control.reset();
});

interface Reply {
	status: number;
	date: string | null;
	json: { value?: Array<Record<string, unknown>>; '@odata.nextLink'?: string; error?: { message: string } } & Record<
		string,
		unknown
	>;
}

async function odata(path: string, init: { method?: string; body?: unknown } = {}): Promise<Reply> {
	const url = path.startsWith('http') ? path : `${sandbox.odataRoot}${path}`;
	const response = await fetch(url, {
		method: init.method ?? 'GET',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
	});
	const text = await response.text();
	return { status: response.status, date: response.headers.get('date'), json: text ? JSON.parse(text) : {} };
}

async function lastUpdate(set: string, id: string): Promise<string> {
	const reply = await odata(`${set}(${id})?$select=Id,AggregateLastUpdateTimeUtc,ObjectVersion`);
	return reply.json.AggregateLastUpdateTimeUtc as string;
}

async function anyCustomerId(): Promise<string> {
	return (await odata('Crm_Sales_Customers?$top=1&$select=Id')).json.value?.[0]?.Id as string;
}

describe('AggregateLastUpdateTimeUtc (incremental-pull.md)', () => {
	it('should be returned only when selected, as a UTC timestamp', async () => {
		const plain = await odata('Crm_Sales_Customers?$top=1');
		expect(plain.json.value?.[0]).not.toHaveProperty('AggregateLastUpdateTimeUtc');
		const selected = await odata('Crm_Sales_Customers?$top=1&$select=Id,AggregateLastUpdateTimeUtc,Number');
		expect(selected.json.value?.[0]?.AggregateLastUpdateTimeUtc).toMatch(
			/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
		);
	});

	it('should not be exposed on a set that is not an aggregate root ("Troubleshooting")', async () => {
		const select = await odata('Crm_Sales_SalesOrderLines?$top=1&$select=Id,AggregateLastUpdateTimeUtc');
		expect(select.status).toBe(500);
		expect(select.json.error?.message).toContain('AggregateLastUpdateTimeUtc');
		const filter = await odata(
			'Crm_Sales_SalesOrderLines?$top=1&$filter=AggregateLastUpdateTimeUtc ge 2020-01-01T00:00:00Z',
		);
		expect(filter.status).toBe(500);
	});

	it('should change on an update of the root, with ObjectVersion (object-version.md)', async () => {
		const id = await anyCustomerId();
		const before = await odata(`Crm_Sales_Customers(${id})?$select=Id,AggregateLastUpdateTimeUtc,ObjectVersion`);
		expect(
			(await odata(`Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { ExternalId: 'changed' } })).status,
		).toBe(204);
		const after = await odata(`Crm_Sales_Customers(${id})?$select=Id,AggregateLastUpdateTimeUtc,ObjectVersion`);
		expect((after.json.AggregateLastUpdateTimeUtc as string) > (before.json.AggregateLastUpdateTimeUtc as string)).toBe(
			true,
		);
		expect(after.json.ObjectVersion).not.toBe(before.json.ObjectVersion);
	});

	it('should change on every write to a child of the aggregate ("any change in the aggregate tree")', async () => {
		// Released documents cannot be modified (working-with-documents.md): a new one.
		const order = (
			await odata("Crm_Sales_SalesOrders?$top=1&$select=Id&$filter=State eq 'New'&$expand=Lines($select=Id)")
		).json.value?.[0] as { Id: string; Lines: Array<{ Id: string }> };
		const line = order.Lines[0].Id;
		const before = await lastUpdate('Crm_Sales_SalesOrders', order.Id);
		expect(
			(await odata(`Crm_Sales_SalesOrderLines(${line})`, { method: 'PATCH', body: { Notes: 'line note' } })).status,
		).toBe(204);
		const afterUpdate = await lastUpdate('Crm_Sales_SalesOrders', order.Id);
		expect(afterUpdate > before).toBe(true);
		expect((await odata(`Crm_Sales_SalesOrderLines(${line})`, { method: 'DELETE' })).status).toBe(204);
		expect((await lastUpdate('Crm_Sales_SalesOrders', order.Id)) > afterUpdate).toBe(true);
	});

	it('should filter with ge to the millisecond, as the docs example does', async () => {
		const id = await anyCustomerId();
		await odata(`Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { ExternalId: 'precise' } });
		const stamp = await lastUpdate('Crm_Sales_Customers', id);
		const at = await odata(
			`Crm_Sales_Customers?$top=1000&$select=Id,AggregateLastUpdateTimeUtc&$filter=AggregateLastUpdateTimeUtc ge ${stamp}`,
		);
		expect(at.json.value?.map((record) => record.Id)).toEqual([id]);
		const after = new Date(Date.parse(stamp) + 1).toISOString();
		const none = await odata(`Crm_Sales_Customers?$top=1000&$select=Id&$filter=AggregateLastUpdateTimeUtc ge ${after}`);
		expect(none.json.value).toEqual([]);
	});

	it("should truncate the literal to the date when switched to filter.md's general rule", async () => {
		const id = await anyCustomerId();
		await odata(`Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { ExternalId: 'truncated' } });
		const stamp = await lastUpdate('Crm_Sales_Customers', id);
		sandbox.control.setAggregateTimeFilter('date');
		const endOfDay = `${stamp.slice(0, 10)}T23:59:59.999Z`;
		const reply = await odata(
			`Crm_Sales_Customers?$top=1000&$select=Id&$filter=AggregateLastUpdateTimeUtc ge ${endOfDay}`,
		);
		expect(reply.json.value?.map((record) => record.Id)).toContain(id);
	});
});

describe('server time and test switches (DECISIONS.md "Change tracking")', () => {
	it('should send a Date header from the server clock, offset included', async () => {
		const plain = await odata('Crm_Sales_Customers?$top=1&$select=Id');
		expect(Math.abs(Date.parse(plain.date as string) - Date.now())).toBeLessThan(5_000);
		sandbox.control.setClock({ offsetMs: 3 * 3_600_000 });
		const shifted = await odata('Crm_Sales_Customers?$top=1&$select=Id');
		expect(Date.parse(shifted.date as string) - Date.now()).toBeGreaterThan(3 * 3_600_000 - 5_000);
		const id = await anyCustomerId();
		await odata(`Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { ExternalId: 'offset' } });
		expect(Date.parse(await lastUpdate('Crm_Sales_Customers', id)) - Date.now()).toBeGreaterThan(3 * 3_600_000 - 5_000);
	});

	it("should move the Date header alone with dateHeaderOffsetMs (a front end whose clock is not the database's)", async () => {
		sandbox.control.setClock({ dateHeaderOffsetMs: 10 * 60_000 });
		const reply = await odata('Crm_Sales_Customers?$top=1&$select=Id');
		expect(Date.parse(reply.date as string) - Date.now()).toBeGreaterThan(10 * 60_000 - 5_000);
		const id = await anyCustomerId();
		await odata(`Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { ExternalId: 'front end' } });
		expect(Math.abs(Date.parse(await lastUpdate('Crm_Sales_Customers', id)) - Date.now())).toBeLessThan(5_000);
	});

	it("should write a local CreationTime (Default(Now)) in the server's zone, with Z as every date-time", async () => {
		sandbox.control.setClock({ timeZoneOffsetMs: -5 * 3_600_000 });
		const [party] = sandbox.store.list('General_Contacts_Companies');
		const [currency] = sandbox.store.list('General_Currencies_Currencies');
		const created = await odata('Crm_Sales_Customers', {
			method: 'POST',
			body: {
				Number: 'TZ-1',
				Party: { '@odata.id': `General_Contacts_Parties(${String(party.Id)})` },
				DefaultCurrency: { '@odata.id': `General_Currencies_Currencies(${String(currency.Id)})` },
			},
		});
		expect([created.status, created.json.error?.message]).toEqual([201, undefined]);
		const local = Date.parse(String(created.json.CreationTime));
		expect(Math.abs(local - (Date.now() - 5 * 3_600_000))).toBeLessThan(5_000);
		expect(String(created.json.CreationTime)).toMatch(/Z$/);
	});

	it('should give several changes one timestamp with a coarse resolution', async () => {
		sandbox.control.setClock({ resolutionMs: 3_600_000 });
		const ids =
			(await odata('Crm_Sales_Customers?$top=2&$select=Id')).json.value?.map((record) => record.Id as string) ?? [];
		for (const id of ids)
			await odata(`Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { ExternalId: 'same hour' } });
		const stamps = await Promise.all(ids.map((id) => lastUpdate('Crm_Sales_Customers', id)));
		expect(stamps[0]).toBe(stamps[1]);
		expect(stamps[0]).toMatch(/T\d{2}:00:00\.000Z$/);
	});

	it('should stamp a late commit before the moment it becomes visible', async () => {
		sandbox.control.setClock({ commitDelayMs: 10 * 60_000 });
		const id = await anyCustomerId();
		const write = await odata(`Crm_Sales_Customers(${id})`, { method: 'PATCH', body: { ExternalId: 'late' } });
		const visibleAt = Date.parse(write.date as string);
		const stamp = Date.parse(await lastUpdate('Crm_Sales_Customers', id));
		expect(visibleAt - stamp).toBeGreaterThan(9 * 60_000);
	});

	it('should run a write between two pages of a scan; keyset paging neither repeats nor skips the others', async () => {
		const first = await odata('Crm_Sales_Customers?$top=10&$select=Id');
		const all = (await odata('Crm_Sales_Customers?$select=Id')).json.value?.map((record) => record.Id) ?? [];
		const changed = first.json.value?.[0]?.Id as string;
		let ran = false;
		sandbox.control.beforeNextPage(() => {
			sandbox.store.patch('Crm_Sales_Customers', changed, { ExternalId: 'between pages' });
			ran = true;
		});
		const rest: unknown[] = [];
		for (let link = first.json['@odata.nextLink']; link; ) {
			const next = await odata(link);
			rest.push(...(next.json.value?.map((record) => record.Id) ?? []));
			link = next.json['@odata.nextLink'];
		}
		expect(ran).toBe(true);
		expect([...(first.json.value?.map((record) => record.Id) ?? []), ...rest]).toEqual(all);
		expect(Date.parse(await lastUpdate('Crm_Sales_Customers', changed))).toBeGreaterThan(Date.now() - 60_000);
	});
});

describe('page size cap (test switch)', () => {
	it('should cap rows per page and still link to the next page', async () => {
		sandbox.control.setMaxPageSize(3);
		try {
			const first = await odata('Crm_Sales_Customers?$top=1000&$select=Id');
			expect(first.json.value).toHaveLength(3);
			expect(first.json['@odata.nextLink']).toContain('%24skiptoken=');
		} finally {
			sandbox.control.setMaxPageSize(undefined);
		}
	});
});
