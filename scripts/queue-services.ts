/**
 * Redis and PostgreSQL for n8n's queue mode, from Debian's packages, each on a free loopback port with its
 * data in a temporary folder, started and stopped by the caller (the queue-mode e2e suite).
 *
 * - Installs `redis-server` and `postgresql` with apt-get (after `apt-get update`) only when they are missing;
 *   that needs root, as on CI.
 * - PostgreSQL refuses to run as root: as root, its folder belongs to the `postgres` user the Debian package
 *   creates and `initdb`/`postgres` run through `runuser -u postgres`.
 * Run directly (`npx tsx scripts/queue-services.ts`) to install, start both, print their ports and stop them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from './n8n-runtime';

export type Log = (message: string) => void;
const defaultLog: Log = (message) => process.stderr.write(`[queue-services] ${message}\n`);

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function which(binary: string): string | undefined {
	const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The newest installed PostgreSQL's bin folder (Debian keeps initdb and postgres out of PATH). */
export function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const versions = fs
		.readdirSync(root)
		.filter((name) => fs.existsSync(path.join(root, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? path.join(root, versions[0], 'bin') : undefined;
}

function run(command: string, args: string[], log: Log, label: string): void {
	const started = Date.now();
	const result = spawnSync(command, args, {
		encoding: 'utf8',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	if (result.status !== 0) {
		throw new Error(
			`${label} failed (exit ${result.status}): ${command} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`.slice(
				-6000,
			),
		);
	}
	log(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Installs what is missing of redis-server and PostgreSQL (apt-get update first). */
export function ensureQueueServices(log: Log = defaultLog): void {
	const missing: string[] = [];
	if (!which('redis-server')) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (missing.length === 0) return;
	if (!isRoot())
		throw new Error(
			`${missing.join(' and ')} missing; install them (apt-get install -y ${missing.join(' ')}) or run as root`,
		);
	log(`installing ${missing.join(', ')} from Debian's packages`);
	run('apt-get', ['update'], log, 'apt-get update');
	run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], log, `apt-get install ${missing.join(' ')}`);
}

export interface RunningService {
	port: number;
	dir: string;
	stop(): Promise<void>;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			resolve();
		}, timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

async function waitUntil(
	what: string,
	timeoutMs: number,
	probe: () => Promise<boolean>,
	output: () => string,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await probe())) {
		if (Date.now() > deadline)
			throw new Error(`${what} did not become ready in ${timeoutMs} ms\n${output().slice(-4000)}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Sends one inline command to Redis and resolves with the first reply line, or '' on failure. */
function redisCommand(port: number, command: string): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let reply = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => socket.write(`${command}\r\n`));
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(reply.split('\r\n')[0]));
		socket.on('error', () => resolve(''));
	});
}

function collect(child: ChildProcess): () => string {
	let output = '';
	const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000));
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	return () => output;
}

export async function startRedis(log: Log = defaultLog): Promise<RunningService> {
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erpnet-redis-'));
	const child = spawn(
		which('redis-server') ?? 'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const output = collect(child);
	await waitUntil('redis-server', 20000, async () => (await redisCommand(port, 'PING')) === '+PONG', output);
	log(`redis on 127.0.0.1:${port}`);
	return {
		port,
		dir,
		stop: async () => {
			child.kill('SIGTERM');
			await waitForExit(child, 10000);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** `command args` as the postgres user when running as root (PostgreSQL refuses root). */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export interface RunningPostgres extends RunningService {
	database: string;
	user: string;
}

export async function startPostgres(log: Log = defaultLog, database = 'n8n'): Promise<RunningPostgres> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed (ensureQueueServices installs it)');
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erpnet-postgres-'));
	const dataDir = path.join(dir, 'data');
	if (isRoot()) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
	const user = 'postgres';
	const [initCommand, initArgs] = asPostgresUser(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		user,
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	run(initCommand, initArgs, log, 'initdb');
	const [command, args] = asPostgresUser(path.join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'max_connections=100',
	]);
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	const output = collect(child);
	const ready = () =>
		spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', user], { encoding: 'utf8' })
			.status === 0;
	await waitUntil('postgres', 30000, async () => ready(), output);
	const created = spawnSync(
		path.join(bin, 'psql'),
		['-h', '127.0.0.1', '-p', String(port), '-U', user, '-c', `CREATE DATABASE ${database}`],
		{
			encoding: 'utf8',
		},
	);
	if (created.status !== 0) throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
	log(`postgres ${path.basename(path.dirname(bin))} on 127.0.0.1:${port}, database ${database}`);
	return {
		port,
		dir,
		database,
		user,
		stop: async () => {
			// SIGINT: PostgreSQL's "fast" shutdown (SIGTERM would wait for n8n's pooled connections)
			child.kill('SIGINT');
			await waitForExit(child, 15000);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

if (require.main === module) {
	void (async () => {
		ensureQueueServices();
		const redis = await startRedis();
		const postgres = await startPostgres();
		process.stdout.write(`${JSON.stringify({ redis: redis.port, postgres: postgres.port })}\n`);
		await postgres.stop();
		await redis.stop();
	})().catch((error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	});
}
