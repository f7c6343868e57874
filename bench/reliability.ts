/**
 * The Reliability table's figures (README "Reliability"): each hardening guarantee run once through the
 * built node and n8n-core against its own sandbox with the benchmark's latency, measuring wall time, the requests
 * that reached ERP.net (or another origin) and the outcome. `BENCH_ONLY=reliability npm run bench` runs only this.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';

import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import type { Sandbox } from '../sandbox/src';
import { startSandbox } from '../sandbox/src';
import { erpNetCredentials } from '../test/helpers/erpnet';
import { CredentialStore, runNode, serializeForLeakCheck, type RunNodeResult } from '../test/helpers/n8n';

export interface ReliabilityFigure {
	guarantee: string;
	ms: number;
	/** Requests that reached the Domain API (or, for redirects and sibling paths, the other address). */
	requests: number;
	outcome: string;
}

const locator = (value: string, mode = 'name') => ({ __rl: true, mode, value });
const CUSTOMERS = 'Crm_Sales_Customers';
const PRODUCTS = 'General_Products_Products';

export async function reliabilityScenario(erpNetNode: INodeType, latencyMs: number): Promise<ReliabilityFigure[]> {
	const sandbox = await startSandbox({
		port: 0,
		seed: 7,
		sizes: { customers: 60, products: 120, salesOrders: 2 },
		latencyMs,
	});
	const figures: ReliabilityFigure[] = [];
	const store = new CredentialStore();
	const run = (parameters: INodeParameters, options: { input?: IDataObject[]; store?: CredentialStore } = {}) =>
		runNode({
			nodeType: erpNetNode,
			credentials: erpNetCredentials(sandbox),
			credentialStore: options.store ?? store,
			input: options.input,
			parameters: { resource: 'entity', ...parameters },
		});
	/** Runs one case and records its time and the requests the sandbox (or `elsewhere`) saw. */
	async function measure(guarantee: string, work: () => Promise<string>, counted: () => number = () => 0) {
		sandbox.control.clearLog();
		const began = performance.now();
		const outcome = await work();
		const ms = Math.round(performance.now() - began);
		const requests =
			counted() || sandbox.requests.filter((entry) => entry.path.startsWith('/api/domain/odata/')).length;
		figures.push({ guarantee, ms, requests, outcome });
		sandbox.control.clearFaults();
		process.stdout.write(`  reliability: ${guarantee}: ${ms} ms, ${requests} requests, ${outcome}\n`);
	}
	try {
		await run({
			operation: 'get',
			entitySet: locator(CUSTOMERS),
			recordId: locator(String(sandbox.store.list(CUSTOMERS)[0].Id), 'id'),
		}); // token + model warm-up
		await multiLanguage(sandbox, run, measure);
		await lockingAndBatches(sandbox, run, measure);
		await tokenAndRedirects(sandbox, run, measure);
		await pagingAndRetries(sandbox, run, measure);
	} finally {
		await sandbox.close();
	}
	return figures;
}

type Run = (
	parameters: INodeParameters,
	options?: { input?: IDataObject[]; store?: CredentialStore },
) => Promise<RunNodeResult>;
type Measure = (guarantee: string, work: () => Promise<string>, counted?: () => number) => Promise<void>;

const nameOf = (sandbox: Sandbox, id: unknown) =>
	sandbox.store.get(PRODUCTS, String(id))?.Name as Record<string, string>;
const mapper = (value: Record<string, string>) => ({
	mappingMode: 'defineBelow',
	value,
	schema: [],
	matchingColumns: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

async function multiLanguage(sandbox: Sandbox, run: Run, measure: Measure) {
	const products = (sandbox.store.list(PRODUCTS) as IDataObject[]).filter(
		(product) => Object.keys((product.Name as object) ?? {}).length > 1,
	);
	const kept = (records: IDataObject[]) =>
		records.filter((product) => nameOf(sandbox, product.Id).EN === (product.Name as Record<string, string>).EN).length;
	const single = products[0];
	await measure('multi-language Update, 1 item (plain text in bg)', async () => {
		await run({
			operation: 'update',
			entitySet: locator(PRODUCTS),
			recordId: locator(String(single.Id), 'id'),
			fieldsInput: 'mapper',
			columns: mapper({ Name: 'Име' }),
			options: { language: 'bg', returnUpdated: false },
		});
		return `EN kept: ${kept([single])}/1`;
	});
	const batch = products.slice(1, 51);
	await measure(`multi-language Update, ${batch.length} items batched`, async () => {
		await run(
			{
				operation: 'update',
				entitySet: locator(PRODUCTS),
				recordId: locator('={{ $json.id }}', 'id'),
				fieldsInput: 'mapper',
				columns: mapper({ Name: '={{ $json.name }}' }),
				options: { language: 'bg', batching: 'independent', returnUpdated: false },
			},
			{ input: batch.map((product, index) => ({ id: String(product.Id), name: `Име ${index}` })) },
		);
		return `EN kept: ${kept(batch)}/${batch.length}`;
	});
	const upserted = products[51];
	await measure('multi-language Create or Update by code, 1 item', async () => {
		await run({
			operation: 'upsert',
			entitySet: locator(PRODUCTS),
			matchBy: 'Code',
			matchValue: String(upserted.PartNumber),
			fieldsInput: 'mapper',
			columns: mapper({ Name: 'Име' }),
			options: { language: 'bg' },
		});
		return `EN kept: ${kept([upserted])}/1`;
	});
}

async function lockingAndBatches(sandbox: Sandbox, run: Run, measure: Measure) {
	const ordered = JSON.stringify(sandbox.store.list('Crm_Sales_SalesOrders'));
	const target = sandbox.store.list(CUSTOMERS).find((candidate) => !ordered.includes(String(candidate.Id)))!;
	await measure('Delete with a stale Expected Object Version', async () => {
		const { error } = await run({
			operation: 'delete',
			entitySet: locator(CUSTOMERS),
			recordId: locator(String(target.Id), 'id'),
			options: { objectVersion: Number(target.ObjectVersion) + 1 },
		});
		return `${error ? 'refused' : 'DELETED'}, record ${sandbox.store.get(CUSTOMERS, String(target.Id)) ? 'kept' : 'GONE'}`;
	});
	await measure('Update with Expected Object Version "7a"', async () => {
		const { error } = await run({
			operation: 'update',
			entitySet: locator(CUSTOMERS),
			recordId: locator(String(target.Id), 'id'),
			fieldsInput: 'json',
			jsonBody: '{"GracePeriodDays": 3}',
			options: { objectVersion: '7a' },
		});
		return error ? 'item failed before any request' : 'SENT';
	});
	const party = sandbox.store.list(CUSTOMERS)[1].Party;
	await measure('Independent $batch of 3, the 2nd invalid', async () => {
		const { error } = await run(
			{
				operation: 'create',
				entitySet: locator(CUSTOMERS),
				fieldsInput: 'json',
				jsonBody: '={{ JSON.stringify($json.body) }}',
				options: { batching: 'independent' },
			},
			{
				input: [
					{ body: { Number: 'BENCH-1', Party: party } },
					{ body: { Number: 'BENCH-2', Party: 'not-a-reference-{' } },
					{ body: { Number: 'BENCH-3', Party: party } },
				],
			},
		);
		const saved = sandbox.store.list(CUSTOMERS).filter((record) => /^BENCH-/.test(String(record.Number)));
		const named = saved.filter((record) =>
			`${error?.message} ${error?.description}`.includes(String(record.Id)),
		).length;
		return `${saved.length} saved, ${named} named with their IDs in the error`;
	});
	await measure('@erpnet.action inside a mapped value', async () => {
		const { error } = await run({
			operation: 'update',
			entitySet: locator(CUSTOMERS),
			recordId: locator(String(target.Id), 'id'),
			fieldsInput: 'mapper',
			columns: mapper({ Party: '{"@erpnet.action":"create","PartyName":{"EN":"x"}}' }),
			options: {},
		});
		return error ? 'refused' : 'SENT';
	});
}

async function tokenAndRedirects(sandbox: Sandbox, run: Run, measure: Measure) {
	const id = String(sandbox.store.list(CUSTOMERS)[2].Id);
	const get = { operation: 'get', entitySet: locator(CUSTOMERS), recordId: locator(id, 'id') };
	// The token this process really sends (the session gate keeps one per process), so that the echoes carry it.
	sandbox.control.clearLog();
	await run(get);
	const token = String(
		sandbox.requests.find((entry) => entry.path.includes(CUSTOMERS))?.headers.authorization ?? '',
	).replace(/^Bearer /, '');
	const secrets = [token, token.split('.')[2], sandbox.clientSecret, encodeURIComponent(sandbox.clientSecret)];
	for (const [label, body, headers] of [
		[
			'JSON error',
			{ error: { code: 1, message: `Bad token ${token}`, info: secrets.join(' ') } },
			{ 'X-Echo': `Bearer ${token}` },
		],
		[
			'HTML page',
			`<html>\n\tAuthorization: Bearer ${token}\n   ${sandbox.clientSecret}</html>`,
			{ 'content-type': 'text/html' },
		],
	] as const) {
		await measure(`token and secret echoed in a 500 ${label}`, async () => {
			sandbox.control.injectFault({
				kind: 'status',
				method: 'GET',
				pathIncludes: `${CUSTOMERS}(${id})`,
				status: 500,
				body,
				headers,
			});
			const result = await run(get);
			const printed = serializeForLeakCheck(result.error, result.thrownError, result.run);
			const echoed = sandbox.requests.some((entry) => entry.headers.authorization === `Bearer ${token}`);
			return `${secrets.filter((secret) => printed.includes(secret)).length} of ${secrets.length} secret spellings in the run's output${echoed ? '' : ' (TOKEN CHANGED)'}`;
		});
	}
	const received: string[] = [];
	const server = createServer((req, res) => {
		received.push(`${req.method} ${req.url}`);
		req.resume();
		res.end('{}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const elsewhere = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	try {
		for (const [method, status, parameters] of [
			['GET', 302, get],
			[
				'PATCH',
				307,
				{
					operation: 'update',
					entitySet: locator(CUSTOMERS),
					recordId: locator(id, 'id'),
					fieldsInput: 'json',
					jsonBody: '{"GracePeriodDays": 5}',
				},
			],
		] as const) {
			await measure(
				`${method === 'GET' ? 'read' : 'write'} answered ${status} to another origin`,
				async () => {
					received.length = 0;
					sandbox.control.injectFault({
						kind: 'status',
						method,
						pathIncludes: `${CUSTOMERS}(${id})`,
						status,
						headers: { Location: `${elsewhere}/api/domain/odata/${CUSTOMERS}(${id})` },
						body: '',
					});
					const { error } = await run(parameters);
					return `${received.length} requests reached it; error names it: ${String(error?.message).includes(elsewhere) || String(error?.description).includes(elsewhere)}`;
				},
				() => received.length,
			);
		}
	} finally {
		await new Promise((resolve) => server.close(resolve));
	}
}

async function pagingAndRetries(sandbox: Sandbox, run: Run, measure: Measure) {
	const customers = sandbox.store
		.list(CUSTOMERS)
		.slice(0, 2)
		.map((record) => ({ '@odata.id': `${CUSTOMERS}(${String(record.Id)})`, ...record }));
	const readAll = { operation: 'getAll', entitySet: locator(CUSTOMERS), returnAll: true, options: { pageSize: 2 } };
	for (const [label, withLinks] of [
		['changing next links, same IDs', true],
		['pre-26.2 server ignoring $skip', false],
	] as const) {
		await measure(`read whose pages repeat records (${label}); Max Pages 10,000`, async () => {
			for (let page = 1; page <= 50; page++) {
				const nextLink = withLinks
					? { '@odata.nextLink': `${sandbox.url}/api/domain/odata/${CUSTOMERS}?$top=2&$skiptoken=${page}` }
					: {};
				sandbox.control.injectFault({
					kind: 'status',
					method: 'GET',
					pathIncludes: `/odata/${CUSTOMERS}`,
					status: 200,
					body: { value: customers, ...nextLink },
				});
			}
			const { error } = await run(readAll);
			return /already/i.test(String(error?.message))
				? 'stopped with a clear error'
				: `NOT STOPPED: ${String(error?.message)}`;
		});
	}
	const id = String(sandbox.store.list(CUSTOMERS)[3].Id);
	for (const retryAfter of ['0', '-5', '', new Date(Date.now() - 60_000).toUTCString()]) {
		await measure(`429 with Retry-After "${retryAfter.length > 10 ? 'a past date' : retryAfter}"`, async () => {
			sandbox.control.injectFault({
				kind: 'status',
				method: 'GET',
				pathIncludes: `${CUSTOMERS}(${id})`,
				status: 429,
				headers: { 'Retry-After': retryAfter },
			});
			const { error } = await run({ operation: 'get', entitySet: locator(CUSTOMERS), recordId: locator(id, 'id') });
			const [limited, retried] = sandbox.requests.filter((entry) => entry.path.includes(`${CUSTOMERS}(${id})`));
			const waited = Date.parse(retried?.time ?? '') - Date.parse(limited?.time ?? '');
			return `${error ? 'FAILED' : 'read'}; retried ${waited} ms after the 429`;
		});
	}
}

/** Prints the figures as a Markdown table and writes them to bench/results/reliability.json. */
export function reportReliability(figures: ReliabilityFigure[], latencyMs: number): void {
	process.stdout.write('\n| reliability case | ms | requests | outcome |\n|---|---|---|---|\n');
	for (const figure of figures)
		process.stdout.write(`| ${figure.guarantee} | ${figure.ms} | ${figure.requests} | ${figure.outcome} |\n`);
	const outDir = join(__dirname, 'results');
	mkdirSync(outDir, { recursive: true });
	const report = { date: new Date().toISOString(), latencyMs, node: process.version, figures };
	writeFileSync(join(outDir, 'reliability.json'), JSON.stringify(report, null, 2));
}
