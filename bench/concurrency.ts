/**
 * Concurrency scenario of `npm run bench`: 20 executions at once of a 2,345-record read through one credential
 * in one process, against the sandbox's documented per-session limits (1 running + 5 queued, then 429;
 * 600/min). The node (one session, requests one at a time) against the HTTP Request node with the same
 * credential (three $skip pages per execution, sent as n8n sends them). Figures: token requests, sessions
 * opened, 429s, total time, and the time as a ratio of 20 × one execution alone.
 */
import type { INodeType } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox/src';
// the built package's session state: the one the built node and credential share
import { resetSessionPools } from '../dist/core/session/index.js';
import { ErpNetApi } from '../dist/credentials/ErpNetApi.credentials.js';
import { erpNetCredentials } from '../test/helpers/erpnet';
import { CredentialStore, runNode } from '../test/helpers/n8n';

const RECORDS = 2345;
const EXECUTIONS = 20;
const credentialTypes = [new ErpNetApi()];

export interface ConcurrencyFigures {
	variant: string;
	executions: number;
	recordsPerExecution: number;
	completeExecutions: number;
	totalMs: number;
	serialMs: number;
	ratioToSerial: number;
	tokenRequests: number;
	sessionsOpened: number;
	tooManyRequests: number;
	maxInFlightPerSession: number;
}

type Execution = (store: CredentialStore) => Promise<number>;

async function figures(sandbox: Sandbox, variant: string, execute: Execution): Promise<ConcurrencyFigures> {
	// one execution alone (median of three, each like a fresh process with a token of its own session)
	const alone: number[] = [];
	for (let run = 0; run < 3; run++) {
		resetSessionPools();
		const store = new CredentialStore();
		await execute(store);
		const began = performance.now();
		await execute(store);
		alone.push(performance.now() - began);
	}
	const serialMs = [...alone].sort((a, b) => a - b)[1];

	resetSessionPools();
	sandbox.context.sessions.clear();
	sandbox.control.resetCounters();
	const store = new CredentialStore();
	const began = performance.now();
	const records = await Promise.all(Array.from({ length: EXECUTIONS }, () => execute(store).catch(() => 0)));
	const totalMs = performance.now() - began;
	const counters = sandbox.counters();
	return {
		variant,
		executions: EXECUTIONS,
		recordsPerExecution: RECORDS,
		completeExecutions: records.filter((count) => count === RECORDS).length,
		totalMs: Math.round(totalMs),
		serialMs: Math.round(serialMs),
		ratioToSerial: Math.round((totalMs / (EXECUTIONS * serialMs)) * 100) / 100,
		tokenRequests: counters.tokenRequests,
		sessionsOpened: counters.sessionsOpened,
		tooManyRequests: counters.tooManyRequests,
		maxInFlightPerSession: counters.maxInFlightPerSession,
	};
}

export async function concurrencyScenario(
	erpNetNode: INodeType,
	httpRequestNode: INodeType | undefined,
	latencyMs: number,
): Promise<ConcurrencyFigures[]> {
	const sandbox = await startSandbox({
		port: 0,
		seed: 42,
		sizes: { customers: RECORDS, products: 5, salesOrders: 1 },
		latencyMs,
	});
	try {
		const results: ConcurrencyFigures[] = [];
		results.push(
			await figures(sandbox, 'ERP.net node (1 session)', async (store) => {
				const { items, error } = await runNode({
					credentialTypes,
					nodeType: erpNetNode,
					credentials: erpNetCredentials(sandbox),
					credentialStore: store,
					mode: 'webhook',
					parameters: {
						resource: 'entity',
						operation: 'getAll',
						entitySet: { __rl: true, mode: 'name', value: 'Crm_Sales_Customers' },
						returnAll: true,
						options: { select: ['Number', 'Active'] },
					},
				});
				if (error) throw error;
				return items.length;
			}),
		);
		if (httpRequestNode) {
			results.push(
				await figures(sandbox, 'HTTP Request node (3 $skip pages)', async (store) => {
					const { items } = await runNode({
						credentialTypes,
						nodeType: httpRequestNode,
						nodeTypeName: 'n8n-nodes-base.httpRequest',
						typeVersion: 4.2,
						credentials: erpNetCredentials(sandbox),
						credentialStore: store,
						mode: 'webhook',
						continueOnFail: true,
						input: [{ skip: 0 }, { skip: 1000 }, { skip: 2000 }],
						parameters: {
							method: 'GET',
							url: `=${sandbox.url}/api/domain/odata/Crm_Sales_Customers?$top=1000&$skip={{ $json.skip }}&$select=Number,Active`,
							authentication: 'predefinedCredentialType',
							nodeCredentialType: 'erpNetApi',
							options: {},
						},
					});
					return items.reduce((sum, item) => sum + (Array.isArray(item.json.value) ? item.json.value.length : 0), 0);
				}),
			);
		}
		return results;
	} finally {
		await sandbox.close();
	}
}

export function printConcurrency(results: ConcurrencyFigures[]): void {
	const header = [
		'variant',
		'complete',
		'total ms',
		'20 × alone ms',
		'ratio',
		'token requests',
		'sessions',
		'429s',
		'max in flight',
	];
	const rows = [
		header,
		...results.map((r) => [
			r.variant,
			`${r.completeExecutions}/${r.executions}`,
			String(r.totalMs),
			String(r.serialMs * r.executions),
			r.ratioToSerial.toFixed(2),
			String(r.tokenRequests),
			String(r.sessionsOpened),
			String(r.tooManyRequests),
			String(r.maxInFlightPerSession),
		]),
	];
	const widths = header.map((_cell, column) => Math.max(...rows.map((row) => row[column].length)));
	process.stdout.write(`\nConcurrency: ${EXECUTIONS} executions at once, ${RECORDS} records each, one credential\n`);
	for (const row of rows)
		process.stdout.write(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |\n`);
}
