/**
 * `npm start`: a real n8n 2.41.1 with this package installed as a community package, an "ERP.net sandbox"
 * credential, the example workflows and an owner account, against the embedded ERP.net sandbox (or a real
 * ERP.net instance). Ctrl-C stops n8n and the sandbox.
 *
 *   npm start                         build, pack, start sandbox + n8n on http://127.0.0.1:5678
 *   npm start -- --fresh              forget the previous n8n user folder (owner, credentials, executions)
 *   npm start -- --port 5700 --sandbox-port 5701
 *   npm start -- --instance-url https://mycompany.my.erp.net --client-id my.app/n8n --client-secret ...
 *
 * Environment: ERPNET_INSTANCE_URL, ERPNET_CLIENT_ID, ERPNET_CLIENT_SECRET, ERPNET_SCOPE, N8N_PORT,
 * SANDBOX_PORT, N8N_ERPNET_CACHE (cache root for the runtime and the user folder), N8N_ERPNET_RUNTIME (`oldest`
 * starts n8n 1.123.81 instead of 2.41.1).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import {
	buildAndPack,
	cacheRoot,
	ensureRuntime,
	installPackage,
	runN8n,
	spawnN8n,
	N8N_VERSION,
	NODE_VERSION,
} from './n8n-runtime';
import { DEFAULT_OWNER, N8nRestClient } from './n8n-rest';
import { loadExampleWorkflows, EXAMPLE_CREDENTIAL_ID, EXAMPLE_CREDENTIAL_NAME, exportDir } from './examples';
import { startSandbox, type Sandbox } from '../sandbox/src';

const HELP = `Usage: npm start -- [options]

Starts a real n8n ${N8N_VERSION} on loopback with this package installed, an ERP.net credential,
the example workflows and an owner account. By default it also starts the ERP.net sandbox.

Options:
  --port <n>              n8n editor port (env N8N_PORT; default 5678)
  --sandbox-port <n>      sandbox port (env SANDBOX_PORT; default: a free port)
  --instance-url <url>    use a real ERP.net instance instead of the sandbox (env ERPNET_INSTANCE_URL)
  --client-id <id>        trusted application's ApplicationUri (env ERPNET_CLIENT_ID)
  --client-secret <s>     trusted application's secret (env ERPNET_CLIENT_SECRET)
  --scope <scopes>        token scope (env ERPNET_SCOPE; default "read update")
  --fresh                 delete the n8n user folder first (owner, credentials, executions)
  --no-build              pack the current dist/ without running "npm run build"
  --verbose               print n8n's own log output
  --help                  this text
`;

let stopN8n: (() => Promise<void>) | undefined;
let closeSandbox: (() => Promise<void>) | undefined;
let stopping = false;

/** Stops n8n (its whole process group) and the sandbox, then exits. */
async function shutdown(code: number): Promise<void> {
	if (stopping) return;
	stopping = true;
	if (stopN8n || closeSandbox) log('\nStopping n8n and the sandbox...');
	await stopN8n?.().catch(() => undefined);
	await closeSandbox?.().catch(() => undefined);
	if (code === 0) log('Stopped.');
	process.exit(code);
}

function log(message: string): void {
	process.stdout.write(`${message}\n`);
}

function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

function parsePort(value: string | undefined, name: string): number | undefined {
	if (value === undefined || value === '') return undefined;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`${name} must be a port number, got "${value}"`);
	return port;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			'sandbox-port': { type: 'string' },
			'instance-url': { type: 'string' },
			'client-id': { type: 'string' },
			'client-secret': { type: 'string' },
			scope: { type: 'string' },
			fresh: { type: 'boolean', default: false },
			'no-build': { type: 'boolean', default: false },
			verbose: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
		strict: true,
	});
	if (values.help) {
		log(HELP);
		return;
	}
	const started = Date.now();
	const step = (message: string) => log(`\n==> ${message}  (+${((Date.now() - started) / 1000).toFixed(1)}s)`);

	const n8nPort = parsePort(values.port ?? process.env.N8N_PORT, '--port') ?? 5678;
	const sandboxPort = parsePort(values['sandbox-port'] ?? process.env.SANDBOX_PORT, '--sandbox-port') ?? 0;
	const instanceUrl = values['instance-url'] ?? process.env.ERPNET_INSTANCE_URL;
	const clientId = values['client-id'] ?? process.env.ERPNET_CLIENT_ID;
	const clientSecret = values['client-secret'] ?? process.env.ERPNET_CLIENT_SECRET;
	const scope = values.scope ?? process.env.ERPNET_SCOPE ?? 'read update';
	if (!(await portIsFree(n8nPort))) {
		throw new Error(`port ${n8nPort} on 127.0.0.1 is taken (another n8n?); choose another with --port`);
	}
	if (sandboxPort !== 0 && !instanceUrl && !(await portIsFree(sandboxPort))) {
		throw new Error(`port ${sandboxPort} on 127.0.0.1 is taken; choose another with --sandbox-port`);
	}
	if (instanceUrl && (!clientId || !clientSecret)) {
		throw new Error(
			'--instance-url needs --client-id and --client-secret (or ERPNET_CLIENT_ID / ERPNET_CLIENT_SECRET)',
		);
	}

	step('Building and packing n8n-nodes-erpnet');
	const tarball = await buildAndPack({ build: !values['no-build'], log });

	step(`Making sure n8n ${N8N_VERSION} and its Node ${NODE_VERSION} runtime are installed`);
	const runtime = await ensureRuntime({ log });
	log(runtime.installed ? `installed into ${runtime.dir}` : `cached in ${runtime.dir}`);

	let sandbox: Sandbox | undefined;
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	let credentialData: Record<string, string>;
	if (instanceUrl) {
		credentialData = { instanceUrl, clientId: clientId!, clientSecret: clientSecret!, scope, accessToken: '' };
		log(`Using the ERP.net instance ${instanceUrl} (client id ${clientId})`);
	} else {
		step('Starting the ERP.net sandbox (seeded data)');
		sandbox = await startSandbox({ port: sandboxPort, host: '127.0.0.1' });
		closeSandbox = sandbox.close;
		credentialData = {
			instanceUrl: sandbox.url,
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			scope,
			accessToken: '',
		};
		log(`sandbox: ${sandbox.url}`);
	}

	const userFolder = path.join(cacheRoot(), 'start-user-folder');
	if (values.fresh && fs.existsSync(userFolder)) {
		step(`--fresh: removing ${userFolder}`);
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	const firstRun = !fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));
	fs.mkdirSync(userFolder, { recursive: true });

	step(`Installing ${path.basename(tarball)} as a community package`);
	await installPackage(tarball, userFolder, log);

	const exports = exportDir(userFolder);
	fs.mkdirSync(exports, { recursive: true });
	const n8nEnv: NodeJS.ProcessEnv = { N8N_RESTRICT_FILE_ACCESS_TO: exports };

	step(`Importing the "${instanceUrl ? 'ERP.net' : 'ERP.net sandbox'}" credential and the example workflows`);
	const work = fs.mkdtempSync(path.join(userFolder, 'import-'));
	try {
		const credentialFile = path.join(work, 'credentials.json');
		fs.writeFileSync(
			credentialFile,
			JSON.stringify([
				{
					id: EXAMPLE_CREDENTIAL_ID,
					name: instanceUrl ? 'ERP.net' : EXAMPLE_CREDENTIAL_NAME,
					type: 'erpNetApi',
					data: credentialData,
				},
			]),
		);
		const credResult = await runN8n(['import:credentials', `--input=${credentialFile}`], { userFolder, env: n8nEnv });
		if (credResult.code !== 0)
			throw new Error(`import:credentials failed:\n${credResult.stdout}\n${credResult.stderr}`);

		const workflows = loadExampleWorkflows({ credentialName: instanceUrl ? 'ERP.net' : EXAMPLE_CREDENTIAL_NAME });
		let toImport = workflows;
		if (!firstRun) {
			// keep the user's edits: only add examples that are not there yet
			const listed = await runN8n(['list:workflow', '--onlyId'], { userFolder, env: n8nEnv });
			const existing = new Set(listed.stdout.split('\n').map((line) => line.trim()));
			toImport = workflows.filter((w) => !existing.has(String(w.id)));
		}
		if (toImport.length > 0) {
			const workflowFile = path.join(work, 'workflows.json');
			fs.writeFileSync(workflowFile, JSON.stringify(toImport));
			const wfResult = await runN8n(['import:workflow', `--input=${workflowFile}`], { userFolder, env: n8nEnv });
			if (wfResult.code !== 0) throw new Error(`import:workflow failed:\n${wfResult.stdout}\n${wfResult.stderr}`);
		}
		for (const w of workflows)
			log(`  workflow: ${String(w.name)}${toImport.includes(w) ? '' : ' (kept from the last run)'}`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}

	step(`Starting n8n on http://127.0.0.1:${n8nPort}`);
	const logFile = path.join(userFolder, 'n8n.log');
	const n8n = await spawnN8n({
		userFolder,
		port: n8nPort,
		env: n8nEnv,
		stdio: values.verbose ? 'inherit' : 'pipe',
		timeoutMs: 120000,
	}).catch((error: Error) => {
		if (/EADDRINUSE|already in use/i.test(error.message)) {
			throw new Error(`port ${n8nPort} is taken; choose another with --port`);
		}
		throw error;
	});
	stopN8n = n8n.stop;
	n8n.child.on('exit', (code) => {
		fs.writeFileSync(logFile, n8n.output());
		if (!stopping) {
			log(`\nn8n exited unexpectedly (code ${code}); its log is in ${logFile}`);
			void shutdown(1);
		}
	});

	const rest = new N8nRestClient(n8n.url);
	const created = await rest.setupOwner(DEFAULT_OWNER);

	log('');
	log('------------------------------------------------------------------');
	log(`  n8n ${N8N_VERSION} with n8n-nodes-erpnet is ready  (${((Date.now() - started) / 1000).toFixed(0)}s)`);
	log('');
	log(`  Editor:    ${n8n.url}`);
	log(`  Login:     ${DEFAULT_OWNER.email}`);
	log(`  Password:  ${DEFAULT_OWNER.password}${created ? '' : '   (owner from an earlier run)'}`);
	log('');
	if (sandbox) {
		log(`  ERP.net sandbox: ${sandbox.url}`);
		log(`    client id ${sandbox.clientId}, secret ${sandbox.clientSecret}`);
	} else {
		log(`  ERP.net instance: ${instanceUrl}`);
	}
	log(`  Credential "${instanceUrl ? 'ERP.net' : 'ERP.net sandbox'}" and the example workflows are in Overview.`);
	log(`  CSV exports are written to ${exports}`);
	log(`  n8n user folder: ${userFolder}${values.verbose ? '' : " (add --verbose to see n8n's log)"}`);
	log('');
	log('  Press Ctrl-C to stop.');
	log('------------------------------------------------------------------');
}

main().catch((error: Error) => {
	process.stderr.write(`\nnpm start failed: ${error.message}\n`);
	void shutdown(1);
});
