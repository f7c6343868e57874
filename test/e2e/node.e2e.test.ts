/**
 * Every operation of the ERP.net node (`n8n-nodes-erpnet.erpNet`, installed from the packed tarball) in a real
 * n8n (2.41.1, and 1.123.81 with N8N_ERPNET_RUNTIME=oldest), run by `n8n execute`, against the sandbox: outputs, the exact requests in the sandbox's log, and
 * the sandbox's data after every write.
 */
import { N8N_VERSION } from '../../scripts/n8n-runtime';
import { N8nInstance, chainWorkflow, type ChainNode, type ExecuteResult } from './helpers/n8n';
import {
	bearer,
	describeLog,
	domainRequests,
	startE2eSandbox,
	tokenRequests,
	type RequestLogEntry,
	type Sandbox,
	sandboxCredential,
} from './helpers/sandbox';
import {
	CASES,
	HARDENING_CRED,
	HARDENING_WORKFLOW_ID,
	type HardeningTargets,
	hardeningWorkflow,
	TYPED_DATE,
	injectHardeningFaults,
	knownToken,
	otherOrigin,
} from './helpers/hardening';

const CRED_ID = 'e2eNodeCred01';
const CRED = { erpNetApi: { id: CRED_ID, name: 'ERP.net sandbox' } };
const CUSTOMERS = 'Crm_Sales_Customers';
/** A stored attribute the sandbox seeds on customers (allowed values Retail, Wholesale, Distributor). */
const SEGMENT = 'CustomProperty_Segment';
/** More than one page of 1,000, so that Return All has to follow a next link. */
const CUSTOMER_COUNT = 1234;

function erpNet(name: string, parameters: Record<string, unknown>, extra: Partial<ChainNode> = {}): ChainNode {
	return {
		name,
		type: 'n8n-nodes-erpnet.erpNet',
		typeVersion: 1,
		parameters: { resource: 'entity', ...parameters },
		credentials: CRED,
		...extra,
	};
}

const entitySet = (value: string) => ({ __rl: true, mode: 'name', value });
const recordId = (value: string) => ({ __rl: true, mode: 'id', value });

/** The decoded query options of a logged request. */
function queryOf(entry: RequestLogEntry): Record<string, string> {
	return Object.fromEntries(new URLSearchParams(entry.query.replace(/^\?/, '')));
}

function odataRequests(sandbox: Sandbox, since: number): RequestLogEntry[] {
	return domainRequests(sandbox, since).filter((r) => r.path.startsWith('/api/domain/odata/'));
}

function expectOk(result: ExecuteResult): void {
	if (!result.ok) {
		throw new Error(
			`execution failed (n8n exit code ${result.cli.code}, signal ${result.cli.signal}): ${result.error?.message}\n${result.error?.description ?? ''}\n${result.cli.stderr.slice(-2000)}\n${result.cli.stdout.slice(-2000)}`,
		);
	}
}

describe('ERP.net node operations in a real n8n', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	const timings: Record<string, number> = {};
	const activeCustomers = () => sandbox.store.list(CUSTOMERS).filter((c) => c.Active === true);

	// ids of records the workflows work on, fixed before import
	let customer: Record<string, unknown>;
	let updateTarget: Record<string, unknown>;
	let mapperTarget: Record<string, unknown>;
	let deleteTarget: Record<string, unknown>;
	const newNumber = `E2E-${String(Date.now()).slice(-6)}`;
	const upsertNumber = `UPS-${String(Date.now()).slice(-6)}`;
	const upsertExternalId = `SHOP-${String(Date.now()).slice(-6)}`;
	let hardening: HardeningTargets;

	beforeAll(async () => {
		sandbox = await startE2eSandbox({ sizes: { customers: CUSTOMER_COUNT } });
		expect(sandbox.store.count(CUSTOMERS)).toBe(CUSTOMER_COUNT);
		const customers = sandbox.store.list(CUSTOMERS);
		[customer, updateTarget, mapperTarget, deleteTarget] = [customers[3], customers[4], customers[5], customers[6]];
		// East of UTC, where n8n's zoned midnights would land dates a day early (README: Create, Update, Create or Update).
		n8n = N8nInstance.create('node', { env: { GENERIC_TIMEZONE: 'Europe/Sofia' } });
		const bilingual = sandbox.store.list('General_Products_Products').filter(
			(product) =>
				Object.keys((product.Name as Record<string, string>) ?? {})
					.sort()
					.join() === 'BG,EN',
		);
		hardening = {
			updateProduct: bilingual[0],
			upsertProduct: bilingual[1],
			echoJson: customers[1230],
			echoHtml: customers[1231],
			redirectRead: customers[1232],
			redirectWrite: customers[1233],
			datedOrder: sandbox.store
				.list('Crm_Sales_SalesOrders')
				.find((order) => order.State === 'New' && order.Void === false)!,
		};
		await n8n.importCredentials([
			sandboxCredential(sandbox, CRED_ID, 'ERP.net sandbox'),
			sandboxCredential(sandbox, HARDENING_CRED.id, HARDENING_CRED.name),
		]);
		await n8n.importWorkflows([
			hardeningWorkflow(sandbox, hardening),
			chainWorkflow('e2eNodeGetAllLim', 'Get Many with a limit and a filter', [
				erpNet('ERP.net', {
					operation: 'getAll',
					entitySet: entitySet(CUSTOMERS),
					returnAll: false,
					limit: 7,
					options: { filter: 'Active eq true' },
				}),
			]),
			chainWorkflow('e2eNodeGetAllAll', 'Get Many, return all', [
				erpNet('ERP.net', { operation: 'getAll', entitySet: entitySet(CUSTOMERS), returnAll: true, options: {} }),
			]),
			chainWorkflow('e2eNodeGet', 'Get by id', [
				erpNet('ERP.net', {
					operation: 'get',
					entitySet: entitySet(CUSTOMERS),
					recordId: recordId(String(customer.Id)),
					options: {},
				}),
			]),
			chainWorkflow('e2eNodeCreate', 'Create (JSON)', [
				erpNet('ERP.net', {
					operation: 'create',
					entitySet: entitySet(CUSTOMERS),
					fieldsInput: 'json',
					jsonBody: JSON.stringify({
						Number: newNumber,
						Party: customer.Party,
						EnterpriseCompany: customer.EnterpriseCompany,
						Active: true,
						DefaultPaymentTermDays: 21,
					}),
					options: {},
				}),
			]),
			chainWorkflow('e2eNodeUpdJson', 'Update (JSON)', [
				erpNet('ERP.net', {
					operation: 'update',
					entitySet: entitySet(CUSTOMERS),
					recordId: recordId(String(updateTarget.Id)),
					fieldsInput: 'json',
					jsonBody: '{ "DefaultPaymentTermDays": 45, "GracePeriodDays": 3 }',
					options: {},
				}),
			]),
			chainWorkflow('e2eNodeUpdMapper', 'Update (resource mapper)', [
				erpNet('ERP.net', {
					operation: 'update',
					entitySet: entitySet(CUSTOMERS),
					recordId: recordId(String(mapperTarget.Id)),
					fieldsInput: 'mapper',
					columns: {
						mappingMode: 'defineBelow',
						value: { DefaultDeliveryTermDays: 9, Active: false, [SEGMENT]: 'Wholesale' },
						matchingColumns: [],
						schema: [
							{
								id: 'DefaultDeliveryTermDays',
								displayName: 'DefaultDeliveryTermDays',
								required: false,
								defaultMatch: false,
								display: true,
								type: 'number',
								canBeUsedToMatch: false,
							},
							{
								id: 'Active',
								displayName: 'Active',
								required: false,
								defaultMatch: false,
								display: true,
								type: 'boolean',
								canBeUsedToMatch: false,
							},
							{
								id: SEGMENT,
								displayName: SEGMENT,
								required: false,
								defaultMatch: false,
								display: true,
								type: 'options',
								options: ['Retail', 'Wholesale', 'Distributor'].map((value) => ({ name: value, value })),
								canBeUsedToMatch: false,
							},
						],
					},
					options: {},
				}),
				// Node version 1.1: Simplify outputs a stored attribute as its short value.
				erpNet(
					'Get',
					{
						operation: 'get',
						entitySet: entitySet(CUSTOMERS),
						recordId: recordId(String(mapperTarget.Id)),
						options: { select: ['Number', SEGMENT], simplify: true },
					},
					{ typeVersion: 1.1 },
				),
			]),
			chainWorkflow('e2eNodeDelete', 'Delete', [
				erpNet('ERP.net', {
					operation: 'delete',
					entitySet: entitySet(CUSTOMERS),
					recordId: recordId(String(deleteTarget.Id)),
					options: {},
				}),
			]),
			chainWorkflow('e2eNodeChain', 'Get Many → Update → Get', [
				erpNet('Get Many', {
					operation: 'getAll',
					entitySet: entitySet(CUSTOMERS),
					returnAll: false,
					limit: 2,
					options: { filter: 'Active eq true' },
				}),
				erpNet('Update', {
					operation: 'update',
					entitySet: entitySet(CUSTOMERS),
					recordId: recordId('={{ $json.Id }}'),
					fieldsInput: 'json',
					jsonBody: '={{ JSON.stringify({ GracePeriodDays: 11 }) }}',
					options: {},
				}),
				erpNet('Get', {
					operation: 'get',
					entitySet: entitySet(CUSTOMERS),
					recordId: recordId('={{ $json.Id }}'),
					options: {},
				}),
			]),
			chainWorkflow('e2eNodeUpsert', 'Create or Update by code', [
				erpNet('ERP.net', {
					operation: 'upsert',
					entitySet: entitySet(CUSTOMERS),
					matchBy: 'Code',
					matchValue: upsertNumber,
					fieldsInput: 'json',
					jsonBody: JSON.stringify({ Number: upsertNumber, Party: customer.Party, GracePeriodDays: 6 }),
					options: {},
				}),
				erpNet('By External ID', {
					operation: 'upsert',
					entitySet: entitySet(CUSTOMERS),
					matchBy: 'ExternalId',
					matchValue: upsertExternalId,
					externalSystem: 'e2e-shop',
					fieldsInput: 'json',
					jsonBody: JSON.stringify({ Number: `X${upsertNumber}`, Party: customer.Party, GracePeriodDays: 2 }),
					options: {},
				}),
			]),
			chainWorkflow('e2eNodeBatch', 'Get Many → Update in one $batch', [
				erpNet('Get Many', {
					operation: 'getAll',
					entitySet: entitySet(CUSTOMERS),
					returnAll: false,
					limit: 5,
					options: { filter: 'Active eq false' },
				}),
				erpNet('Update', {
					operation: 'update',
					entitySet: entitySet(CUSTOMERS),
					recordId: recordId('={{ $json.Id }}'),
					fieldsInput: 'json',
					jsonBody: '={{ JSON.stringify({ GracePeriodDays: 29 }) }}',
					options: { batching: 'atomic', batchSize: 100 },
				}),
			]),
			chainWorkflow('e2eNodeNotFound', 'Get an id that does not exist (continue on fail)', [
				erpNet(
					'ERP.net',
					{
						operation: 'get',
						entitySet: entitySet(CUSTOMERS),
						recordId: recordId('00000000-0000-4000-8000-000000000001'),
						options: {},
					},
					{ onError: 'continueRegularOutput' },
				),
			]),
		]);
	});

	afterAll(async () => {
		await sandbox?.close();
		n8n?.remove();
		process.stderr.write(`[e2e node] timings (ms): ${JSON.stringify(timings)}\n`);
	});

	test('Get Many with a limit and a raw $filter: one request with $top=limit, only matching records', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeGetAllLim');
		timings.getAllLimit = result.cli.tookMs;
		expectOk(result);
		const items = result.items('ERP.net');
		expect(items).toHaveLength(7);
		expect(items.every((i) => i.Active === true)).toBe(true);
		const activeIds = new Set(activeCustomers().map((c) => c.Id));
		expect(new Set(items.map((i) => i.Id)).size).toBe(7);
		expect(items.every((i) => activeIds.has(i.Id))).toBe(true);
		const api = odataRequests(sandbox, since);
		expect(api).toHaveLength(1);
		expect(api[0].method).toBe('GET');
		expect(api[0].path).toBe(`/api/domain/odata/${CUSTOMERS}`);
		const query = queryOf(api[0]);
		expect(query.$filter).toBe('Active eq true');
		expect(query.$top).toBe('7');
		expect(tokenRequests(sandbox, since)).toHaveLength(1);
	});

	test('Get Many with Return All follows the next link: every record once, two pages', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeGetAllAll');
		timings.getAllReturnAll = result.cli.tookMs;
		timings.getAllReturnAllStdoutChars = result.cli.stdout.length;
		expectOk(result);
		const items = result.items('ERP.net');
		expect(items).toHaveLength(CUSTOMER_COUNT);
		expect(new Set(items.map((i) => i.Id)).size).toBe(CUSTOMER_COUNT);
		const api = odataRequests(sandbox, since);
		expect(api.map((r) => r.status)).toEqual([200, 200]);
		expect(Number(queryOf(api[0]).$top)).toBeLessThanOrEqual(1000);
		// the token from the first execution is reused
		expect(tokenRequests(sandbox, since)).toHaveLength(0);
		expect(new Set(api.map(bearer)).size).toBe(1);
	});

	test('Get by id: GET Set(guid), the record with its Id', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeGet');
		timings.get = result.cli.tookMs;
		expectOk(result);
		const items = result.items('ERP.net');
		expect(items).toHaveLength(1);
		expect(items[0].Id).toBe(customer.Id);
		expect(items[0].Number).toBe(customer.Number);
		const api = odataRequests(sandbox, since);
		expect(api).toHaveLength(1);
		expect(api[0].path).toBe(`/api/domain/odata/${CUSTOMERS}(${String(customer.Id)})`);
	});

	test('Create: POST with the JSON body; the record is in the sandbox and in the output', async () => {
		const before = sandbox.store.count(CUSTOMERS);
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeCreate');
		timings.create = result.cli.tookMs;
		expectOk(result);
		const [created] = result.items('ERP.net');
		expect(created.Number).toBe(newNumber);
		expect(typeof created.Id).toBe('string');
		expect(sandbox.store.count(CUSTOMERS)).toBe(before + 1);
		const stored = sandbox.store.get(CUSTOMERS, String(created.Id));
		expect(stored).toBeDefined();
		expect(stored!.Number).toBe(newNumber);
		expect(stored!.DefaultPaymentTermDays).toBe(21);
		const posts = odataRequests(sandbox, since).filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(1);
		expect(posts[0].path).toBe(`/api/domain/odata/${CUSTOMERS}`);
		expect(posts[0].status).toBe(201);
		expect(JSON.parse(posts[0].body)).toMatchObject({ Number: newNumber, DefaultPaymentTermDays: 21, Active: true });
	});

	test('Update (JSON): PATCH with only the given fields; the sandbox has the new values, the rest unchanged', async () => {
		const before = { ...sandbox.store.get(CUSTOMERS, String(updateTarget.Id)) };
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeUpdJson');
		timings.updateJson = result.cli.tookMs;
		expectOk(result);
		const patches = odataRequests(sandbox, since).filter((r) => r.method === 'PATCH');
		expect(patches).toHaveLength(1);
		expect(patches[0].path).toBe(`/api/domain/odata/${CUSTOMERS}(${String(updateTarget.Id)})`);
		expect(JSON.parse(patches[0].body)).toEqual({ DefaultPaymentTermDays: 45, GracePeriodDays: 3 });
		const after = sandbox.store.get(CUSTOMERS, String(updateTarget.Id))!;
		expect(after.DefaultPaymentTermDays).toBe(45);
		expect(after.GracePeriodDays).toBe(3);
		expect(after.Number).toBe(before.Number);
		expect(after.CreditLimit).toEqual(before.CreditLimit);
		const [output] = result.items('ERP.net');
		expect(output.Id).toBe(updateTarget.Id);
		expect(output.DefaultPaymentTermDays).toBe(45);
	});

	test('Update (resource mapper): the mapped fields are PATCHed with their types, a stored attribute included', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeUpdMapper');
		timings.updateMapper = result.cli.tookMs;
		expectOk(result);
		const patches = odataRequests(sandbox, since).filter((r) => r.method === 'PATCH');
		expect(patches).toHaveLength(1);
		expect(JSON.parse(patches[0].body)).toEqual({
			DefaultDeliveryTermDays: 9,
			Active: false,
			[SEGMENT]: { Value: 'Wholesale' },
		});
		const after = sandbox.store.get(CUSTOMERS, String(mapperTarget.Id))!;
		expect(after.DefaultDeliveryTermDays).toBe(9);
		expect(after.Active).toBe(false);
		// the stored attribute: written as a CustomPropertyValue, read back simplified to its value
		expect(after[SEGMENT]).toMatchObject({ Value: 'Wholesale', Description: { EN: 'Wholesale customer' } });
		expect(result.items('Get')[0]).toEqual({
			Id: mapperTarget.Id,
			Number: mapperTarget.Number,
			[SEGMENT]: 'Wholesale',
		});
	});

	test('Delete: DELETE Set(guid); the record is gone; output { deleted: true, id }', async () => {
		const before = sandbox.store.count(CUSTOMERS);
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeDelete');
		timings.delete = result.cli.tookMs;
		expectOk(result);
		const deletes = odataRequests(sandbox, since).filter((r) => r.method === 'DELETE');
		expect(deletes).toHaveLength(1);
		expect(deletes[0].path).toBe(`/api/domain/odata/${CUSTOMERS}(${String(deleteTarget.Id)})`);
		expect(deletes[0].status).toBe(204);
		expect(sandbox.store.get(CUSTOMERS, String(deleteTarget.Id))).toBeUndefined();
		expect(sandbox.store.count(CUSTOMERS)).toBe(before - 1);
		const [output] = result.items('ERP.net');
		expect(output).toMatchObject({ deleted: true, id: deleteTarget.Id });
	});

	test('Manual Trigger → Get Many → Update → Get: expressions carry the Id from node to node', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeChain');
		timings.chain = result.cli.tookMs;
		expectOk(result);
		const found = result.items('Get Many');
		expect(found).toHaveLength(2);
		const read = result.items('Get');
		expect(read.map((r) => r.Id)).toEqual(found.map((f) => f.Id));
		expect(read.every((r) => r.GracePeriodDays === 11)).toBe(true);
		for (const f of found) expect(sandbox.store.get(CUSTOMERS, String(f.Id))!.GracePeriodDays).toBe(11);
		const methods = odataRequests(sandbox, since).map((r) => r.method);
		expect(methods.filter((m) => m === 'PATCH')).toHaveLength(2);
		expect(describeLog(sandbox.requests.slice(since))).not.toMatch(/-> 5\d\d/);
	});

	test('after ERP.net revokes the token, the node gets one new token and the request succeeds', async () => {
		sandbox.control.revokeAllTokens();
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeGet');
		timings.refreshAfterRevoke = result.cli.tookMs;
		expectOk(result);
		expect(result.items('ERP.net')[0].Id).toBe(customer.Id);
		const log = sandbox.requests
			.slice(since)
			.filter((r) => r.path === '/id/connect/token' || r.path.startsWith('/api/domain/odata/'));
		expect(log.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 401', 'POST 200', 'GET 200']);
		expect(bearer(log[2])).not.toBe(bearer(log[0]));
	});

	test('a record that does not exist: 404 from ERP.net becomes a clear error item with continue-on-fail', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeNotFound');
		timings.notFound = result.cli.tookMs;
		expectOk(result);
		const [item] = result.items('ERP.net');
		expect(typeof item.error).toBe('string');
		expect(String(item.error)).toMatch(/not found|does not exist|no record/i);
		const api = odataRequests(sandbox, since);
		expect(api.map((r) => r.status)).toContain(404);
	});

	test('Create or Update by code: @erpnet.action merge; running the workflow twice leaves one record', async () => {
		const since = sandbox.requests.length;
		expectOk(await n8n.execute('e2eNodeUpsert'));
		const second = await n8n.execute('e2eNodeUpsert');
		timings.upsert = second.cli.tookMs;
		expectOk(second);
		const matching = sandbox.store.list(CUSTOMERS).filter((c) => c.Number === upsertNumber);
		expect(matching).toHaveLength(1);
		expect(matching[0].GracePeriodDays).toBe(6);
		const posts = odataRequests(sandbox, since).filter(
			(r) => r.method === 'POST' && JSON.parse(r.body)['@erpnet.findBy']?.Code === upsertNumber,
		);
		expect(posts.map((r) => r.status)).toEqual([201, 200]);
		expect(JSON.parse(posts[1].body)).toMatchObject({
			'@erpnet.action': 'merge',
			'@erpnet.findBy': { Code: upsertNumber },
		});
		expect(second.items('ERP.net')[0].Id).toBe(matching[0].Id);
		// by External ID, with fields that leave it out: the record holds the match value, so the re-run finds it
		const byExternalId = sandbox.store.list(CUSTOMERS).filter((c) => c.ExternalId === upsertExternalId);
		expect(byExternalId).toHaveLength(1);
		expect(byExternalId[0]).toMatchObject({ ExternalSystem: 'e2e-shop', Number: `X${upsertNumber}` });
		expect(second.items('By External ID')[0].Id).toBe(byExternalId[0].Id);
	});

	test('hardening cases in one run: plain-text languages kept, no token in any output, redirects not followed, repeated pages stopped, token only under the Domain API', async () => {
		const token = await knownToken(sandbox);
		const elsewhere = await otherOrigin();
		const names = {
			update: { ...(hardening.updateProduct.Name as Record<string, string>) },
			upsert: { ...(hardening.upsertProduct.Name as Record<string, string>) },
		};
		const since = sandbox.requests.length;
		injectHardeningFaults(sandbox, hardening, token, elsewhere.url);
		let result: ExecuteResult;
		try {
			result = await n8n.execute(HARDENING_WORKFLOW_ID);
		} finally {
			sandbox.control.clearFaults();
			await elsewhere.close();
		}
		timings.hardening = result.cli.tookMs;
		expectOk(result);
		const log = sandbox.requests.slice(since);
		// a failed read outputs what it had read, then the error item
		const errorOf = (node: string) => {
			const error = result.items(node).find((item) => item.error !== undefined)?.error ?? '';
			return typeof error === 'string' ? error : JSON.stringify(error);
		};

		// 1. multi-language plain text: only the chosen language changes, in Update and in Create or Update
		expect(sandbox.store.get('General_Products_Products', String(hardening.updateProduct.Id))!.Name).toEqual({
			...names.update,
			BG: 'Име от n8n',
		});
		expect(sandbox.store.get('General_Products_Products', String(hardening.upsertProduct.Id))!.Name).toEqual({
			...names.upsert,
			EN: 'Name from n8n',
		});
		expect(result.items(CASES.mlUpsert)[0].Id).toBe(hardening.upsertProduct.Id);

		// 5. the token (whole and its signature) and the secret appear nowhere in what n8n printed
		expect(log.some((entry) => bearer(entry) === token.access_token)).toBe(true);
		expect(errorOf(CASES.echoJson)).not.toBe('');
		expect(errorOf(CASES.echoHtml)).not.toBe('');
		const printed = `${result.cli.stdout}\n${result.cli.stderr}`;
		const secret = sandbox.clientSecret;
		for (const value of [
			token.access_token,
			token.access_token.split('.')[2],
			secret,
			encodeURIComponent(secret),
			encodeURIComponent(secret).toLowerCase(),
		]) {
			expect(printed).not.toContain(value);
		}

		// 6. redirects: nothing reaches the other origin (no token, no write body); the errors say where
		expect(elsewhere.received).toEqual([]);
		// n8n 1.x drops the HTTP response from the errors of its request helpers (ExecutionBaseError's `cause` class
		// field resets the axios error), so the Location header is unknown there: the error says the redirect was
		// refused without naming its target.
		const redirectTarget = N8N_VERSION.startsWith('1.') ? '(no Location header)' : elsewhere.url;
		expect(errorOf(CASES.redirectRead)).toContain(redirectTarget);
		expect(`${errorOf(CASES.redirectWrite)} ${JSON.stringify(result.items(CASES.redirectWrite)[0])}`).toContain(
			redirectTarget,
		);
		expect(sandbox.store.get(CUSTOMERS, String(hardening.redirectWrite.Id))!.GracePeriodDays).toBe(
			hardening.redirectWrite.GracePeriodDays,
		);

		// 8. pages that only repeat records stop within a few pages
		for (const [node, set] of [
			[CASES.changingLinks, 'General_Currencies_Currencies'],
			[CASES.ignoredSkip, 'General_Geography_Countries'],
		]) {
			expect(errorOf(node)).toMatch(/already/i);
			expect(log.filter((entry) => entry.path === `/api/domain/odata/${set}`).length).toBeLessThanOrEqual(4);
		}

		// dates with GENERIC_TIMEZONE=Europe/Sofia: the date as typed, the date-time as the UTC instant of Sofia's midnight
		const datePatch = log.find(
			(entry) => entry.method === 'PATCH' && entry.path.includes(String(hardening.datedOrder.Id)),
		);
		expect(JSON.parse(datePatch!.body)).toEqual({
			RequiredDeliveryDate: TYPED_DATE,
			PaymentDueDate: '2026-01-30T22:00:00Z',
		});
		expect(sandbox.store.get('Crm_Sales_SalesOrders', String(hardening.datedOrder.Id))).toMatchObject({
			RequiredDeliveryDate: `${TYPED_DATE}T00:00:00Z`,
			PaymentDueDate: '2026-01-30T22:00:00Z',
		});

		// 7. the credential sends its token only under the Domain API root, not to another path of the instance
		expect(errorOf(CASES.otherPath)).toMatch(/only under the instance's Domain API/);
		expect(log.filter((entry) => !entry.path.startsWith('/api/domain/') && bearer(entry) !== '')).toEqual([]);
	});

	test('Update with batching: five items in one $batch request, results in input order', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('e2eNodeBatch');
		timings.batch = result.cli.tookMs;
		expectOk(result);
		const found = result.items('Get Many');
		expect(found).toHaveLength(5);
		expect(result.items('Update').map((r) => r.Id)).toEqual(found.map((f) => f.Id));
		for (const f of found) expect(sandbox.store.get(CUSTOMERS, String(f.Id))!.GracePeriodDays).toBe(29);
		const api = odataRequests(sandbox, since);
		expect(api.filter((r) => r.path === '/api/domain/odata/$batch')).toHaveLength(1);
		expect(api.filter((r) => r.method === 'PATCH')).toHaveLength(0);
	});
});
