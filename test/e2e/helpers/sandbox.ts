import { startSandbox, type Sandbox, type SandboxOptions, type RequestLogEntry } from '../../../sandbox/src';

export type { Sandbox, RequestLogEntry };

export async function startE2eSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return startSandbox({ port: 0, host: '127.0.0.1', ...options });
}

export const TOKEN_PATH = '/id/connect/token';

export function tokenRequests(sandbox: Sandbox, since = 0): RequestLogEntry[] {
	return sandbox.requests.slice(since).filter((r) => r.method === 'POST' && r.path === TOKEN_PATH);
}

export function domainRequests(sandbox: Sandbox, since = 0): RequestLogEntry[] {
	return sandbox.requests.slice(since).filter((r) => r.path.startsWith('/api/domain/'));
}

/** The Bearer token of a logged request ('' when none). */
export function bearer(entry: RequestLogEntry): string {
	const value = entry.headers.authorization ?? '';
	return value.startsWith('Bearer ') ? value.slice('Bearer '.length) : '';
}

/** A one-line summary of the log for assertion messages. */
export function describeLog(entries: RequestLogEntry[]): string {
	return entries.map((r) => `${r.method} ${r.url} -> ${r.status}`).join('\n');
}

/** An `erpNetApi` credential for `n8n import:credentials` that points at the sandbox, with no stored token yet. */
export function sandboxCredential(sandbox: Sandbox, id: string, name: string) {
	return {
		id,
		name,
		type: 'erpNetApi',
		data: {
			instanceUrl: sandbox.url,
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			scope: 'read update',
			accessToken: '',
		},
	};
}
