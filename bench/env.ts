import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// n8n-core keeps its instance settings under N8N_USER_FOLDER; the benchmark must not touch ~/.n8n.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'erpnet-bench-'));
