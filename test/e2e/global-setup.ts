/**
 * Once per e2e run: the selected pinned n8n runtime ($N8N_ERPNET_RUNTIME: latest by default, or oldest) (installed into the cache if missing), `npm run build` + `npm pack`,
 * and a template user folder with the tarball installed as a community package (the way users do) and the
 * database migrated. Suites copy the template instead of paying for migrations each time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { RUNTIME_ENV, buildAndPack, ensureRuntime, installPackage, runN8n } from '../../scripts/n8n-runtime';
import { E2E_STATE_ENV, type E2eState } from './helpers/n8n';

function log(message: string): void {
	process.stderr.write(`[e2e setup] ${message}\n`);
}

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const runtime = await ensureRuntime({ log });
	log(
		`n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion} (${RUNTIME_ENV}=${process.env[RUNTIME_ENV] ?? ''}), ` +
			`${runtime.installed ? 'installed' : 'cached'} (${(runtime.tookMs / 1000).toFixed(1)}s): ${runtime.dir}`,
	);

	const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-erpnet-e2e-'));
	const packStarted = Date.now();
	const tarball = await buildAndPack({
		outDir: path.join(workRoot, 'pack'),
		build: process.env.E2E_SKIP_BUILD !== 'true',
		log,
	});
	log(`build + pack: ${((Date.now() - packStarted) / 1000).toFixed(1)}s`);

	const templateUserFolder = path.join(workRoot, 'template');
	fs.mkdirSync(templateUserFolder, { recursive: true });
	const installStarted = Date.now();
	await installPackage(tarball, templateUserFolder, log);
	log(`community package install: ${((Date.now() - installStarted) / 1000).toFixed(1)}s`);

	// the first CLI call creates the config (encryption key) and runs the migrations
	const migrateStarted = Date.now();
	const result = await runN8n(['list:workflow'], { userFolder: templateUserFolder, timeoutMs: 180000 });
	if (result.code !== 0)
		throw new Error(`n8n list:workflow failed in the template folder:\n${result.stdout}\n${result.stderr}`);
	log(`database migrations: ${((Date.now() - migrateStarted) / 1000).toFixed(1)}s`);

	const state: E2eState = { templateUserFolder, tarball, workRoot };
	const file = path.join(workRoot, 'state.json');
	fs.writeFileSync(file, JSON.stringify(state, null, '\t'));
	process.env[E2E_STATE_ENV] = file;
	log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s; work folder ${workRoot}`);
}
