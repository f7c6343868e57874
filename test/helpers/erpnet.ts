import type { INodeParameters } from 'n8n-workflow';

import type { RequestLogEntry, Sandbox, SandboxOptions } from '../../sandbox/src';
import { startSandbox } from '../../sandbox/src';
import type { RunNodeOptions, RunNodeResult } from './n8n';
import { CredentialStore, runNode } from './n8n';

/** Starts one sandbox for a test file (beforeAll/afterAll) and hands it to the tests. */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, ...options });
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	return () => {
		if (!sandbox) throw new Error('The sandbox has not started');
		return sandbox;
	};
}

export function erpNetCredentials(sandbox: Sandbox, overrides: Record<string, string> = {}) {
	return {
		erpNetApi: {
			instanceUrl: sandbox.url,
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			scope: 'read update',
			...overrides,
		},
	};
}

/** A resource-locator value as the editor stores it. */
export function locator(value: string, mode: 'list' | 'name' | 'id' | 'url' = 'name') {
	return { __rl: true, mode, value };
}

/** Runs the ERP.net node against the sandbox with a fresh (or given) credential store. */
export async function runErpNet(
	sandbox: Sandbox,
	parameters: INodeParameters,
	options: Omit<RunNodeOptions, 'parameters'> = {},
): Promise<RunNodeResult> {
	return await runNode({
		credentials: erpNetCredentials(sandbox),
		credentialStore: options.credentialStore ?? new CredentialStore(),
		...options,
		parameters: { resource: 'entity', ...parameters },
	});
}

/** Domain API requests to one entity set (or to anything under the OData root when no set is given). */
export function odataRequests(sandbox: Sandbox, entitySet = ''): RequestLogEntry[] {
	return sandbox.requests.filter((entry) => entry.path.startsWith(`/api/domain/odata/${entitySet}`));
}

export function tokenRequests(sandbox: Sandbox): RequestLogEntry[] {
	return sandbox.requests.filter((entry) => entry.path === '/id/connect/token');
}

/** A query option of a logged request, decoded. */
export function queryOption(entry: RequestLogEntry, name: string): string | null {
	return new URLSearchParams(entry.query.replace(/^\?/, '')).get(name);
}
