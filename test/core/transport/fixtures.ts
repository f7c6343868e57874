/** Contexts, servers and error checks shared by the transport tests. */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import type { Sandbox, SandboxOptions } from '../../../sandbox/src';
import { erpNetCredentials, locator, useSandbox } from '../../helpers/erpnet';
import { createLoadOptionsContext } from '../../helpers/n8n';

export { caught, testNode } from '../fixtures';

/** One sandbox for a test file, with a clean request log and no faults before each test. */
export function useCleanSandbox(sizes: NonNullable<SandboxOptions['sizes']>): () => Sandbox {
	const sandbox = useSandbox({ sizes });
	beforeEach(() => {
		sandbox().control.clearLog();
		sandbox().control.clearFaults();
	});
	return sandbox;
}

/** The ERP.net node's Get of one customer. */
export const getCustomer = (id: string) => ({
	operation: 'get',
	entitySet: locator('Crm_Sales_Customers'),
	recordId: locator(id, 'id'),
});

/**
 * A real n8n-core context (the editor's LoadOptionsContext) with the sandbox credential: transport functions are
 * called on it as the nodes call them, and talk HTTP to the sandbox. A new context has no cached roots or model.
 */
export async function sandboxContext(
	sandbox: Sandbox,
	overrides: Record<string, string> = {},
): Promise<ILoadOptionsFunctions> {
	const { context } = await createLoadOptionsContext({ credentials: erpNetCredentials(sandbox, overrides) });
	return context;
}

/** The token, its signature and the secret in the spellings an echo may take. */
export function expectNoSecret(haystack: string, token: string, secret: string) {
	const signature = token.split('.')[2];
	for (const value of [
		token,
		signature,
		secret,
		encodeURIComponent(secret),
		encodeURIComponent(secret).toLowerCase(),
	]) {
		expect(haystack).not.toContain(value);
	}
}

export interface ReceivedRequest {
	method?: string;
	url?: string;
	headers: IncomingHttpHeaders;
	body: string;
}

/** A server on another origin that records what reaches it. */
export async function otherOrigin(): Promise<{ url: string; received: ReceivedRequest[]; close(): Promise<void> }> {
	const received: ReceivedRequest[] = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			received.push({ method: req.method, url: req.url, headers: req.headers, body });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[],"Number":"elsewhere"}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://localhost:${(server.address() as AddressInfo).port}`,
		received,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
