/**
 * `npm run bench`: the node against the alternatives users have, on the local ERP.net sandbox with a
 * fixed per-request latency (a stand-in for a real network), fixed seed and sizes. Prints a table and
 * writes JSON to bench/results/. Each measurement runs several times; the table shows medians.
 */
import './env';

import axios from 'axios';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { pathToFileURL } from 'url';

import type { INodeType } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/src';
import { isRuntimeInstalled, runtimeDir } from '../scripts/n8n-runtime';
import { startSandbox } from '../sandbox/src';
// The built package, as it ships (`ErpNet.node` alone would resolve to the codex .json under tsx).
import { ErpNet } from '../dist/nodes/ErpNet/ErpNet.node.js';
import { ErpNetTrigger } from '../dist/nodes/ErpNet/ErpNetTrigger.node.js';
import { ErpNetInstantTrigger } from '../dist/nodes/ErpNet/ErpNetInstantTrigger.node.js';
// Its credential from the same build: node and credential share one process-wide session state (dist/core/session).
import { ErpNetApi } from '../dist/credentials/ErpNetApi.credentials.js';
import { erpNetCredentials } from '../test/helpers/erpnet';
import { CredentialStore, PollRunner, runNode } from '../test/helpers/n8n';
import { concurrencyScenario, printConcurrency } from './concurrency';
import { instantScenario } from './instant';
import { reliabilityScenario, reportReliability } from './reliability';
import { summarizeScenario } from './summarize';
import { rotationScenario } from './rotation';

const erpNetNode = new ErpNet();
const credentialTypes = [new ErpNetApi()];

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const READ_SIZES = [10_000, CUSTOMERS];
const UPDATES = Number(process.env.BENCH_UPDATES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SELECT = 'Number,Active';
/** What the trigger reads with Fields to Return `SELECT`: it always adds what it needs (Id, timestamp, creation time). */
const TRIGGER_SELECT = `${SELECT},Id,AggregateLastUpdateTimeUtc,CreationTime`;

interface Measurement {
	ms: number;
	requests: number;
	tokenRequests: number;
	records: number;
	peakHeapMb?: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function requestsSince(sandbox: Sandbox, index: number, prefix: string) {
	return sandbox.requests.slice(index).filter((entry) => entry.path.startsWith(prefix)).length;
}

/** Runs `work` and samples the heap while it runs: peak heap above the starting point, in MB. */
async function measure(sandbox: Sandbox, work: () => Promise<number>): Promise<Measurement> {
	(global as { gc?: () => void }).gc?.();
	const start = sandbox.requests.length;
	const baseline = process.memoryUsage().heapUsed;
	let peak = baseline;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().heapUsed);
	}, 20);
	const began = performance.now();
	const records = await work();
	const ms = performance.now() - began;
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().heapUsed);
	return {
		ms,
		records,
		requests: requestsSince(sandbox, start, '/api/domain/'),
		tokenRequests: requestsSince(sandbox, start, '/id/connect/token'),
		peakHeapMb: Math.round(((peak - baseline) / 1024 / 1024) * 10) / 10,
	};
}

async function nodeRead(sandbox: Sandbox, store: CredentialStore, count: number, select = SELECT): Promise<number> {
	const { items, error } = await runNode({
		credentialTypes,
		nodeType: erpNetNode,
		credentials: erpNetCredentials(sandbox),
		credentialStore: store,
		parameters: {
			resource: 'entity',
			operation: 'getAll',
			entitySet: { __rl: true, mode: 'name', value: 'Crm_Sales_Customers' },
			returnAll: count >= CUSTOMERS,
			limit: count,
			options: { select: select.split(',') },
		},
	});
	if (error) throw error;
	return items.length;
}

async function axiosToken(sandbox: Sandbox): Promise<string> {
	const response = await axios.post(
		`${sandbox.url}/id/connect/token`,
		new URLSearchParams({
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
			grant_type: 'client_credentials',
			scope: 'read update',
		}),
	);
	return String(response.data.access_token);
}

/**
 * The practical limit: a hand-written loop with one token that follows next links and, like any loop
 * that hands its result on, keeps the records it read.
 */
async function axiosRead(sandbox: Sandbox, token: string, count: number): Promise<number> {
	let url: string | undefined =
		`${sandbox.url}/api/domain/odata/Crm_Sales_Customers?$top=${Math.min(1000, count)}&$select=${SELECT}`;
	const records: unknown[] = [];
	while (url && records.length < count) {
		const response: { data: { value: unknown[]; '@odata.nextLink'?: string } } = await axios.get(url, {
			headers: { Authorization: `Bearer ${token}` },
		});
		for (const record of response.data.value) records.push(record);
		url = response.data['@odata.nextLink'];
	}
	return Math.min(records.length, count);
}

async function nodeUpdate(
	sandbox: Sandbox,
	store: CredentialStore,
	ids: string[],
	batching: 'off' | 'independent',
): Promise<number> {
	const { items, error } = await runNode({
		credentialTypes,
		nodeType: erpNetNode,
		credentials: erpNetCredentials(sandbox),
		credentialStore: store,
		input: ids.map((id, index) => ({ id, grace: index % 30 })),
		parameters: {
			resource: 'entity',
			operation: 'update',
			entitySet: { __rl: true, mode: 'name', value: 'Crm_Sales_Customers' },
			recordId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			fieldsInput: 'json',
			jsonBody: '={{ JSON.stringify({ GracePeriodDays: $json.grace }) }}',
			options: { batching, batchSize: 100, returnUpdated: false },
		},
	});
	if (error) throw error;
	return items.length;
}

/**
 * The real HTTP Request node (n8n-nodes-base of the n8n 2.41.1 that `npm start` and the e2e tests cache), one
 * PATCH per item with the ERP.net credential as its predefined credential type. Undefined when not cached.
 */
async function loadHttpRequestNode(): Promise<INodeType | undefined> {
	if (!isRuntimeInstalled()) return undefined;
	const file = join(
		runtimeDir(),
		'n8n',
		'node_modules',
		'n8n-nodes-base',
		'dist',
		'nodes',
		'HttpRequest',
		'V3',
		'HttpRequestV3.node.js',
	);
	const { HttpRequestV3 } = (await import(pathToFileURL(file).href)) as {
		HttpRequestV3: new (description: object) => INodeType;
	};
	return new HttpRequestV3({
		displayName: 'HTTP Request',
		name: 'httpRequest',
		group: ['output'],
		description: '',
		defaultVersion: 4.2,
	});
}

/**
 * The HTTP Request node's items, or 0 when the run failed (its error is kept in `failures`): a baseline that fails
 * (e.g. ERP.net's 429 for concurrent requests on one session) is a result, not a reason to stop the benchmark.
 */
async function httpRequestNodeUpdate(
	sandbox: Sandbox,
	store: CredentialStore,
	node: INodeType,
	ids: string[],
	failures: string[],
): Promise<number> {
	const { items, error } = await runNode({
		credentialTypes,
		nodeType: node,
		nodeTypeName: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		credentials: erpNetCredentials(sandbox),
		credentialStore: store,
		input: ids.map((id, index) => ({ id, grace: index % 30 })),
		parameters: {
			method: 'PATCH',
			url: `=${sandbox.url}/api/domain/odata/Crm_Sales_Customers({{ $json.id }})`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'erpNetApi',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ GracePeriodDays: $json.grace }) }}',
			options: {},
		},
	});
	if (error) {
		failures.push(`${error.message} (${String((error as { description?: unknown }).description ?? '')})`);
		return 0;
	}
	return items.length;
}

/** What users build today: one PATCH per item, as the HTTP Request node sends, from axios with one token. */
async function perItemPatch(sandbox: Sandbox, token: string, ids: string[]): Promise<number> {
	for (const [index, id] of ids.entries()) {
		await axios.patch(
			`${sandbox.url}/api/domain/odata/Crm_Sales_Customers(${id})`,
			{ GracePeriodDays: index % 30 },
			{ headers: { Authorization: `Bearer ${token}` } },
		);
	}
	return ids.length;
}

/** The trigger's stored state (workflow static data, as n8n saves it) during and after the last drain. */
const drainState = { largestBytes: 0, afterBytes: 0, afterSeenIds: 0 };

/** The ERP.net Trigger draining the whole set as a backlog (Start From: All), poll after poll, through n8n-core. */
async function triggerDrain(sandbox: Sandbox, store: CredentialStore): Promise<number> {
	const runner = new PollRunner({
		nodeType: new ErpNetTrigger(),
		credentials: erpNetCredentials(sandbox),
		credentialStore: store,
		parameters: {
			entitySet: { __rl: true, mode: 'name', value: 'Crm_Sales_Customers' },
			event: 'createdOrUpdated',
			startFrom: 'all',
			options: { select: SELECT.split(',') },
		},
	});
	let emitted = 0;
	drainState.largestBytes = 0;
	for (let poll = 0; poll < 1000; poll++) {
		const { items, error, staticData } = await runner.poll();
		if (error) throw error;
		emitted += items.length;
		const bytes = JSON.stringify(staticData).length;
		drainState.largestBytes = Math.max(drainState.largestBytes, bytes);
		drainState.afterBytes = bytes;
		const state = staticData.incrementalPull as { scan?: unknown; seen?: object } | undefined;
		drainState.afterSeenIds = Object.keys(state?.seen ?? {}).length;
		if (state?.scan === undefined) break;
	}
	return emitted;
}

function summarize(label: string, results: Measurement[]) {
	const summary = {
		label,
		runs: results.length,
		medianMs: Math.round(median(results.map((result) => result.ms))),
		records: results[0].records,
		requests: results[0].requests,
		tokenRequests: results.reduce((sum, result) => sum + result.tokenRequests, 0),
		medianPeakHeapMb: median(results.map((result) => result.peakHeapMb ?? 0)),
	};
	process.stdout.write(`  ${label}: ${summary.medianMs} ms, ${summary.requests} requests\n`);
	return summary;
}

async function repeat(label: string, sandbox: Sandbox, runs: number, work: () => Promise<number>, warmUp = true) {
	// One unmeasured run first, so that module loading and JIT warm-up do not land in the figures.
	if (warmUp) await work();
	const results: Measurement[] = [];
	for (let run = 0; run < runs; run++) results.push(await measure(sandbox, work));
	return summarize(label, results);
}

/** Runs two variants alternately (after a warm-up of each), so that machine noise hits both alike. */
async function compare(
	sandbox: Sandbox,
	runs: number,
	first: [string, () => Promise<number>],
	second: [string, () => Promise<number>],
) {
	await first[1]();
	await second[1]();
	const firstResults: Measurement[] = [];
	const secondResults: Measurement[] = [];
	for (let run = 0; run < runs; run++) {
		firstResults.push(await measure(sandbox, first[1]));
		secondResults.push(await measure(sandbox, second[1]));
	}
	return [summarize(first[0], firstResults), summarize(second[0], secondResults)];
}

/** The trigger draining every customer against Get Many reading the same records with the same fields. */
async function triggerScenario(sandbox: Sandbox, store: CredentialStore): Promise<Record<string, unknown>> {
	const [drain, read] = await compare(
		sandbox,
		RUNS + 2,
		[`trigger backlog ${CUSTOMERS}: ERP.net Trigger`, () => triggerDrain(sandbox, store)],
		[`trigger backlog ${CUSTOMERS}: Get Many (same fields)`, () => nodeRead(sandbox, store, CUSTOMERS, TRIGGER_SELECT)],
	);
	process.stdout.write(
		`  stored state after the drain: ${drainState.afterBytes} bytes (${drainState.afterSeenIds} Ids), largest ${drainState.largestBytes} bytes\n`,
	);
	return {
		scenario: `trigger backlog ${CUSTOMERS}`,
		trigger: drain,
		getMany: read,
		throughputRatio: read.medianMs / drain.medianMs,
		storedStateBytesAfterDrain: drainState.afterBytes,
		storedStateIdsAfterDrain: drainState.afterSeenIds,
		storedStateBytesLargest: drainState.largestBytes,
	};
}

/** `BENCH_ONLY=trigger npm run bench`: only the trigger backlog (its own report file; latest.json stays). */
async function triggerOnly() {
	const sandbox = await benchSandbox();
	try {
		const results = [await triggerScenario(sandbox, new CredentialStore())];
		printTable(results);
		writeReport(results, 'bench-trigger');
	} finally {
		await sandbox.close();
	}
}

/** `update 1000`: the node's `$batch` against one PATCH per item (and the HTTP Request node when it is cached). */
async function updateScenario(
	sandbox: Sandbox,
	store: CredentialStore,
	token: string,
	httpRequestNode: Awaited<ReturnType<typeof loadHttpRequestNode>>,
): Promise<Record<string, unknown>> {
	const ids = sandbox.store
		.list('Crm_Sales_Customers')
		.slice(0, UPDATES)
		.map((record) => String(record.Id));
	const batched = await repeat(`update ${UPDATES}: node $batch`, sandbox, RUNS, () =>
		nodeUpdate(sandbox, store, ids, 'independent'),
	);
	const itemByItem = await repeat(
		`update ${UPDATES}: node per item`,
		sandbox,
		1,
		() => nodeUpdate(sandbox, store, ids, 'off'),
		false,
	);
	const httpNode = await repeat(
		`update ${UPDATES}: one PATCH per item`,
		sandbox,
		1,
		() => perItemPatch(sandbox, token, ids),
		false,
	);
	const update: Record<string, unknown> = {
		scenario: `update ${UPDATES}`,
		nodeBatch: batched,
		nodePerItem: itemByItem,
		perItemPatch: httpNode,
		batchSpeedupVsPerItemPatch: httpNode.medianMs / batched.medianMs,
	};
	if (httpRequestNode) {
		// Two runs with one credential store: the first starts without a token, the second reuses the stored one.
		const httpStore = new CredentialStore();
		const firstFailures: string[] = [];
		const secondFailures: string[] = [];
		const firstRun = await repeat(
			`update ${UPDATES}: HTTP Request node (no stored token)`,
			sandbox,
			1,
			() => httpRequestNodeUpdate(sandbox, httpStore, httpRequestNode, ids, firstFailures),
			false,
		);
		const secondRun = await repeat(
			`update ${UPDATES}: HTTP Request node (stored token)`,
			sandbox,
			1,
			() => httpRequestNodeUpdate(sandbox, httpStore, httpRequestNode, ids, secondFailures),
			false,
		);
		Object.assign(update, {
			httpRequestNodeFirstRun: { ...firstRun, failed: firstFailures[0] },
			httpRequestNodeSecondRun: { ...secondRun, failed: secondFailures[0] },
		});
	} else {
		process.stdout.write('  (HTTP Request node skipped: run npm start or npm run test:e2e once to cache n8n 2.41.1)\n');
	}
	return update;
}

/** The read comparison alone (node vs axios loop, every read size). */
async function readOnly() {
	const sandbox = await benchSandbox();
	try {
		const results = await readScenarios(sandbox, new CredentialStore(), await axiosToken(sandbox));
		printTable(results);
		writeReport(results, 'bench-read');
	} finally {
		await sandbox.close();
	}
}

async function readScenarios(
	sandbox: Sandbox,
	store: CredentialStore,
	token: string,
): Promise<Record<string, unknown>[]> {
	const results: Record<string, unknown>[] = [];
	for (const size of READ_SIZES) {
		const runs = size > 20_000 ? RUNS + 2 : RUNS + 4;
		const [node, loop] = await compare(
			sandbox,
			runs,
			[`read ${size}: node`, () => nodeRead(sandbox, store, size)],
			[`read ${size}: axios loop`, () => axiosRead(sandbox, token, size)],
		);
		results.push({ scenario: `read ${size}`, node, axiosLoop: loop, throughputRatio: loop.medianMs / node.medianMs });
	}
	return results;
}

/**
 * `BENCH_ONLY=update npm run bench`: only the batched update, without the HTTP Request node (its own report file;
 * latest.json stays).
 */
async function updateOnly() {
	const sandbox = await benchSandbox();
	try {
		const results = [await updateScenario(sandbox, new CredentialStore(), await axiosToken(sandbox), undefined)];
		printTable(results);
		writeReport(results, 'bench-update');
	} finally {
		await sandbox.close();
	}
}

async function benchSandbox(): Promise<Sandbox> {
	process.stdout.write(`Starting the sandbox with ${CUSTOMERS} customers and ${LATENCY_MS} ms latency...\n`);
	return await startSandbox({
		port: 0,
		seed: 42,
		sizes: { customers: CUSTOMERS, products: 50, salesOrders: 20 },
		latencyMs: LATENCY_MS,
		rateLimit: { requestsPerMinute: 1_000_000 },
	});
}

/** `BENCH_ONLY=concurrency npm run bench`: only the concurrency scenario (it seeds its own small sandbox). */
async function concurrencyOnly() {
	const concurrency = await concurrencyScenario(erpNetNode, await loadHttpRequestNode(), LATENCY_MS);
	printConcurrency(concurrency);
	writeReport([{ scenario: 'concurrency', variants: concurrency }], 'bench-concurrency');
}

/** `BENCH_ONLY=rotation npm run bench`: heap over `BENCH_ROTATIONS` (10,000) executions with a rotating secret. */
async function rotationOnly() {
	const figure = await rotationScenario(erpNetNode, credentialTypes, Number(process.env.BENCH_ROTATIONS ?? 10_000));
	process.stdout.write(`${JSON.stringify(figure, null, 2)}\n`);
	writeReport([{ scenario: 'secret rotation', ...figure }], 'bench-rotation');
}

function writeReport(results: Record<string, unknown>[], prefix = 'bench') {
	const outDir = join(__dirname, 'results');
	mkdirSync(outDir, { recursive: true });
	const file = join(outDir, `${prefix}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
	const report = {
		date: new Date().toISOString(),
		latencyMs: LATENCY_MS,
		customers: CUSTOMERS,
		node: process.version,
		results,
	};
	writeFileSync(file, JSON.stringify(report, null, 2));
	if (prefix === 'bench') writeFileSync(join(outDir, 'latest.json'), JSON.stringify(report, null, 2));
	process.stdout.write(`\nWrote ${file}\n`);
}

async function main() {
	if (process.env.BENCH_ONLY === 'concurrency') return await concurrencyOnly();
	if (process.env.BENCH_ONLY === 'reliability')
		return reportReliability(await reliabilityScenario(erpNetNode, LATENCY_MS), LATENCY_MS);
	if (process.env.BENCH_ONLY === 'trigger') return await triggerOnly();
	if (process.env.BENCH_ONLY === 'update') return await updateOnly();
	if (process.env.BENCH_ONLY === 'read') return await readOnly();
	if (process.env.BENCH_ONLY === 'summarize') {
		return writeReport([await summarizeScenario(erpNetNode, credentialTypes, LATENCY_MS)], 'bench-summarize');
	}
	if (process.env.BENCH_ONLY === 'rotation') return await rotationOnly();
	if (process.env.BENCH_ONLY === 'instant') {
		const instant = await instantScenario(new ErpNetInstantTrigger(), new ErpNetTrigger(), LATENCY_MS);
		process.stdout.write(`${JSON.stringify(instant, null, 2)}\n`);
		return writeReport([instant], 'bench-instant');
	}
	const seedStarted = performance.now();
	const sandbox = await benchSandbox();
	try {
		const store = new CredentialStore();
		const token = await axiosToken(sandbox);
		const results: Record<string, unknown>[] = [
			{ scenario: `seed ${CUSTOMERS} customers`, seedAndStartMs: Math.round(performance.now() - seedStarted) },
		];

		results.push(...(await readScenarios(sandbox, store, token)));

		results.push(await triggerScenario(sandbox, store));

		const httpRequestNode = await loadHttpRequestNode();
		results.push(await updateScenario(sandbox, store, token, httpRequestNode));

		// The ERP.net node ran every one of its measurements on `store`: its token requests are the hook's runs there.
		const nodeBearer = `Bearer ${String(store.data('erpNetApi')?.accessToken)}`;
		results.push({
			scenario: 'token requests',
			domainApiRequests: sandbox.requests.filter((entry) => entry.headers.authorization === nodeBearer).length,
			tokenRequestsByTheNode: store.preAuthenticationRuns,
		});

		const reliability = await reliabilityScenario(erpNetNode, LATENCY_MS);
		results.push({ scenario: 'reliability', cases: reliability });
		printTable(results);
		reportReliability(reliability, LATENCY_MS);
		const concurrency = await concurrencyScenario(erpNetNode, httpRequestNode, LATENCY_MS);
		printConcurrency(concurrency);
		results.push({ scenario: 'concurrency', variants: concurrency });
		writeReport(results);
	} finally {
		await sandbox.close();
	}
}

function printTable(results: Record<string, unknown>[]) {
	const rows: string[][] = [
		['scenario', 'variant', 'median ms', 'requests', 'token requests', 'peak heap MB', 'ratio'],
	];
	for (const result of results) {
		for (const [variant, value] of Object.entries(result)) {
			if (value && typeof value === 'object' && 'medianMs' in value) {
				const summary = value as {
					medianMs: number;
					requests: number;
					tokenRequests: number;
					medianPeakHeapMb: number;
				};
				rows.push([
					String(result.scenario),
					variant,
					String(summary.medianMs),
					String(summary.requests),
					String(summary.tokenRequests),
					String(summary.medianPeakHeapMb),
					'',
				]);
			}
		}
		if (typeof result.seedAndStartMs === 'number')
			rows.push([
				String(result.scenario),
				'generate seed + start sandbox',
				String(result.seedAndStartMs),
				'',
				'',
				'',
				'',
			]);
		for (const key of ['throughputRatio', 'batchSpeedupVsPerItemPatch']) {
			if (typeof result[key] === 'number')
				rows.push([String(result.scenario), key, '', '', '', '', (result[key] as number).toFixed(2)]);
		}
		if ('tokenRequestsByTheNode' in result) {
			rows.push([
				String(result.scenario),
				'token requests by the node',
				'',
				String(result.domainApiRequests),
				'',
				'',
				String(result.tokenRequestsByTheNode),
			]);
		}
	}
	const widths = rows[0].map((_cell, column) => Math.max(...rows.map((row) => row[column].length)));
	process.stdout.write('\n');
	for (const row of rows)
		process.stdout.write(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |\n`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
