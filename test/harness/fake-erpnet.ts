import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

/**
 * A tiny fake ERP.net (token endpoint + one Domain API entity set) for testing the harness itself,
 * independent of the real sandbox in sandbox/.
 */
export interface FakeRequest {
	method: string;
	path: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	status: number;
}

export interface FakeErpNet {
	url: string;
	requests: FakeRequest[];
	/** Every token issued so far becomes invalid (401). */
	revokeAll(): void;
	/** Next token responses (queue), e.g. `{ status: 400, body: { error: 'invalid_client' } }`. */
	tokenResponses: Array<{ status: number; body: unknown; headers?: Record<string, string> }>;
	close(): Promise<void>;
}

export async function startFakeErpNet(secret = 'fake-secret'): Promise<FakeErpNet> {
	const valid = new Set<string>();
	let counter = 0;
	const requests: FakeRequest[] = [];
	const tokenResponses: FakeErpNet['tokenResponses'] = [];
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (body += chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://fake');
			const entry: FakeRequest = {
				method: req.method ?? '',
				path: url.pathname,
				url: req.url ?? '',
				headers: req.headers,
				body,
				status: 0,
			};
			requests.push(entry);
			const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
				entry.status = status;
				const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
				res.writeHead(status, {
					'content-type': typeof payload === 'string' ? 'text/html' : 'application/json',
					...headers,
				});
				res.end(text);
			};
			if (url.pathname === '/id/connect/token' && req.method === 'POST') {
				const queued = tokenResponses.shift();
				if (queued) return send(queued.status, queued.body, queued.headers);
				const form = new URLSearchParams(body);
				if (form.get('client_secret') !== secret) return send(400, { error: 'invalid_client' });
				const token = `fake-token-${++counter}`;
				valid.add(token);
				return send(200, {
					access_token: token,
					expires_in: 3600,
					token_type: 'Bearer',
					scope: form.get('scope') ?? '',
				});
			}
			if (url.pathname === '/echo') return send(200, { headers: req.headers, query: url.search });
			const auth = String(req.headers.authorization ?? '');
			if (!auth.startsWith('Bearer ') || !valid.has(auth.slice(7)))
				return send(401, { error: { message: 'Unauthorized' } });
			if (url.pathname === '/api/domain/odata/General_Currencies_Currencies') {
				return send(200, { '@odata.context': 'x', value: [{ Id: '00000000-0000-0000-0000-000000000001' }] });
			}
			return send(404, { error: { message: 'not found' } });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		tokenResponses,
		revokeAll: () => valid.clear(),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
