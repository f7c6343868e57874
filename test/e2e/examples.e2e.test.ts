/**
 * The example workflows that `npm start` imports (examples/workflows/*.json), exactly as shipped, executed by
 * a real n8n against the sandbox: each one succeeds and does what its name says.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME, loadExampleWorkflows } from '../../scripts/examples';
import { insertRecentSalesOrder } from './helpers/data';
import { N8nInstance, type WorkflowJson } from './helpers/n8n';
import { domainRequests, startE2eSandbox, type Sandbox, sandboxCredential } from './helpers/sandbox';

/** erpnetExOrderSlack (the instant trigger) is published and pushed to in instant-trigger.e2e.test.ts. */
const TESTED = [
	'erpnetExListCust',
	'erpnetExUpdPrice',
	'erpnetExHourlyCsv',
	'erpnetExReleasePrint',
	'erpnetExOrderHook',
	'erpnetExMonthlySales',
	'erpnetExOrderSlack',
];
const ERPNET_TYPES = [
	'n8n-nodes-erpnet.erpNet',
	'n8n-nodes-erpnet.erpNetTrigger',
	'n8n-nodes-erpnet.erpNetInstantTrigger',
];

describe('example workflows (examples/workflows)', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	const examples = loadExampleWorkflows();
	const timings: Record<string, number> = {};

	beforeAll(async () => {
		sandbox = await startE2eSandbox();
		n8n = N8nInstance.create('examples');
		await n8n.importCredentials([sandboxCredential(sandbox, EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME)]);
		await n8n.importWorkflows(examples as unknown as WorkflowJson[]);
	});

	afterAll(async () => {
		await sandbox?.close();
		n8n?.remove();
		process.stderr.write(`[e2e examples] timings (ms): ${JSON.stringify(timings)}\n`);
	});

	test('every shipped example is covered by a test below and uses the ERP.net node with the example credential', () => {
		expect(examples.map((w) => w.id).sort()).toEqual([...TESTED].sort());
		for (const workflow of examples) {
			const erpNetNodes = workflow.nodes.filter((n) => ERPNET_TYPES.includes(n.type));
			expect(erpNetNodes.length).toBeGreaterThan(0);
			for (const node of erpNetNodes) {
				expect(node.typeVersion).toBe(1);
				expect(node.credentials?.erpNetApi).toEqual({ id: EXAMPLE_CREDENTIAL_ID, name: EXAMPLE_CREDENTIAL_NAME });
			}
			// the CLI (and the editor's Execute button) needs a Manual Trigger, unless the ERP.net Trigger starts it
			const triggered = workflow.nodes.some(
				(n) => n.type === 'n8n-nodes-erpnet.erpNetTrigger' || n.type === 'n8n-nodes-erpnet.erpNetInstantTrigger',
			);
			expect(triggered || workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')).toBe(true);
		}
	});

	test('"When a sales order changes" polls sales orders every minute and posts each change to the webhook', () => {
		const workflow = examples.find((w) => w.id === 'erpnetExOrderHook')!;
		const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-erpnet.erpNetTrigger')!;
		expect(trigger.parameters).toMatchObject({
			pollTimes: { item: [{ mode: 'everyMinute' }] },
			entitySet: { value: 'Crm_Sales_SalesOrders' },
			event: 'createdOrUpdated',
			startFrom: 'now',
		});
		const post = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.httpRequest')!;
		expect(post.parameters).toMatchObject({ method: 'POST', sendBody: true, specifyBody: 'json' });
		expect(workflow.connections).toEqual({ [trigger.name]: { main: [[{ node: post.name, type: 'main', index: 0 }]] } });
	});

	test('"List active customers" returns the first 50 active customers', async () => {
		const result = await n8n.execute('erpnetExListCust');
		timings.listActiveCustomers = result.cli.tookMs;
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		const items = result.items('Get active customers');
		const active = sandbox.store.list('Crm_Sales_Customers').filter((c) => c.Active === true);
		expect(active.length).toBeGreaterThan(0);
		expect(items).toHaveLength(Math.min(50, active.length));
		expect(items.every((i) => i.Active === true)).toBe(true);
		// Simplify: no @odata annotations; $select + $expand: the number and the party's name
		expect(items.every((i) => Object.keys(i).every((k) => !k.startsWith('@odata')))).toBe(true);
		expect(items.every((i) => typeof i.Number === 'string')).toBe(true);
		// PartyName is a multi-language string, e.g. { EN, BG } (some parties have only one language)
		for (const item of items) {
			const name = (item.Party as { PartyName?: Record<string, unknown> } | null)?.PartyName ?? {};
			expect(Object.values(name).some((text) => typeof text === 'string' && text !== '')).toBe(true);
		}
		const activeIds = new Set(active.map((c) => c.Id));
		expect(new Set(items.map((i) => i.Id)).size).toBe(items.length);
		expect(items.every((i) => activeIds.has(i.Id))).toBe(true);
	});

	test('"Update a product\'s price" changes StandardPricePerLot of that product only', async () => {
		const workflow = examples.find((w) => w.id === 'erpnetExUpdPrice')!;
		const setNode = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.set')!;
		const assignments = (setNode.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> })
			.assignments;
		const partNumber = String(assignments.find((a) => a.name === 'PartNumber')!.value);
		const newPrice = Number(assignments.find((a) => a.name === 'NewPrice')!.value);
		const product = sandbox.store.list('General_Products_Products').find((p) => p.PartNumber === partNumber);
		expect(product).toBeDefined();
		const before = product!.StandardPricePerLot as { Value: number; Currency: string };
		expect(before.Value).not.toBe(newPrice);
		const othersBefore = sandbox.store.list('General_Products_Products').filter((p) => p.Id !== product!.Id);

		const since = sandbox.requests.length;
		const result = await n8n.execute('erpnetExUpdPrice');
		timings.updateProductPrice = result.cli.tookMs;
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);

		const after = sandbox.store.get('General_Products_Products', String(product!.Id))!;
		expect(after.StandardPricePerLot).toEqual({ Value: newPrice, Currency: before.Currency });
		const [updated] = result.items('Update the price');
		expect(updated.Id).toBe(product!.Id);
		expect(updated.StandardPricePerLot).toEqual({ Value: newPrice, Currency: before.Currency });
		const patches = domainRequests(sandbox, since).filter((r) => r.method === 'PATCH');
		expect(patches).toHaveLength(1);
		expect(JSON.parse(patches[0].body)).toEqual({
			StandardPricePerLot: { Value: newPrice, Currency: before.Currency },
		});
		const othersAfter = sandbox.store.list('General_Products_Products').filter((p) => p.Id !== product!.Id);
		expect(othersAfter.map((p) => p.StandardPricePerLot)).toEqual(othersBefore.map((p) => p.StandardPricePerLot));
	});

	test('"Every hour, export new sales orders to a CSV file" writes the orders of the last hour, and only those', async () => {
		const recent = insertRecentSalesOrder(sandbox, { minutesAgo: 10, documentNo: 'E2E-RECENT-1' });
		const older = insertRecentSalesOrder(sandbox, { minutesAgo: 90, documentNo: 'E2E-OLDER-1' });
		const since = sandbox.requests.length;
		const result = await n8n.execute('erpnetExHourlyCsv');
		timings.hourlyCsv = result.cli.tookMs;
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		const [written] = result.items('Write the CSV file');
		expect(String(written.fileName)).toMatch(/^\.n8n-files\/sales-orders-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
		const file = path.join(n8n.userFolder, String(written.fileName));
		const csv = fs.readFileSync(file, 'utf8').trim().split('\n');
		expect(csv[0]).toBe('DocumentNo,DocumentDate,CreationTime,State,Customer,Amount,Currency,Id');
		const rows = csv.slice(1);
		expect(rows.some((row) => row.startsWith(`${recent.DocumentNo},`) && row.endsWith(`,${recent.Id}`))).toBe(true);
		expect(rows.some((row) => row.startsWith(`${older.DocumentNo},`))).toBe(false);
		// one request to ERP.net, filtered on the server by day
		const orders = domainRequests(sandbox, since).filter((r) => r.path === '/api/domain/odata/Crm_Sales_SalesOrders');
		expect(orders.length).toBeGreaterThanOrEqual(1);
		const query = new URLSearchParams(orders[0].query.replace(/^\?/, ''));
		expect(query.get('$filter')).toMatch(/^CreationTime ge \d{4}-\d{2}-\d{2}T00:00:00Z$/);
		expect(query.get('$expand')).toBe('Customer($select=Number)');
	});

	test('"Monthly sales per customer to a sheet" sums the order lines per customer, month and currency in one request', async () => {
		const since = sandbox.requests.length;
		const result = await n8n.execute('erpnetExMonthlySales');
		timings.monthlySales = result.cli.tookMs;
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		const idOf = (reference: unknown) =>
			String((reference as { '@odata.id': string })['@odata.id']).replace(/^.*\(|\)$/g, '');
		const expected = new Map<string, { sales: number; lines: number }>();
		for (const line of sandbox.store.list('Crm_Sales_SalesOrderLines')) {
			const order = sandbox.store.get('Crm_Sales_SalesOrders', idOf(line.SalesOrder));
			if (!order || order.Void === true) continue;
			const customer = sandbox.store.get('Crm_Sales_Customers', idOf(order.Customer))!;
			const amount = line.LineAmount as { Value: number; Currency: string };
			const key = `${String(order.DocumentDate).slice(0, 7)}|${String(customer.Number)}|${amount.Currency}`;
			const total = expected.get(key) ?? { sales: 0, lines: 0 };
			expected.set(key, { sales: total.sales + amount.Value, lines: total.lines + 1 });
		}
		const rows = result.items('Sheet columns');
		expect(rows).toHaveLength(expected.size);
		for (const row of rows) {
			const total = expected.get(`${String(row.Month)}|${String(row.Customer)}|${String(row.Currency)}`);
			expect(total).toBeDefined();
			expect(row.Sales).toBeCloseTo(total!.sales, 2);
			expect(row.Lines).toBe(total!.lines);
			expect(typeof row.Name).toBe('string');
		}
		const months = rows.map((row) => String(row.Month));
		expect(months).toEqual([...months].sort());
		const sheet = result.run.data.resultData.runData['Convert to sheet'][0].data!.main[0]![0].binary!.data as Record<
			string,
			unknown
		>;
		expect(String(sheet.fileName)).toMatch(/^sales-per-customer-\d{4}-\d{2}\.xlsx$/);
		expect(sheet.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		// the totals are computed by ERP.net: one grouped request, no line read one by one
		const reads = domainRequests(sandbox, since).filter(
			(r) => r.path === '/api/domain/odata/Crm_Sales_SalesOrderLines',
		);
		expect(reads).toHaveLength(1);
		expect(new URLSearchParams(reads[0].query.replace(/^\?/, '')).get('$apply')).toBe(
			'compute(yearmonth(SalesOrder/DocumentDate) as Month)/groupby((SalesOrder/Customer,Month),aggregate(LineAmount with sum as Sales,$count as Lines))',
		);
	});

	test('"Release planned sales orders and save their PDFs" releases three orders and writes a valid PDF of each', async () => {
		const planned = sandbox.store
			.list('Crm_Sales_SalesOrders')
			.filter((order) => order.State === 'Planned' && order.Void === false)
			.slice(0, 3);
		expect(planned).toHaveLength(3);
		const since = sandbox.requests.length;
		const result = await n8n.execute('erpnetExReleasePrint');
		timings.releaseAndPrint = result.cli.tookMs;
		expect(result.error).toBeUndefined();
		expect(result.ok).toBe(true);
		// the sandbox's documents are Released now (working-with-documents.md: ChangeState)
		const released = result.items('Release the order');
		expect(released.map((order) => order.Id)).toEqual(planned.map((order) => order.Id));
		for (const order of planned)
			expect(sandbox.store.get('Crm_Sales_SalesOrders', String(order.Id))?.State).toBe('Released');
		expect(released.every((order) => order.State === 'Released')).toBe(true);
		// one PDF file per order, named after the order number, each a complete PDF
		const written = result.items('Write the PDF file');
		expect(written.map((item) => item.fileName)).toEqual(
			planned.map((order) => `.n8n-files/${String(order.DocumentNo)}.pdf`),
		);
		for (const order of planned) {
			const pdf = fs.readFileSync(path.join(n8n.userFolder, '.n8n-files', `${String(order.DocumentNo)}.pdf`));
			const text = pdf.toString('latin1');
			expect(text.startsWith('%PDF-1.')).toBe(true);
			expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
			const startxref = Number(/startxref\n(\d+)\n%%EOF\s*$/.exec(text)?.[1]);
			expect(text.slice(startxref, startxref + 4)).toBe('xref');
			expect(text).toContain(String(order.DocumentNo));
		}
		const posts = domainRequests(sandbox, since).filter((r) => r.method === 'POST');
		expect(posts.map((r) => r.path.replace(/\(.*\)/, '(id)'))).toEqual([
			...planned.map(() => '/api/domain/odata/Crm_Sales_SalesOrders(id)/ChangeState'),
			...planned.map(() => '/api/domain/odata/Crm_Sales_SalesOrders(id)/GetPrintout'),
		]);
	});
});
