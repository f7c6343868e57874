/**
 * `BENCH_ONLY=summarize`: totals of sales order lines per customer and currency, computed by ERP.net with Summarize
 * (`$apply`, https://docs.erp.net/dev/domain-api/querying-data/grouping.html) against Get Many reading every line
 * (with its order's customer) and summing in code, as a Code node would. Both must give the same totals.
 */
import type { IDataObject, INodeType, ICredentialType } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/src';
import { startSandbox } from '../sandbox/src';
import { erpNetCredentials } from '../test/helpers/erpnet';
import { CredentialStore, runNode } from '../test/helpers/n8n';

const LINES = 'Crm_Sales_SalesOrderLines';
/** About 2.5 lines per order (sandbox/src/seed/sales-orders.ts): 40,000 orders give about 100,000 lines. */
const ORDERS = Number(process.env.BENCH_SUMMARY_ORDERS ?? 40_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export interface SummaryMeasurement {
	medianMs: number;
	requests: number;
	megabytesMoved: number;
	medianPeakHeapMb: number;
	groups: number;
}

type Totals = Map<string, number>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function run(
	sandbox: Sandbox,
	nodeType: INodeType,
	credentialTypes: ICredentialType[],
	store: CredentialStore,
	parameters: IDataObject,
) {
	const { items, error } = await runNode({
		credentialTypes,
		nodeType,
		credentials: erpNetCredentials(sandbox),
		credentialStore: store,
		parameters: {
			resource: 'entity',
			entitySet: { __rl: true, mode: 'name', value: LINES },
			returnAll: true,
			...parameters,
		},
	});
	if (error) throw error;
	return items.map((item) => item.json);
}

/** Summarize: one grouped request (in chunks of 1,000 groups). */
async function bySummarize(
	sandbox: Sandbox,
	nodeType: INodeType,
	credentialTypes: ICredentialType[],
	store: CredentialStore,
): Promise<Totals> {
	const rows = await run(sandbox, nodeType, credentialTypes, store, {
		operation: 'summarize',
		groupBy: { key: [{ field: 'SalesOrder/Customer' }] },
		aggregations: { aggregation: [{ aggregation: 'sum', field: 'LineAmount', alias: 'Total' }] },
	});
	const totals: Totals = new Map();
	for (const row of rows) {
		const customer = ((row.SalesOrder as IDataObject).Customer as IDataObject).Id;
		const total = row.Total as { Value: number; Currency: string };
		totals.set(`${String(customer)}|${total.Currency}`, total.Value);
	}
	return totals;
}

/** Get Many of every line with its order's customer, then a sum per customer and currency in code. */
async function byGetMany(
	sandbox: Sandbox,
	nodeType: INodeType,
	credentialTypes: ICredentialType[],
	store: CredentialStore,
): Promise<Totals> {
	const lines = await run(sandbox, nodeType, credentialTypes, store, {
		operation: 'getAll',
		options: {
			select: ['LineAmount', 'SalesOrder'],
			expand: 'SalesOrder($select=Customer)',
			pageSize: 1000,
			simplify: true,
		},
	});
	const totals: Totals = new Map();
	for (const line of lines) {
		const customer = ((line.SalesOrder as IDataObject).Customer as IDataObject).Id;
		const amount = line.LineAmount as { Value: number; Currency: string };
		const key = `${String(customer)}|${amount.Currency}`;
		totals.set(key, Math.round(((totals.get(key) ?? 0) + amount.Value) * 100) / 100);
	}
	return totals;
}

async function measure(sandbox: Sandbox, work: () => Promise<Totals>) {
	(global as { gc?: () => void }).gc?.();
	const start = sandbox.requests.length;
	const baseline = process.memoryUsage().heapUsed;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
	const began = performance.now();
	const totals = await work();
	const ms = performance.now() - began;
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().heapUsed);
	const reads = sandbox.requests.slice(start).filter((entry) => entry.path.startsWith('/api/domain/'));
	return {
		totals,
		ms,
		requests: reads.length,
		bytes: reads.reduce((sum, entry) => sum + (entry.responseBytes ?? 0), 0),
		peakHeapMb: (peak - baseline) / 1024 / 1024,
	};
}

function summary(results: Array<Awaited<ReturnType<typeof measure>>>): SummaryMeasurement {
	return {
		medianMs: Math.round(median(results.map((result) => result.ms))),
		requests: results[0].requests,
		megabytesMoved: Math.round((results[0].bytes / 1024 / 1024) * 100) / 100,
		medianPeakHeapMb: Math.round(median(results.map((result) => result.peakHeapMb)) * 10) / 10,
		groups: results[0].totals.size,
	};
}

function sameTotals(left: Totals, right: Totals): boolean {
	if (left.size !== right.size) return false;
	for (const [key, value] of left) if (Math.abs((right.get(key) ?? NaN) - value) > 0.01) return false;
	return true;
}

export async function summarizeScenario(
	nodeType: INodeType,
	credentialTypes: ICredentialType[],
	latencyMs: number,
): Promise<Record<string, unknown>> {
	process.stdout.write(`Starting the sandbox with ${ORDERS} sales orders and ${latencyMs} ms latency...\n`);
	const sandbox = await startSandbox({
		port: 0,
		seed: 42,
		sizes: { customers: 300, products: 50, salesOrders: ORDERS },
		latencyMs,
		rateLimit: { requestsPerMinute: 1_000_000 },
	});
	try {
		const lines = sandbox.store.count(LINES);
		const store = new CredentialStore();
		const summarize = () => bySummarize(sandbox, nodeType, credentialTypes, store);
		const getMany = () => byGetMany(sandbox, nodeType, credentialTypes, store);
		await summarize();
		await getMany();
		const summarized: Array<Awaited<ReturnType<typeof measure>>> = [];
		const read: Array<Awaited<ReturnType<typeof measure>>> = [];
		for (let index = 0; index < RUNS; index++) {
			summarized.push(await measure(sandbox, summarize));
			read.push(await measure(sandbox, getMany));
		}
		if (!sameTotals(summarized[0].totals, read[0].totals))
			throw new Error('Summarize and Get Many + sum disagree on the totals');
		const result = {
			scenario: `totals per customer over ${lines} sales order lines`,
			summarize: summary(summarized),
			getManyAndSum: summary(read),
		};
		for (const [variant, value] of Object.entries(result)) {
			if (typeof value === 'object') {
				process.stdout.write(
					`  ${variant}: ${value.medianMs} ms, ${value.requests} requests, ${value.megabytesMoved} MB moved, peak heap ${value.medianPeakHeapMb} MB, ${value.groups} totals\n`,
				);
			}
		}
		return result;
	} finally {
		await sandbox.close();
	}
}
