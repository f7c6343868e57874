import { serializeForLeakCheck } from '../../../../helpers/n8n';
import { locator, odataRequests, runErpNet, tokenRequests, useSandbox } from '../../../../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 30, products: 10, salesOrders: 3 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

const read = (entitySet: string, extra: Record<string, unknown> = {}) => ({
	operation: 'getAll',
	entitySet: locator(entitySet),
	limit: 5,
	...extra,
});

describe('errors', () => {
	it('should name the new entity set when an old name is used', async () => {
		const { error } = await runErpNet(sandbox(), read('Crm_Customers'));

		expect(error?.message).toBe("The entity set 'Crm_Customers' was renamed to 'Crm_Sales_Customers' in ERP.net");
		expect(error?.description).toContain('Crm_Sales_Customers');
	});

	it('should say that an unknown entity set was not found', async () => {
		const { error } = await runErpNet(sandbox(), read('Crm_Sales_Customerz'));

		expect(error?.message).toMatch(/Crm_Sales_Customerz/);
		expect((error as { httpCode?: string }).httpCode).toBe('404');
	});

	it('should reject an entity set name that would change the request path', async () => {
		const { error } = await runErpNet(sandbox(), read('={{ "Crm_Sales_Customers?$top=1" }}'));

		expect(error?.message).toMatch(/not a valid ERP.net entity set name/);
		expect(odataRequests(sandbox())).toHaveLength(0);
	});

	it("should show ERP.net's own message for an unsupported filter", async () => {
		const { error } = await runErpNet(
			sandbox(),
			read('Crm_Sales_Customers', { options: { filter: 'Active eq true or Active eq false' } }),
		);

		expect(error?.message).toMatch(/or/i);
		expect((error as { httpCode?: string }).httpCode).toBe('500');
	});

	it('should reject a malformed record ID before calling ERP.net, naming the item', async () => {
		const { error } = await runErpNet(
			sandbox(),
			{ operation: 'get', entitySet: locator('Crm_Sales_Customers'), recordId: locator('={{ "bad-id" }}', 'id') },
			{ input: [{ a: 1 }] },
		);

		expect(error?.message).toMatch(/not a valid ERP.net record ID/);
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
		expect(odataRequests(sandbox())).toHaveLength(0);
	});

	it('should report a missing record as not found', async () => {
		const { error } = await runErpNet(sandbox(), {
			operation: 'get',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator('00000000-0000-4000-8000-000000000001', 'id'),
		});

		expect((error as { httpCode?: string }).httpCode).toBe('404');
	});

	it("should show a business-rule error with ERP.net's message", async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[0];
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({ CreditLimit: { Value: -5, Currency: 'BGN' } }),
		});

		expect(error?.message).toMatch(/credit limit/i);
		expect((error as { httpCode?: string }).httpCode).toBe('500');
	});

	it('should reject invalid JSON with a clear message', async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[0];
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(customer.Id), 'id'),
			fieldsInput: 'json',
			jsonBody: '{"GracePeriodDays": 1,',
		});

		expect(error?.message).toBe('The JSON is not valid');
	});

	it('should retry a 429 and succeed', async () => {
		sandbox().control.injectFault({
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 429,
			times: 2,
			headers: { 'retry-after': '0' },
			body: { error: { message: 'Too many requests' } },
		});
		const { items, error } = await runErpNet(sandbox(), read('Crm_Sales_Customers'));

		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers').map((entry) => entry.status)).toEqual([429, 429, 200]);
	});

	it('should give up after repeated 429s with a clear message', async () => {
		sandbox().control.injectFault({
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 429,
			times: 20,
			headers: { 'retry-after': '0.01' },
		});
		const { error } = await runErpNet(sandbox(), read('Crm_Sales_Customers'));

		expect(error?.message).toMatch(/rate limit was still exceeded after 8 retries/);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(9);
	});

	it('should fail clearly when the token is refused even after a refresh', async () => {
		sandbox().control.injectFault({ pathIncludes: '/Crm_Sales_Customers', kind: 'status', status: 401, times: 2 });
		const { error } = await runErpNet(sandbox(), read('Crm_Sales_Customers'));

		expect(error?.message).toMatch(/did not accept the access token \(401\)/);
		expect(tokenRequests(sandbox())).toHaveLength(2);
	});

	it('should return error items and keep going with Continue On Fail', async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[0];
		const { items, error } = await runErpNet(
			sandbox(),
			{ operation: 'get', entitySet: locator('Crm_Sales_Customers'), recordId: locator('={{ $json.id }}', 'id') },
			{ input: [{ id: customer.Id }, { id: 'nope' }, { id: customer.Id }], continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0].json.Id).toBe(customer.Id);
		expect(items[1].json.error).toMatch(/not a valid ERP.net record ID/);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
	});

	it('should return what was read before a failing page, plus an error item, with Continue On Fail', async () => {
		sandbox().control.injectFault({
			pathIncludes: '/Crm_Sales_Customers',
			kind: 'status',
			status: 500,
			after: 1,
			times: 1,
			body: { error: { message: 'Server exploded', code: 1 } },
		});
		const { items, error } = await runErpNet(
			sandbox(),
			{ ...read('Crm_Sales_Customers'), returnAll: true, options: { pageSize: 10 } },
			{ continueOnFail: true },
		);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(11);
		expect(items[10].json.error).toBe('Server exploded');
		expect(String((items[10].error as { description?: string }).description)).toMatch(/stopped after 10 records/);
	});

	it('should never put the secret or the token into errors', async () => {
		const { error, run } = await runErpNet(sandbox(), read('Crm_Customers'));
		const token =
			tokenRequests(sandbox()).length > 0
				? sandbox().requests.find((entry) => entry.headers.authorization)?.headers.authorization
				: undefined;

		const serialized = serializeForLeakCheck(error, run);
		expect(serialized).not.toContain(sandbox().clientSecret);
		expect(token).toBeDefined();
		expect(serialized).not.toContain(String(token).replace(/^Bearer /, ''));
	});
});
