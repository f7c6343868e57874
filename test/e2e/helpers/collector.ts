/**
 * A webhook receiver on 127.0.0.1 for workflows that post what they get: every POST body (JSON) is kept in
 * arrival order. Stands in for the Slack/Teams/service endpoint of the example workflows.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Collector {
	url: string;
	/** Parsed bodies of the POSTs received so far, in arrival order. */
	received: Array<Record<string, unknown>>;
	close(): Promise<void>;
}

export async function startCollector(path = '/hook'): Promise<Collector> {
	const received: Array<Record<string, unknown>> = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			if (request.method !== 'POST' || request.url !== path) {
				response.writeHead(404).end();
				return;
			}
			try {
				received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
				response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
			} catch {
				response.writeHead(400).end();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}${path}`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
