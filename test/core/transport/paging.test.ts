/**
 * Reading a collection page by page (core/transport/paging.ts,
 * https://docs.erp.net/dev/domain-api/querying-data/paging.html): next links, `$skip` on servers without them,
 * limits, and reads that stop with a clear error instead of looping (a page limit, a repeated link, pages that
 * repeat records).
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { EXPAND_PAGE_SIZE, MAX_PAGE_SIZE, erpNetApiPages } from '../../../core/transport/paging';
import type { PageOptions } from '../../../core/transport/paging';
import type { ODataQuery } from '../../../core/odata/types';
import { locator, odataRequests, queryOption, runErpNet, tokenRequests, useSandbox } from '../../helpers/erpnet';
import { CredentialStore, runNode } from '../../helpers/n8n';
import { caught, sandboxContext } from './fixtures';

const CUSTOMERS = 3000;
const sandbox = useSandbox({ sizes: { customers: CUSTOMERS, products: 10, salesOrders: 3 } });

beforeEach(() => {
	const { control } = sandbox();
	control.clearLog();
	control.clearFaults();
	control.setLegacy(false);
	control.setMaxPageSize(undefined);
	control.setRateLimit({ requestsPerMinute: 600, windowMs: 60_000 });
});

const readAll = (options: IDataObject = {}) => ({
	operation: 'getAll',
	entitySet: locator('Crm_Sales_Customers'),
	returnAll: true,
	options: { select: ['Number'], ...options },
});

/** Every page `erpNetApiPages` yields for the customers, read on a fresh n8n-core context. */
async function pagesOf(query: ODataQuery, options: PageOptions = {}): Promise<IDataObject[][]> {
	const context = await sandboxContext(sandbox());
	const pages: IDataObject[][] = [];
	for await (const page of erpNetApiPages.call(context, 'Crm_Sales_Customers', query, options)) pages.push(page);
	return pages;
}

const customerReads = () => odataRequests(sandbox(), 'Crm_Sales_Customers');

describe('page sizes', () => {
	it("should ask for ERP.net's recommended page of 1000 at most, and 200 when expanding", () => {
		expect(MAX_PAGE_SIZE).toBe(1000);
		expect(EXPAND_PAGE_SIZE).toBe(200);
	});

	it('should never ask for more than 1000 records a page, whatever the page size', async () => {
		const pages = await pagesOf({ $select: 'Number' }, { pageSize: 5000, limit: 1500 });

		expect(pages.map((page) => page.length)).toEqual([1000, 500]);
		expect(customerReads().map((entry) => queryOption(entry, '$top'))).toEqual(['1000', '1000']);
	});
});

describe('erpNetApiPages', () => {
	it('should yield each page as it arrives by following the next links, every record once', async () => {
		const pages = await pagesOf({ $select: 'Number' }, { pageSize: 400 });

		expect(pages).toHaveLength(8);
		const ids = pages.flat().map((record) => String(record['@odata.id']));
		expect(new Set(ids).size).toBe(CUSTOMERS);
		expect(customerReads()).toHaveLength(8);
	});

	it('should ask for no more than the limit and cut the last page to it', async () => {
		const pages = await pagesOf({ $select: 'Number' }, { pageSize: 100, limit: 250 });

		expect(pages.map((page) => page.length)).toEqual([100, 100, 50]);
		expect(customerReads()).toHaveLength(3);
		expect(queryOption(customerReads()[0], '$top')).toBe('100');
	});

	it('should page with $skip on a server without next links (before 26.2), stopping at a short page', async () => {
		sandbox().control.setLegacy(true);

		const pages = await pagesOf({ $select: 'Number' }, { pageSize: 1000 });

		expect(pages.map((page) => page.length)).toEqual([1000, 1000, 1000]);
		expect(customerReads().map((entry) => queryOption(entry, '$skip'))).toEqual([null, '1000', '2000', '3000']);
	});

	it('should fail the item when the answer is not an OData collection', async () => {
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 200,
			body: { value: 'not a list' },
		});

		const error = await caught(() => pagesOf({}, { itemIndex: 4 }));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('ERP.net answered with something that is not an OData collection');
		expect(error.context).toMatchObject({ itemIndex: 4 });
	});

	it('should stop when ERP.net sends the same next link twice', async () => {
		const nextLink = `${sandbox().odataRoot}Crm_Sales_Customers?$top=2&$skiptoken=same`;
		// Each page holds another record (read when the answer is sent), so only the link repeats.
		const page = { value: [{ '@odata.id': '' }], '@odata.nextLink': nextLink };
		let served = 0;
		const stop = sandbox().control.onRequest(() => {
			page.value[0]['@odata.id'] = `Crm_Sales_Customers(00000000-0000-4000-8000-00000000000${++served})`;
		});
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 200,
			times: 5,
			body: page,
		});
		try {
			const error = await caught(() => pagesOf({}, { pageSize: 2 }));

			expect(error.message).toBe('ERP.net returned the same next page twice');
			expect(customerReads()).toHaveLength(2);
		} finally {
			stop();
		}
	});
});

describe('long reads', () => {
	it('should refresh the token once when it expires in the middle of a long read, without losing or repeating records', async () => {
		const store = new CredentialStore();
		let pages = 0;
		const stop = sandbox().control.onRequest((entry) => {
			if (entry.path === '/api/domain/odata/Crm_Sales_Customers' && ++pages === 2) sandbox().control.revokeAllTokens();
		});
		try {
			const { items, error } = await runErpNet(sandbox(), readAll(), { credentialStore: store });

			expect(error).toBeUndefined();
			expect(items).toHaveLength(CUSTOMERS);
			expect(new Set(items.map((item) => item.json.Id)).size).toBe(CUSTOMERS);
			expect(tokenRequests(sandbox())).toHaveLength(2);
			expect(odataRequests(sandbox(), 'Crm_Sales_Customers').filter((entry) => entry.status === 401)).toHaveLength(1);
		} finally {
			stop();
		}
	});

	it('should stop a read at the page limit with a clear error', async () => {
		const { error } = await runErpNet(sandbox(), readAll({ pageSize: 10, maxPages: 3 }));

		expect(error?.message).toBe('Stopped after 3 pages of Crm_Sales_Customers');
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(3);
	});
});

/**
 * A server that answers the same two records from page `stuckAt` on (the first page by default): with ever-changing
 * next links, or none (ignoring $skip).
 */
async function repeatingServer(withNextLinks: boolean, stuckAt = 1) {
	const reads: string[] = [];
	let counter = 0;
	const server: Server = createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://x');
			if (url.pathname === '/id/connect/token') {
				res
					.writeHead(200, { 'content-type': 'application/json' })
					.end('{"access_token":"a.b.c","token_type":"Bearer","expires_in":3600,"scope":"read update"}');
				return;
			}
			reads.push(req.url ?? '');
			const top = Number(url.searchParams.get('$top') ?? 2);
			const page = reads.filter((read) => read.includes('/Crm_Sales_Customers')).length;
			const first = 2 * (Math.max(1, Math.min(page, stuckAt)) - 1);
			const value = Array.from({ length: Math.min(top, 2) }, (_unused, index) => ({
				'@odata.id': `Crm_Sales_Customers(00000000-0000-4000-8000-${String(first + index).padStart(12, '0')})`,
				Number: `R${first + index}`,
			}));
			const base = `http://${req.headers.host}/api/domain/odata/Crm_Sales_Customers`;
			const body = withNextLinks
				? { value, '@odata.nextLink': `${base}?$top=${top}&$skiptoken=${++counter}` }
				: { value };
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		reads,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('pages that repeat records', () => {
	it.each([
		['next links that change but return the same IDs', true],
		['a pre-26.2 server that ignores $skip', false],
	])('should stop within a few pages with a clear error: %s', async (_name, withNextLinks) => {
		const server = await repeatingServer(withNextLinks);
		try {
			const { error } = await runNode({
				credentials: { erpNetApi: { instanceUrl: server.url, clientId: 'c', clientSecret: 's', scope: 'read update' } },
				parameters: {
					resource: 'entity',
					operation: 'getAll',
					entitySet: locator('Crm_Sales_Customers'),
					returnAll: true,
					options: { pageSize: 2 },
				},
			});
			expect(error?.message).toMatch(/already/i);
			expect(server.reads.length).toBeLessThanOrEqual(4);
		} finally {
			await server.close();
		}
	});

	it.each([
		['next links', true],
		['$skip', false],
	])(
		'should stop when a later page repeats the one before it, after pages of new records (%s)',
		async (_name, withNextLinks) => {
			const server = await repeatingServer(withNextLinks, 4);
			try {
				const { items, error } = await runNode({
					credentials: {
						erpNetApi: { instanceUrl: server.url, clientId: 'c', clientSecret: 's', scope: 'read update' },
					},
					parameters: {
						resource: 'entity',
						operation: 'getAll',
						entitySet: locator('Crm_Sales_Customers'),
						returnAll: true,
						options: { pageSize: 2 },
					},
				});
				expect(error?.message).toMatch(/already/i);
				expect(error?.description).toContain('Stopped after 5 pages and 8 records');
				expect(items).toHaveLength(0);
				expect(server.reads.filter((read) => read.includes('/Crm_Sales_Customers'))).toHaveLength(5);
			} finally {
				await server.close();
			}
		},
	);
});
