/**
 * Paging, printout and reference input that is wrong or unusual: every bad value fails its item naming what to
 * fix, before any request, and an unusual but meaningful value (a numeric code) works like its text.
 */
import { locator, odataRequests, runErpNet } from '../../../helpers/erpnet';
import { refId } from './entity/entity-fixtures';
import { ordersIn, salesOrders, useDocumentSandbox } from './document/document-fixtures';

const sandbox = useDocumentSandbox();

const customerReads = () => odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.method === 'GET');

describe('Get Many paging options', () => {
	const getMany = (parameters: Record<string, unknown>) =>
		runErpNet(sandbox(), { operation: 'getAll', entitySet: locator('Crm_Sales_Customers'), ...parameters } as never);

	it.each([
		['Page Size', { returnAll: true, options: { pageSize: 0 } }, '0'],
		['Page Size', { returnAll: true, options: { pageSize: -5 } }, '-5'],
		['Page Size', { returnAll: true, options: { pageSize: 2.5 } }, '2.5'],
		['Page Size', { returnAll: true, options: { pageSize: 'ten' } }, 'ten'],
		['Limit', { limit: 0 }, '0'],
		['Limit', { limit: -1 }, '-1'],
		['Limit', { limit: 7.5 }, '7.5'],
		['Limit', { limit: 'abc' }, 'abc'],
		['Max Pages', { returnAll: true, options: { maxPages: 0 } }, '0'],
		['Max Pages', { returnAll: true, options: { maxPages: 1.5 } }, '1.5'],
		['Max Pages', { returnAll: true, options: { maxPages: 'many' } }, 'many'],
	])('should fail the item naming %s for %j, before any request', async (name, parameters, shown) => {
		const { error, items } = await getMany(parameters);

		expect(items).toHaveLength(0);
		expect(error?.message).toBe(`${name} must be a whole number of at least 1, not "${shown}"`);
		expect(customerReads()).toHaveLength(0);
	});

	it('should accept whole numbers given as text by an expression', async () => {
		const { error, items } = await getMany({ limit: '3', options: { pageSize: '2' } });

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
	});
});

describe('Summarize paging options', () => {
	it.each([
		['Limit', { returnAll: false, limit: 0 }, '0'],
		['Limit', { returnAll: false, limit: 2.5 }, '2.5'],
		['Page Size', { options: { pageSize: 0 } }, '0'],
		['Page Size', { options: { pageSize: 'ten' } }, 'ten'],
	])('should fail the item naming %s for %j, before any request', async (name, parameters, shown) => {
		const { error, items } = await runErpNet(sandbox(), {
			operation: 'summarize',
			entitySet: locator('Crm_Sales_SalesOrderLines'),
			aggregations: { aggregation: [{ aggregation: 'count', alias: 'Lines' }] },
			...parameters,
		} as never);

		expect(items).toHaveLength(0);
		expect(error?.message).toBe(`${name} must be a whole number of at least 1, not "${shown}"`);
		expect(odataRequests(sandbox(), 'Crm_Sales_SalesOrderLines')).toHaveLength(0);
	});
});

describe('Get Printout', () => {
	it.each([
		['an empty OData value', JSON.stringify({ value: '' }), 'application/json'],
		['an empty body', '', 'text/plain'],
	])('should fail the item for %s instead of writing a 0-byte file', async (_case, body, contentType) => {
		const [order] = ordersIn(sandbox, 'Released');
		sandbox().control.injectFault({
			method: 'POST',
			pathIncludes: '/GetPrintout',
			kind: 'status',
			status: 200,
			body,
			headers: { 'Content-Type': contentType },
		});
		const { error, items } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'getPrintout',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fileFormat: 'pdf',
			binaryPropertyName: 'data',
		});

		expect(items).toHaveLength(0);
		expect(error?.message).toContain('the printout is empty (0 bytes)');
	});
});

describe('a numeric reference value', () => {
	it('should be looked up by code like the same text', async () => {
		const customer = sandbox().store.list('Crm_Sales_Customers')[0];
		sandbox().store.patch('Crm_Sales_Customers', String(customer.Id), { Number: '4711' });
		const [order] = ordersIn(sandbox, 'New');
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fieldsInput: 'mapper',
			columns: { mappingMode: 'defineBelow', value: { Customer: 4711 }, schema: [], matchingColumns: [] },
		});

		expect(error).toBeUndefined();
		const patch = odataRequests(sandbox(), 'Crm_Sales_SalesOrders').find((entry) => entry.method === 'PATCH');
		expect(JSON.parse(patch?.body ?? '{}')).toEqual({ Customer: { '@erpnet.findBy': { Code: '4711' } } });
		expect(refId(sandbox().store.get('Crm_Sales_SalesOrders', String(order.Id))?.Customer)).toBe(customer.Id);
	});
});

describe('Language', () => {
	it.each(['en\r\nX-Injected: 1', 'bg\n'])(
		'should refuse %j, naming the option, before any request',
		async (language) => {
			const customer = sandbox().store.list('Crm_Sales_Customers')[0];
			const { error } = await runErpNet(sandbox(), {
				operation: 'get',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator(String(customer.Id), 'id'),
				options: { language },
			});

			expect(error?.message).toMatch(/^Language ".*" is not a language code$/);
			expect(customerReads()).toHaveLength(0);
		},
	);
});
