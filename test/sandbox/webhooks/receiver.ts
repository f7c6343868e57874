/** A local HTTP receiver on 127.0.0.1 that records every push it gets and answers as a test tells it. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPush {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	/** Header names and values in the order they arrived. */
	rawHeaders: string[];
	body: string;
	at: number;
}

/** How to answer one push: a status, or `hang` (never answer). */
export type Answer = number | 'hang';

export interface Receiver {
	url: string;
	received: ReceivedPush[];
	/** Answers for the next pushes, in order; afterwards 200. */
	answers: Answer[];
	/** Resolves once `count` pushes have arrived (rejects after `timeoutMs`). */
	waitFor(count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
	reset(): void;
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const received: ReceivedPush[] = [];
	const hanging = new Set<ServerResponse>();
	let waiters: Array<() => void> = [];
	const receiver = {} as Receiver;
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				rawHeaders: request.rawHeaders,
				body: Buffer.concat(chunks).toString('utf8'),
				at: Date.now(),
			});
			for (const wake of waiters) wake();
			const answer = receiver.answers.shift() ?? 200;
			if (answer === 'hang') {
				hanging.add(response);
				return;
			}
			response.writeHead(answer).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	Object.assign(receiver, {
		url: `http://127.0.0.1:${port}`,
		received,
		answers: [],
		waitFor: (count: number, timeoutMs = 10_000) =>
			new Promise<ReceivedPush[]>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`${received.length} of ${count} pushes arrived`)), timeoutMs);
				const check = () => {
					if (received.length < count) return;
					clearTimeout(timer);
					waiters = waiters.filter((waiter) => waiter !== check);
					resolve(received.slice(0, count));
				};
				waiters.push(check);
				check();
			}),
		reset: () => {
			received.length = 0;
			receiver.answers.length = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const response of hanging) response.destroy();
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	});
	return receiver;
}
