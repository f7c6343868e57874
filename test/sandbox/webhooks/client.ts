/** A small Domain API client for the webhook conformance tests: token, JSON requests, `$batch` changesets. */
import type { Sandbox } from '../../../sandbox/src';

export interface Reply {
	status: number;
	text: string;
	json: Record<string, unknown> & { value?: Array<Record<string, unknown>>; error?: { message: string; code: number } };
}

export async function accessToken(sandbox: Sandbox): Promise<string> {
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
		}),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

export async function odata(
	sandbox: Sandbox,
	token: string,
	path: string,
	init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
	const response = await fetch(`${sandbox.odataRoot}${path}`, {
		method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
		body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
	});
	const text = await response.text();
	let json: Reply['json'] = {};
	try {
		json = JSON.parse(text);
	} catch {
		json = {};
	}
	return { status: response.status, text, json };
}

/** The Id of a created entity, from its `@odata.id` (the Id is a system attribute, left out without $select). */
export function idOf(reply: Reply): string {
	const odataId = String(reply.json['@odata.id'] ?? '');
	return odataId.slice(odataId.lastIndexOf('(') + 1, -1);
}

/** One changeset of POSTs (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html), sent as a `$batch`. */
export async function postChangeset(
	sandbox: Sandbox,
	token: string,
	operations: Array<{ method?: string; path: string; body?: unknown }>,
): Promise<{ status: number; text: string }> {
	const parts = operations
		.map(
			({ method, path, body }, index) =>
				`--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${index + 1}\r\n\r\n` +
				`${method ?? 'POST'} ${path} HTTP/1.1\r\nContent-Type: application/json\r\n\r\n${body === undefined ? '' : JSON.stringify(body)}\r\n`,
		)
		.join('');
	const batch = `--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n${parts}--changeset_1--\r\n--batch_1--\r\n`;
	const response = await fetch(`${sandbox.odataRoot}$batch`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=batch_1' },
		body: batch,
	});
	return { status: response.status, text: await response.text() };
}

/** A webhook template as https://docs.erp.net/tech/advanced/concepts/webhooks.html's example ("wh_01"). */
export function webhookTemplate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		Code: 'wh_01',
		Name: { EN: 'Webhook 01' },
		RepositoryName: 'Crm.Sales.SalesOrders',
		URL: 'http://127.0.0.1:9/{Id}',
		Headers: 'User-Agent: ERP.net\r\nX-Auth-Token: my_security_token',
		Body: '{{ "Id": "{Id}" }}',
		...overrides,
	};
}

/** A user business rule with one event and one WEBHOOK action whose Parameter 1 is the template's code. */
export function webhookRule(
	overrides: Record<string, unknown> = {},
	eventType = 'AGGREGATECLIENTCOMMITTED',
	webhookCode = 'wh_01',
): Record<string, unknown> {
	return {
		Code: 'R_WH_01',
		Name: { EN: 'Push sales orders' },
		RepositoryName: 'Crm.Sales.SalesOrders',
		Layer: 'BackEnd',
		IsActive: true,
		Events: [{ EventType: eventType, ExecutionPriority: 'Normal', Layer: 'BackEnd' }],
		Actions: [{ ActionNo: 1, ActionType: 'WEBHOOK', Parameter1Type: 'Constant', Parameter1Value: webhookCode }],
		...overrides,
	};
}
