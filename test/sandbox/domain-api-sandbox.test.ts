/**
 * The Domain API through the whole sandbox (startSandbox): real client-credentials tokens, the bearer
 * middleware, body capture and the seeded data. The record-level conformance is in domain-api.test.ts.
 */
import { startSandbox, type Sandbox } from '../../sandbox/src';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, sizes: { customers: 2345 } });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.control.setLegacy(false);
});

async function accessToken(clientId = sandbox.clientId, clientSecret = sandbox.clientSecret): Promise<string> {
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

async function request(
	url: string,
	token: string | undefined,
	init: { method?: string; body?: string; contentType?: string } = {},
) {
	const headers: Record<string, string> = {};
	if (token) headers.authorization = `Bearer ${token}`;
	if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
	const response = await fetch(url.startsWith('http') ? url : `${sandbox.url}/api/domain/${url}`, {
		method: init.method ?? 'GET',
		headers,
		body: init.body,
	});
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text);
	} catch {
		json = {};
	}
	return { status: response.status, text, json, headers: response.headers };
}

describe('Domain API in startSandbox', () => {
	it('should serve standardmodel anonymously and currentmodel only with a token', async () => {
		expect((await request('standardmodel', undefined)).status).toBe(200);
		expect((await request('currentmodel', undefined)).status).toBe(401);
		expect((await request('currentmodel/Crm_Sales_Customers', await accessToken())).json.Name).toBe(
			'Crm_Sales_Customers',
		);
	});

	it('should page through every seeded customer with $top=1000 and absolute next links', async () => {
		const token = await accessToken();
		const count = Number((await request('odata/Crm_Sales_Customers/$count', token)).text);
		expect(count).toBe(2345);
		const ids = new Set<string>();
		let link: string | undefined = `odata/Crm_Sales_Customers?$top=1000&$select=Id,Number`;
		let pages = 0;
		while (link) {
			const page = await request(link, token);
			expect(page.status).toBe(200);
			for (const customer of page.json.value as Array<{ Id: string }>) ids.add(customer.Id);
			link = page.json['@odata.nextLink'] as string | undefined;
			if (link)
				expect(
					link.startsWith(
						`${sandbox.url}/api/domain/odata/Crm_Sales_Customers?%24top=1000&%24select=Id%2cNumber&%24skiptoken=`,
					),
				).toBe(true);
			pages++;
		}
		expect(pages).toBe(3);
		expect(ids.size).toBe(2345);
	});

	it('should stop giving next links once the sandbox is switched to legacy', async () => {
		sandbox.control.setLegacy(true);
		const token = await accessToken();
		const page = await request('odata/Crm_Sales_Customers?$top=10', token);
		expect(page.json.value).toHaveLength(10);
		expect(page.json).not.toHaveProperty('@odata.nextLink');
		expect((await request('odata/GetVersion', token)).json.version).toBe('26.1.0.0');
	});

	it('should create, update and delete a customer, visible in sandbox.store', async () => {
		const token = await accessToken();
		const [party] = (await request('odata/General_Contacts_Parties?$top=1&$select=PartyId', token)).json
			.value as Array<{ PartyId: string }>;
		const created = await request('odata/Crm_Sales_Customers', token, {
			method: 'POST',
			body: JSON.stringify({ Number: 'E2E-001', Party: { '@odata.id': `General_Contacts_Parties(${party.PartyId})` } }),
		});
		expect(created.status).toBe(201);
		const id = /\(([^)]+)\)/.exec(String(created.json['@odata.id']))?.[1] as string;
		expect(sandbox.store.get('Crm_Sales_Customers', id)?.Number).toBe('E2E-001');
		const patched = await request(`odata/Crm_Sales_Customers(${id})`, token, {
			method: 'PATCH',
			body: JSON.stringify({ ObjectVersion: 1, GracePeriodDays: 3 }),
		});
		expect(patched.status).toBe(204);
		expect(sandbox.store.get('Crm_Sales_Customers', id)).toMatchObject({ GracePeriodDays: 3, ObjectVersion: 2 });
		expect((await request(`odata/Crm_Sales_Customers(${id})`, token, { method: 'DELETE' })).status).toBe(204);
		expect(sandbox.store.get('Crm_Sales_Customers', id)).toBeUndefined();
	});

	it('should refuse writes of a client whose token has only the read scope', async () => {
		const token = await accessToken('n8n.sandbox/readonly', 'readonly-secret');
		expect((await request('odata/Crm_Sales_Customers?$top=1', token)).status).toBe(200);
		const reply = await request('odata/Crm_Sales_Customers', token, {
			method: 'POST',
			body: JSON.stringify({ Number: 'NO' }),
		});
		expect(reply.status).toBe(403);
	});

	it('should keep the ERP.net error envelope of the Domain API (renamed set)', async () => {
		const reply = await request('odata/Crm_Customers?$top=1', await accessToken());
		expect(reply.status).toBe(500);
		expect((reply.json.error as { message: string }).message).toMatch(
			/^The provided entity set name 'Crm_Customers' is no more supported\./,
		);
	});

	it('should run a $batch sent as multipart/mixed', async () => {
		const body = [
			'--b1',
			'Content-Type: application/http',
			'',
			'GET Crm_Sales_Customers?$top=1&$select=Number HTTP/1.1',
			'',
			'--b1--',
			'',
		].join('\r\n');
		const reply = await request('odata/$batch', await accessToken(), {
			method: 'POST',
			body,
			contentType: 'multipart/mixed; boundary=b1',
		});
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
		expect(reply.text).toContain('HTTP/1.1 200 OK');
		expect(reply.text).toContain('"@odata.nextLink"');
	});

	describe('a failed $batch changeset', () => {
		const failingChangeset = () =>
			[
				'--b1',
				'Content-Type: multipart/mixed; boundary=c1',
				'',
				'--c1',
				'Content-Type: application/http',
				'Content-ID: 1',
				'',
				`PATCH Crm_Sales_Customers(${String(sandbox.store.list('Crm_Sales_Customers')[0].Id)}) HTTP/1.1`,
				'Content-Type: application/json',
				'',
				'{ "CreditLimit": { "Value": -5, "Currency": "BGN" } }',
				'--c1--',
				'--b1--',
				'',
			].join('\r\n');
		const post = async () =>
			request('odata/$batch', await accessToken(), {
				method: 'POST',
				body: failingChangeset(),
				contentType: 'multipart/mixed; boundary=b1',
			});

		afterEach(() => sandbox.control.setBatchChangesetFailure('changeset'));

		it('should be answered as a changeset holding the failure with its Content-ID, as in the capture', async () => {
			const reply = await post();
			expect(reply.text).toMatch(/Content-Type: multipart\/mixed; boundary=changesetresponse_/);
			expect(reply.text).toMatch(/Content-ID: 1\r\n\r\nHTTP\/1\.1 500 Internal Server Error/);
		});

		it("should be answered as one top-level response without Content-ID with setBatchChangesetFailure('response')", async () => {
			sandbox.control.setBatchChangesetFailure('response');
			const reply = await post();
			const boundary = /boundary=(\S+)/.exec(reply.headers.get('content-type') ?? '')?.[1] as string;
			const parts = reply.text.split(`--${boundary}`).slice(1, -1);
			expect(parts).toHaveLength(1);
			expect(parts[0]).toMatch(
				/^\r\nContent-Type: application\/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP\/1\.1 500 /,
			);
			expect(parts[0]).not.toMatch(/Content-ID|changesetresponse/);
		});
	});
});
