/**
 * The example workflows in examples/workflows/*.json: what `npm start` imports and the e2e suite runs.
 * They are plain n8n workflow exports (importable in any n8n through "Import from File"); they reference the
 * credential by the id and name below.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples', 'workflows');
export const EXAMPLE_CREDENTIAL_ID = 'erpNetSandboxCred';
export const EXAMPLE_CREDENTIAL_NAME = 'ERP.net sandbox';

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, unknown>;
		credentials?: Record<string, { id: string; name: string }>;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** The directory (inside the n8n user folder) the CSV example writes to: `.n8n-files` relative to n8n's cwd. */
export function exportDir(userFolder: string): string {
	return path.join(userFolder, '.n8n-files');
}

export function exampleFiles(): string[] {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(EXAMPLES_DIR, f));
}

/** Reads the examples; `credentialName` renames the credential reference (e.g. for a real instance). */
export function loadExampleWorkflows(options: { credentialName?: string } = {}): ExampleWorkflow[] {
	return exampleFiles().map((file) => {
		const workflow = JSON.parse(fs.readFileSync(file, 'utf8')) as ExampleWorkflow;
		if (options.credentialName) {
			for (const node of workflow.nodes) {
				const ref = node.credentials?.erpNetApi;
				if (ref && ref.id === EXAMPLE_CREDENTIAL_ID) ref.name = options.credentialName;
			}
		}
		return workflow;
	});
}
