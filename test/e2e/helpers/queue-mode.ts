/**
 * n8n in queue mode: `n8n start` (main) and `n8n worker` processes sharing PostgreSQL, Redis and one
 * N8N_ENCRYPTION_KEY, each with its own user folder holding the package installed from the packed tarball.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { freePort, killTree, n8nBin, n8nEnv, node24Bin } from '../../../scripts/n8n-runtime';
import {
	ensureQueueServices,
	startPostgres,
	startRedis,
	type RunningPostgres,
	type RunningService,
} from '../../../scripts/queue-services';
import { N8nInstance, readState, type N8nServer } from './n8n';

export interface QueueServices {
	redis: RunningService;
	postgres: RunningPostgres;
	/** The environment every n8n process of the cluster gets. */
	env: NodeJS.ProcessEnv;
	stop(): Promise<void>;
}

const log = (message: string) => process.stderr.write(`[e2e queue] ${message}\n`);

function templateEncryptionKey(): string {
	const config = JSON.parse(fs.readFileSync(path.join(readState().templateUserFolder, '.n8n', 'config'), 'utf8')) as {
		encryptionKey?: string;
	};
	if (!config.encryptionKey) throw new Error('the e2e template user folder has no encryption key');
	return config.encryptionKey;
}

export async function startQueueServices(): Promise<QueueServices> {
	ensureQueueServices(log);
	const redis = await startRedis(log);
	let postgres: RunningPostgres;
	try {
		postgres = await startPostgres(log);
	} catch (error) {
		await redis.stop();
		throw error;
	}
	const env: NodeJS.ProcessEnv = {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// one key for every process: the one the template user folder (copied for each of them) was created with
		N8N_ENCRYPTION_KEY: templateEncryptionKey(),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
	return {
		redis,
		postgres,
		env,
		stop: async () => {
			await postgres.stop();
			await redis.stop();
		},
	};
}

export interface N8nWorker {
	instance: N8nInstance;
	child: ChildProcess;
	output(): string;
	stop(): Promise<void>;
}

/** `n8n worker` in its own user folder; resolves once it logs that it is ready. */
export async function startWorker(label: string, env: NodeJS.ProcessEnv, concurrency = 10): Promise<N8nWorker> {
	const instance = N8nInstance.create(label, { env });
	const brokerPort = await freePort();
	const child = spawn(node24Bin(), [n8nBin(), 'worker', `--concurrency=${concurrency}`], {
		cwd: instance.userFolder,
		env: n8nEnv({
			userFolder: instance.userFolder,
			brokerPort,
			env: { N8N_RESTRICT_FILE_ACCESS_TO: instance.filesDir, ...env },
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200000));
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			killTree(child, 'SIGTERM');
			const timer = setTimeout(() => killTree(child, 'SIGKILL'), 15000);
			await exited;
			clearTimeout(timer);
		}
		instance.remove();
	};
	const deadline = Date.now() + 120000;
	while (!output.includes('n8n worker is now ready')) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stop();
			throw new Error(`n8n worker ${label} did not become ready (exit ${child.exitCode}):\n${output.slice(-6000)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	log(`worker ${label} ready`);
	return { instance, child, output: () => output, stop };
}

export interface QueueCluster {
	main: N8nServer;
	mainInstance: N8nInstance;
	workers: N8nWorker[];
	stop(): Promise<void>;
}

/**
 * Main + workers on the services. `prepare` runs against the main's user folder before anything starts
 * (import credentials and workflows, publish), after the first CLI call migrated the PostgreSQL database.
 */
export async function startQueueCluster(
	services: QueueServices,
	workerCount: number,
	prepare: (main: N8nInstance) => Promise<void>,
): Promise<QueueCluster> {
	const mainInstance = N8nInstance.create('queue-main', { env: services.env });
	const migrated = await mainInstance.cli(['list:workflow'], 300000);
	if (migrated.code !== 0)
		throw new Error(`n8n list:workflow (migrations on PostgreSQL) failed:\n${migrated.stdout}\n${migrated.stderr}`);
	await prepare(mainInstance);
	const main = await mainInstance.start(300000);
	const workers: N8nWorker[] = [];
	const stop = async () => {
		for (const worker of workers) await worker.stop();
		await main.stop();
		mainInstance.remove();
	};
	try {
		for (let index = 0; index < workerCount; index++)
			workers.push(await startWorker(`queue-worker-${index + 1}`, services.env));
	} catch (error) {
		await stop();
		throw error;
	}
	return { main, mainInstance, workers, stop };
}
