/**
 * A scripted, OpenAI-compatible chat model on 127.0.0.1 for AI Agent e2e runs: n8n's OpenAI Chat Model node
 * (its credential's Base URL pointed here) talks to it exactly as to api.openai.com. Each answer comes from
 * a script: a function of the request (the conversation so far and the tools offered) that returns tool calls
 * or a final text. Streaming (`"stream": true`, server-sent events) is answered too.
 *
 * Endpoints: POST /v1/chat/completions, GET /v1/models (the node's model list). Everything else is a 404
 * that the test sees in `requests`.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatToolCall {
	id: string;
	type: 'function';
	function: { name: string; arguments: string };
}

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: ChatToolCall[];
	tool_call_id?: string;
	name?: string;
}

export interface ChatTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
	[key: string]: unknown;
}

/** What the script answers: tool calls (name + arguments) or a final text. */
export type ScriptedTurn =
	| { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> }
	| { text: string };

export type ModelScript = (request: ChatRequest) => ScriptedTurn;

export interface LoggedModelRequest {
	method: string;
	path: string;
	body?: ChatRequest;
}

export interface ModelServer {
	/** The Base URL for n8n's OpenAI credential, e.g. http://127.0.0.1:41234/v1 */
	baseUrl: string;
	requests: LoggedModelRequest[];
	/** The chat completion requests only. */
	chatRequests(): ChatRequest[];
	/** Errors the script threw (each also answered as HTTP 500). */
	scriptErrors: string[];
	close(): Promise<void>;
}

/** The text of a message's content (string or content parts). */
export function messageText(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content)) return message.content.map((part) => part.text ?? '').join('');
	return '';
}

/** The tool results in a request, in order: the tool's name (from the assistant's call) and its text. */
export function toolResults(request: ChatRequest): Array<{ name: string; text: string }> {
	const names = new Map<string, string>();
	for (const message of request.messages) {
		for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
	}
	return request.messages
		.filter((message) => message.role === 'tool')
		.map((message) => ({
			name: names.get(message.tool_call_id ?? '') ?? message.name ?? '',
			text: messageText(message),
		}));
}

let callCounter = 0;

function completion(request: ChatRequest, turn: ScriptedTurn) {
	const created = Math.floor(Date.now() / 1000);
	const toolCalls: ChatToolCall[] | undefined =
		'toolCalls' in turn
			? turn.toolCalls.map((call) => ({
					id: `call_${++callCounter}`,
					type: 'function',
					function: { name: call.name, arguments: JSON.stringify(call.arguments) },
				}))
			: undefined;
	return {
		id: `chatcmpl-${callCounter}-${created}`,
		object: 'chat.completion',
		created,
		model: request.model,
		choices: [
			{
				index: 0,
				message: {
					role: 'assistant',
					content: 'text' in turn ? turn.text : null,
					...(toolCalls ? { tool_calls: toolCalls } : {}),
				},
				logprobs: null,
				finish_reason: toolCalls ? 'tool_calls' : 'stop',
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/** The same answer as server-sent chunks (`chat.completion.chunk`), the way OpenAI streams. */
function streamChunks(request: ChatRequest, turn: ScriptedTurn): unknown[] {
	const full = completion(request, turn);
	const message = full.choices[0].message;
	const base = { id: full.id, object: 'chat.completion.chunk', created: full.created, model: full.model };
	const chunks: unknown[] = [
		{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
	];
	if (message.tool_calls) {
		message.tool_calls.forEach((call, index) => {
			chunks.push({
				...base,
				choices: [{ index: 0, delta: { tool_calls: [{ index, ...call }] }, finish_reason: null }],
			});
		});
	} else if (message.content) {
		for (const piece of message.content.match(/.{1,20}/gs) ?? []) {
			chunks.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
		}
	}
	chunks.push({
		...base,
		choices: [{ index: 0, delta: {}, finish_reason: full.choices[0].finish_reason }],
		usage: full.usage,
	});
	return chunks;
}

export async function startModelServer(script: ModelScript, modelId = 'scripted-model'): Promise<ModelServer> {
	const requests: LoggedModelRequest[] = [];
	const scriptErrors: string[] = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
		req.on('end', () => {
			const path = (req.url ?? '').split('?')[0];
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (req.method === 'GET' && path === '/v1/models') {
				requests.push({ method: 'GET', path });
				send(200, { object: 'list', data: [{ id: modelId, object: 'model', created: 0, owned_by: 'e2e' }] });
				return;
			}
			if (req.method !== 'POST' || path !== '/v1/chat/completions') {
				requests.push({ method: req.method ?? '', path });
				send(404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
				return;
			}
			let body: ChatRequest;
			try {
				body = JSON.parse(raw) as ChatRequest;
			} catch {
				send(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
				return;
			}
			requests.push({ method: 'POST', path, body });
			let turn: ScriptedTurn;
			try {
				turn = script(body);
			} catch (error) {
				scriptErrors.push((error as Error).message);
				send(500, { error: { message: `model script: ${(error as Error).message}`, type: 'server_error' } });
				return;
			}
			if (body.stream === true) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				for (const chunk of streamChunks(body, turn)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
				res.end('data: [DONE]\n\n');
				return;
			}
			send(200, completion(body, turn));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		chatRequests: () => requests.filter((r) => r.body).map((r) => r.body as ChatRequest),
		scriptErrors,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
