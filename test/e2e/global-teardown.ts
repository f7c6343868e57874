import * as fs from 'node:fs';

import { readState, stateFile } from './helpers/n8n';

export default async function globalTeardown(): Promise<void> {
	if (!fs.existsSync(stateFile())) return;
	const state = readState();
	if (process.env.E2E_KEEP_FOLDERS !== 'true') fs.rmSync(state.workRoot, { recursive: true, force: true });
}
