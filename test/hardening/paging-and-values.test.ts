/**
 * Issue 10, classes 8 and 10: reads whose pages repeat records stop within a few pages
 * (https://docs.erp.net/dev/domain-api/querying-data/paging.html), and values of the Conditions UI keep their
 * meaning (UTC dates, exact numbers, clear errors).
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import { locator, odataRequests, runErpNet, useSandbox } from '../helpers/erpnet';
import { runNode } from '../helpers/n8n';

const sandbox = useSandbox({ sizes: { customers: 6, products: 3, salesOrders: 1 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

/** A server that always answers the same two records: with ever-changing next links, or none (ignoring $skip). */
async function repeatingServer(withNextLinks: boolean) {
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
			const value = Array.from({ length: Math.min(top, 2) }, (_unused, index) => ({
				'@odata.id': `Crm_Sales_Customers(00000000-0000-4000-8000-00000000000${index})`,
				Number: `R${index}`,
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
});

describe('Conditions values', () => {
	const filtered = (condition: Record<string, string>) => ({
		operation: 'getAll',
		entitySet: locator('Crm_Sales_Customers'),
		returnAll: true,
		options: { conditions: { condition: [condition] } },
	});

	const sentFilter = () => {
		const read = odataRequests(sandbox(), 'Crm_Sales_Customers')[0];
		return new URLSearchParams(read.query.replace(/^\?/, '')).get('$filter');
	};

	it('should read a date-time without a time zone as UTC, whatever the time zone of n8n', async () => {
		const zone = process.env.TZ;
		process.env.TZ = 'Asia/Tokyo';
		try {
			await runErpNet(sandbox(), filtered({ field: 'CreationTime', operator: 'ge', value: '2024-03-01T10:30:00' }));
			expect(sentFilter()).toBe('CreationTime ge 2024-03-01T10:30:00Z');
		} finally {
			process.env.TZ = zone;
		}
	});

	it('should keep every digit of a long number', async () => {
		await runErpNet(sandbox(), filtered({ field: 'CreditLimit', operator: 'ge', value: '12345678901234567.89' }));
		expect(sentFilter()).toBe('CreditLimitValue ge 12345678901234567.89');
	});

	it('should fail the item with a clear error for an invalid number', async () => {
		const { error } = await runErpNet(sandbox(), filtered({ field: 'CreditLimit', operator: 'ge', value: '12,5x' }));
		expect(error?.message).toMatch(/CreditLimit/);
		expect(error?.message).not.toMatch(/TypeError|undefined|Cannot read/);
	});

	it('should fail with a clear error for an invalid batch size', async () => {
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: locator(String(sandbox().store.list('Crm_Sales_Customers')[0].Id), 'id'),
			fieldsInput: 'json',
			jsonBody: '{"GracePeriodDays": 2}',
			options: { batching: 'independent', batchSize: '={{ "many" }}' },
		});
		expect(error?.message).toMatch(/Batch Size/);
		expect(error?.message).not.toMatch(/TypeError|undefined|Cannot read/);
	});
});
