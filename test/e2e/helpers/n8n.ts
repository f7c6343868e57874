/**
 * A real n8n (the runtime $N8N_ERPNET_RUNTIME selects) for the e2e suite: each suite gets its own user folder
 * (copied from the template that global-setup prepared: package installed from the packed tarball, database
 * migrated), imports credentials and workflows with the n8n CLI, and runs them with `n8n execute --id --rawOutput`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	executeSucceeded,
	parseJsonAfterLogs,
	runN8n,
	spawnN8n,
	freePort,
	isPortInUse,
	type N8nCliResult,
} from '../../../scripts/n8n-runtime';
import { N8nRestClient, DEFAULT_OWNER } from '../../../scripts/n8n-rest';

/** Written by global-setup; its path travels in the environment so that parallel runs never share it. */
export const E2E_STATE_ENV = 'N8N_ERPNET_E2E_STATE';

export function stateFile(): string {
	return process.env[E2E_STATE_ENV] ?? path.join(os.tmpdir(), 'n8n-nodes-erpnet-e2e', 'state.json');
}

export interface E2eState {
	/** A user folder with the package installed and the database migrated; copied for each suite. */
	templateUserFolder: string;
	tarball: string;
	/** Where each suite's user folders go. */
	workRoot: string;
}

export function readState(): E2eState {
	const file = stateFile();
	if (!fs.existsSync(file)) {
		throw new Error(`${file} is missing: run the e2e suite with its jest config (npm run test:e2e)`);
	}
	return JSON.parse(fs.readFileSync(file, 'utf8')) as E2eState;
}

export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface NodeJson {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: NodeJson[];
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface NodeRunData {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	data?: {
		main: Array<Array<{
			json: Record<string, unknown>;
			binary?: Record<string, unknown>;
			pairedItem?: unknown;
		}> | null>;
	};
	error?: { message: string; description?: string; name?: string; [key: string]: unknown };
}

export interface RunJson {
	finished?: boolean;
	status?: string;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, NodeRunData[]>;
			error?: { message: string; description?: string; name?: string; node?: { name: string }; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
}

export interface ExecuteResult {
	/** Parsed IRun JSON (also on failure: n8n prints it before throwing). */
	run: RunJson;
	cli: N8nCliResult;
	ok: boolean;
	/** Items of a node's first output in its first run. */
	items(nodeName: string, output?: number): Array<Record<string, unknown>>;
	/** The error n8n reports for the execution (resultData.error), if any. */
	error?: RunJson['data']['resultData']['error'];
}

let instanceCounter = 0;

/** Hooks that every n8n process of the suite gets. */
export interface N8nInstanceOptions {
	env?: NodeJS.ProcessEnv;
}

export class N8nInstance {
	private constructor(
		readonly userFolder: string,
		private readonly env: NodeJS.ProcessEnv,
	) {}

	/** A fresh user folder copied from the prepared template. */
	static create(label: string, options: N8nInstanceOptions = {}): N8nInstance {
		const state = readState();
		const userFolder = path.join(state.workRoot, `${label}-${process.pid}-${++instanceCounter}`);
		fs.rmSync(userFolder, { recursive: true, force: true });
		fs.cpSync(state.templateUserFolder, userFolder, { recursive: true, verbatimSymlinks: true });
		const files = path.join(userFolder, '.n8n-files');
		fs.mkdirSync(files, { recursive: true });
		return new N8nInstance(userFolder, { N8N_RESTRICT_FILE_ACCESS_TO: files, ...options.env });
	}

	/** The directory the Read/Write Files node may write to (relative `.n8n-files/...` paths land here). */
	get filesDir(): string {
		return path.join(this.userFolder, '.n8n-files');
	}

	/** A generous limit: a CLI call takes ~5-10 s alone but several times that on a loaded machine. */
	async cli(args: string[], timeoutMs = 240000): Promise<N8nCliResult> {
		return runN8n(args, { userFolder: this.userFolder, env: this.env, timeoutMs });
	}

	private async importJson(command: string, items: unknown[]): Promise<N8nCliResult> {
		const file = path.join(this.userFolder, `import-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
		fs.writeFileSync(file, JSON.stringify(items));
		try {
			const result = await this.cli([command, `--input=${file}`]);
			if (result.code !== 0) {
				throw new Error(`n8n ${command} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
			}
			return result;
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	importCredentials(credentials: CredentialJson[]): Promise<N8nCliResult> {
		return this.importJson('import:credentials', credentials);
	}

	importWorkflows(workflows: WorkflowJson[]): Promise<N8nCliResult> {
		return this.importJson('import:workflow', workflows);
	}

	/** `n8n execute --id=<id> --rawOutput`, parsed. Does not throw on a failed execution: check `ok`. */
	async execute(workflowId: string): Promise<ExecuteResult> {
		const cli = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		let run: RunJson;
		try {
			run = parseJsonAfterLogs<RunJson>(cli.stdout);
		} catch {
			throw new Error(
				`n8n execute --id=${workflowId} printed no run JSON (exit ${cli.code}, signal ${cli.signal}, ${cli.stdout.length} characters of stdout):\n${cli.stdout.slice(-4000)}\n${cli.stderr.slice(-4000)}`,
			);
		}
		const error = run.data?.resultData?.error;
		const ok = executeSucceeded(cli, run);
		if (cli.signal) {
			const judged = ok ? 'after printing a successful run (n8n 1.x exit crash, see executeSucceeded)' : 'a failure';
			process.stderr.write(`[e2e] n8n execute --id=${workflowId} ended by ${cli.signal}: ${judged}\n`);
		}
		return {
			run,
			cli,
			ok,
			error,
			items(nodeName: string, output = 0) {
				const runs = run.data.resultData.runData[nodeName];
				if (!runs) {
					throw new Error(
						`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}; error: ${error?.message}`,
					);
				}
				const main = runs[0].data?.main?.[output] ?? [];
				return main.map((item) => item.json);
			},
		};
	}

	/** The credential's decrypted data as stored in the database. */
	async exportCredential(id: string): Promise<Record<string, unknown>> {
		const out = path.join(this.userFolder, `export-${id}-${Date.now()}.json`);
		const cli = await this.cli(['export:credentials', `--id=${id}`, '--decrypted', `--output=${out}`]);
		if (cli.code !== 0 || !fs.existsSync(out)) {
			throw new Error(`export:credentials failed (exit ${cli.code}):\n${cli.stdout}\n${cli.stderr}`);
		}
		try {
			const exported = JSON.parse(fs.readFileSync(out, 'utf8')) as Array<{ id: string; data: Record<string, unknown> }>;
			const credential = exported.find((c) => c.id === id);
			if (!credential) throw new Error(`credential ${id} not in the export`);
			return credential.data;
		} finally {
			fs.rmSync(out, { force: true });
		}
	}

	/** `n8n start` on a free loopback port, with the owner account set up; stop it with `server.stop()`. */
	async start(timeoutMs = 300000): Promise<N8nServer> {
		const started = Date.now();
		const n8n = await this.spawnOnFreePorts(timeoutMs);
		const startMs = Date.now() - started;
		const rest = new N8nRestClient(n8n.url);
		try {
			await rest.setupOwner(DEFAULT_OWNER);
		} catch (error) {
			await n8n.stop();
			throw error;
		}
		return { url: n8n.url, rest, startMs, output: n8n.output, stop: n8n.stop };
	}

	/** `n8n start`, again on new ports when a free port was taken by another process before n8n bound it. */
	private async spawnOnFreePorts(timeoutMs: number): Promise<Awaited<ReturnType<typeof spawnN8n>>> {
		for (let attempt = 1; ; attempt++) {
			const port = await freePort();
			try {
				return await spawnN8n({ userFolder: this.userFolder, port, env: this.env, timeoutMs });
			} catch (error) {
				if (attempt >= 3 || !isPortInUse((error as Error).message)) throw error;
				process.stderr.write(`[e2e] a port of n8n start was taken (${port}); starting it again\n`);
			}
		}
	}

	remove(): void {
		if (process.env.E2E_KEEP_FOLDERS === 'true') return;
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

export interface N8nServer {
	url: string;
	rest: N8nRestClient;
	/** ms from spawn to /healthz/readiness answering. */
	startMs: number;
	output(): string;
	stop(): Promise<void>;
}

/** Minimal workflow builder: a Manual Trigger followed by a chain of nodes. */
export interface ChainNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	continueOnFail?: boolean;
	onError?: string;
}

export function chainWorkflow(id: string, name: string, nodes: ChainNode[]): WorkflowJson {
	const trigger: NodeJson = {
		id: `${id}-trigger`,
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const all: NodeJson[] = [
		trigger,
		...nodes.map((n, i): NodeJson => ({ id: `${id}-n${i}`, ...n, position: [220 * (i + 1), 0] })),
	];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, nodes: all, connections, active: false, settings: { executionOrder: 'v1' } };
}
