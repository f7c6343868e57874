import * as fs from 'node:fs';

import { E2E_STATE_FILE, readState } from './helpers/n8n';

export default async function globalTeardown(): Promise<void> {
	if (!fs.existsSync(E2E_STATE_FILE)) return;
	const state = readState();
	if (process.env.E2E_KEEP_FOLDERS !== 'true') fs.rmSync(state.workRoot, { recursive: true, force: true });
	fs.rmSync(E2E_STATE_FILE, { force: true });
}
