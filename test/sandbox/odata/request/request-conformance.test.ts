/**
 * Requests held to ERP.net's docs where a laxer sandbox would let a client pass that real ERP.net fails: scopes
 * checked on every request, each `$batch` part with its own context and a failed changeset answered as in the
 * capture, `@erpnet.action` of a top-level PATCH and nested objects, the default `$select`. Through the whole
 * sandbox with real client-credentials tokens.
 */
import { startSandbox, type Sandbox } from '../../../../sandbox/src';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, sizes: { customers: 5, products: 5, salesOrders: 1 } });
});

afterAll(async () => {
	await sandbox.close();
});

async function token(
	clientId: string,
	clientSecret: string,
	scope?: string,
): Promise<{ access_token: string; scope: string }> {
	const form: Record<string, string> = {
		grant_type: 'client_credentials',
		client_id: clientId,
		client_secret: clientSecret,
	};
	if (scope !== undefined) form.scope = scope;
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as { access_token: string; scope: string };
}

const fullAccess = async () => (await token(sandbox.clientId, sandbox.clientSecret)).access_token;

async function call(
	path: string,
	accessToken: string,
	init: { method?: string; body?: string; headers?: Record<string, string> } = {},
) {
	const response = await fetch(`${sandbox.url}/api/domain/odata/${path}`, {
		method: init.method ?? 'GET',
		headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', ...init.headers },
		body: init.body,
	});
	const text = await response.text();
	let json: { value?: Array<Record<string, unknown>>; error?: { message: string } } = {};
	try {
		json = JSON.parse(text);
	} catch {
		json = {};
	}
	return { status: response.status, headers: response.headers, text, json };
}

async function firstId(entitySet: string, accessToken: string, filter = ''): Promise<string> {
	const reply = await call(`${entitySet}?$top=1&$select=Id${filter}`, accessToken);
	return String(reply.json.value?.[0]?.Id);
}

function batchBody(boundary: string, parts: string[]): string {
	return parts.map((part) => `--${boundary}\r\n${part}`).join('') + `--${boundary}--\r\n`;
}

function changeset(boundary: string, operations: Array<{ contentId: string; request: string }>): string {
	const inner = operations
		.map(
			({ contentId, request }) =>
				`--${boundary}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${contentId}\r\n\r\n${request}\r\n`,
		)
		.join('');
	return `Content-Type: multipart/mixed; boundary=${boundary}\r\n\r\n${inner}--${boundary}--\r\n`;
}

function readPart(request: string): string {
	return `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${request}\r\n\r\n`;
}

async function postBatch(accessToken: string, body: string, headers: Record<string, string> = {}) {
	return await call('$batch', accessToken, {
		method: 'POST',
		body,
		headers: { 'content-type': 'multipart/mixed; boundary=batch_x', ...headers },
	});
}

describe('scopes (https://docs.erp.net/dev/auth/concepts/scopes.html, identity-server.html)', () => {
	it('should grant "read update" for scope=update, as the client-credentials example of identity-server.md', async () => {
		expect((await token(sandbox.clientId, sandbox.clientSecret, 'update')).scope).toBe('read update');
		expect((await token(sandbox.clientId, sandbox.clientSecret, 'read')).scope).toBe('read');
		expect((await token('n8n.sandbox/writeonly', 'writeonly-secret', 'update')).scope).toBe('update');
	});

	it('should check the read scope on every read ("APIs automatically validate scopes on every request")', async () => {
		const updateOnly = (await token('n8n.sandbox/writeonly', 'writeonly-secret')).access_token;
		const read = await call('General_Products_Products?$top=1', updateOnly);
		expect(read.status).toBe(403);
		expect(read.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="read"');
		expect(read.text).not.toContain('"value"');
		const inBatch = await postBatch(
			updateOnly,
			batchBody('batch_x', [readPart('GET General_Products_Products?$top=1 HTTP/1.1')]),
		);
		expect(inBatch.status).toBe(200);
		expect(inBatch.text).toContain('HTTP/1.1 403 Forbidden');
		expect(inBatch.text).toContain('scope \\u0027read\\u0027');
	});

	it('should refuse writes of a read-only token, in and outside $batch', async () => {
		const readOnly = (await token('n8n.sandbox/readonly', 'readonly-secret')).access_token;
		const id = await firstId('General_Products_Products', await fullAccess());
		const patch = await call(`General_Products_Products(${id})`, readOnly, {
			method: 'PATCH',
			body: '{"PartNumber":"X-RO"}',
		});
		expect(patch.status).toBe(403);
		expect((await call(`General_Products_Products(${id})`, readOnly)).status).toBe(200);
	});
});

describe('$batch parts (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html)', () => {
	it("should apply each part's own Accept-Language to that part only", async () => {
		const accessToken = await fullAccess();
		const customer = await firstId('Crm_Sales_Customers', accessToken);
		const badDates = `PATCH Crm_Sales_Customers(${customer}) HTTP/1.1\r\nContent-Type: application/json`;
		const body = batchBody('batch_x', [
			changeset('cs_1', [
				{
					contentId: '1',
					request: `${badDates}\r\nAccept-Language: bg\r\n\r\n{"FromDate":"2022-01-01","ThruDate":"2021-01-01"}`,
				},
			]),
			changeset('cs_2', [
				{ contentId: '2', request: `${badDates}\r\n\r\n{"FromDate":"2022-01-01","ThruDate":"2021-01-01"}` },
			]),
		]);
		const reply = await postBatch(accessToken, body, { 'accept-language': 'en-US' });
		const answers = reply.text
			.split(/--changesetresponse_[0-9a-f-]+\r\n/)
			.filter((part) => part.startsWith('Content-Type: application/http'));
		expect(answers).toHaveLength(2);
		expect(answers[0]).toContain('Content-ID: 1');
		expect(answers[0]).toMatch(/\\u0413\\u0440\\u0435\\u0448\\u043a\\u0430|Грешка/); // "Грешка при записване" (change-language.md)
		expect(answers[1]).toContain('Content-ID: 2');
		expect(answers[1]).toContain('An error occurred while saving data to the database');
	});

	it("should apply each part's own Prefer: CurrentEnterpriseCompanyId (context-parameters.md)", async () => {
		const accessToken = await fullAccess();
		const company = await firstId('General_EnterpriseCompanies', accessToken);
		const party = await firstId('General_Contacts_Companies', accessToken);
		const create = (number: string, prefer: string) =>
			`POST Crm_Sales_Customers HTTP/1.1\r\nContent-Type: application/json${prefer}\r\n\r\n` +
			JSON.stringify({ Number: number, Party: { '@odata.id': `General_Contacts_Parties(${party})` } });
		const body = batchBody('batch_x', [
			changeset('cs_1', [
				{ contentId: '1', request: create('PART-CTX-1', `\r\nPrefer: CurrentEnterpriseCompanyId=${company}`) },
				{ contentId: '2', request: create('PART-CTX-2', '') },
			]),
		]);
		const reply = await postBatch(accessToken, body);
		const answers = reply.text
			.split(/--changesetresponse_[0-9a-f-]+\r\n/)
			.filter((part) => part.startsWith('Content-Type: application/http'));
		expect(answers[0]).toContain(`"EnterpriseCompany":{"@odata.id":"General_EnterpriseCompanies(${company})"}`);
		expect(answers[1]).toContain('"EnterpriseCompany":null');
	});

	it("should answer a failed changeset with the failing request's Content-ID, as the capture", async () => {
		const accessToken = await fullAccess();
		const id = await firstId('General_Products_Products', accessToken);
		const body = batchBody('batch_x', [
			changeset('cs_1', [
				{
					contentId: '11',
					request: `PATCH General_Products_Products(${id}) HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{"ObjectVersion":-5}`,
				},
			]),
		]);
		const reply = await postBatch(accessToken, body);
		expect(reply.text).toMatch(/Content-ID: 11\r\n\r\nHTTP\/1\.1 500 Internal Server Error/);
	});
});

describe('@erpnet.action (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html)', () => {
	it('should honour @erpnet.action delete in a PATCH body, with the ObjectVersion check', async () => {
		const accessToken = await fullAccess();
		const created = await call('General_Products_ProductGroups', accessToken, {
			method: 'POST',
			body: JSON.stringify({ Code: 'ACT-DEL', Name: { EN: 'To delete' } }),
		});
		expect(created.status).toBe(201);
		const location = String(created.headers.get('location')).split('/odata/')[1];
		const stale = await call(location, accessToken, {
			method: 'PATCH',
			body: '{"@erpnet.action":"delete","ObjectVersion":999}',
		});
		expect(stale.status).toBe(500);
		expect((await call(location, accessToken)).status).toBe(200);
		const deleted = await call(location, accessToken, { method: 'PATCH', body: '{"@erpnet.action":"delete"}' });
		expect(deleted.status).toBe(204);
		expect((await call(location, accessToken)).status).toBe(404);
	});

	it('should refuse actions that make no sense for the addressed object of a PATCH', async () => {
		const accessToken = await fullAccess();
		const id = await firstId('General_Products_ProductGroups', accessToken);
		const reply = await call(`General_Products_ProductGroups(${id})`, accessToken, {
			method: 'PATCH',
			body: '{"@erpnet.action":"create"}',
		});
		expect(reply.status).toBe(500);
		expect(reply.json.error?.message).toContain("'create' cannot be used for a top-level PATCH");
	});

	it('should honour @erpnet.action in a nested reference of a PATCH body', async () => {
		const accessToken = await fullAccess();
		const product = await firstId('General_Products_Products', accessToken);
		const reply = await call(`General_Products_Products(${product})`, accessToken, {
			method: 'PATCH',
			body: JSON.stringify({
				ProductGroup: { '@erpnet.action': 'create', Code: 'ACT-NEST', Name: { EN: 'Nested create' } },
			}),
		});
		expect(reply.status).toBe(204);
		const groups = await call("General_Products_ProductGroups?$filter=Code eq 'ACT-NEST'&$select=Id", accessToken);
		expect(groups.json.value).toHaveLength(1);
	});
});

describe('default $select (https://docs.erp.net/dev/domain-api/querying-data/query-options/select.html)', () => {
	it('should leave out only Id, ObjectVersion, AggregateLastUpdateTimeUtc, calculated attributes and child lists', async () => {
		const reply = await call('General_Products_Products?$top=1', await fullAccess());
		const product = reply.json.value?.[0] ?? {};
		expect(Object.keys(product)).toEqual(
			expect.arrayContaining(['PartNumber', 'Name', 'ProductGroup', 'ExternalId', 'ExternalSystem']),
		);
		for (const absent of ['Id', 'ObjectVersion', 'AggregateLastUpdateTimeUtc', 'DisplayText', 'Prices']) {
			expect(product).not.toHaveProperty(absent);
		}
	});
});
