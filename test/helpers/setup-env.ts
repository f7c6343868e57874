/**
 * Jest setup file (runs before each test file): n8n-core's InstanceSettings creates `<N8N_USER_FOLDER>/.n8n/config`
 * (with an encryption key) on first use, so point it at a temporary folder instead of the user's ~/.n8n.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-erpnet-test-'));
}
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
