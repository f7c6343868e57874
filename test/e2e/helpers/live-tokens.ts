/**
 * Tokens n8n's session pool holds but never stores in the credential (sessions 2..N, tokens it renews itself),
 * echoed back by ERP.net errors: a published webhook workflow (Webhook → ERP.net Get → ERP.net Delete in a `$batch`,
 * both On Error: Continue → respond with the item) on a credential with two sessions per process, and sandbox faults
 * that answer each of its requests with an error quoting the very token that request sent.
 */
import { webhookWorkflow } from './burst';
import type { WorkflowJson } from './n8n';
import { bearer, type Sandbox, TOKEN_PATH } from './sandbox';

export const LIVE_TOKENS_PATH = 'erpnet-live-tokens';
/** No customer has this Id: the Delete's `$batch` part fails with an error message. */
const MISSING_CUSTOMER = '0b7a4e8e-0000-4000-8000-00000000e2e0';

export function liveTokensWorkflow(
	id: string,
	credential: { id: string; name: string },
	customerId: string,
): WorkflowJson {
	const customer = (value: string) => ({ __rl: true, mode: 'id', value });
	const entitySet = { __rl: true, mode: 'name', value: 'Crm_Sales_Customers' };
	return webhookWorkflow({
		id,
		name: 'Webhook: Get and Delete, errors echo the token',
		path: LIVE_TOKENS_PATH,
		webhookId: '5f0c7c0e-4b7a-4d53-9a53-0e2b8d1e5a02',
		credential,
		steps: [
			{
				name: 'ERP.net',
				onError: 'continueRegularOutput',
				parameters: { resource: 'entity', operation: 'get', entitySet, recordId: customer(customerId), options: {} },
			},
			{
				name: 'ERP.net Delete',
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'entity',
					operation: 'delete',
					entitySet,
					recordId: customer(MISSING_CUSTOMER),
					options: { batching: 'independent' },
				},
			},
		],
	});
}

/** The spellings of a token the e2e hardening checks look for: whole, its signature, URL-encoded. */
export function tokenSpellings(token: string): string[] {
	return [token, token.split('.')[2], encodeURIComponent(token)].filter(
		(spelling) => spelling && spelling.length >= 16,
	);
}

export interface TokenEcho {
	/** Every access token the sandbox issued while installed. */
	issued: string[];
	/** Every token sent with a read of the record or a `$batch`. */
	sent: string[];
	/** `$batch` answers whose part error was made to quote the token. */
	batchEchoes: number;
	uninstall(): void;
}

/**
 * Answers every read of the customer with a 500 that quotes the token the read carried, in turns a JSON error
 * envelope (message and a header) and a text/html page, and every `$batch` with its parts' error messages quoting
 * the token the batch carried; records the tokens the token endpoint issues.
 */
export function echoSentTokens(sandbox: Sandbox, customerId: string): TokenEcho {
	const issued: string[] = [];
	const sent: string[] = [];
	const echo = { issued, sent, batchEchoes: 0 };
	const control = sandbox.control;
	control.injectFault({
		kind: 'rewrite',
		method: 'POST',
		pathIncludes: TOKEN_PATH,
		times: Infinity,
		rewriteBody: (body) => {
			const token = (JSON.parse(body) as { access_token?: string }).access_token;
			if (token) issued.push(token);
			return body;
		},
	});
	const path = `Crm_Sales_Customers(${customerId})`;
	// the log listener runs before the fault middleware: the fault it adds answers this very request
	const stop = control.onRequest((entry) => {
		const token = bearer(entry);
		const signature = token.split('.')[2];
		if (entry.method === 'POST' && entry.path.endsWith('/$batch') && token) {
			sent.push(token);
			control.injectFault({
				kind: 'rewrite',
				method: 'POST',
				pathIncludes: '$batch',
				rewriteBody: (body) => {
					if (body.includes('"message":"')) echo.batchEchoes += 1;
					return body.split('"message":"').join(`"message":"Token ${token} rejected (signature ${signature}): `);
				},
			});
			return;
		}
		if (entry.method !== 'GET' || !entry.url.includes(path) || !token) return;
		sent.push(token);
		control.injectFault(
			sent.length % 2 === 1
				? {
						kind: 'status',
						method: 'GET',
						pathIncludes: path,
						status: 500,
						headers: { 'X-Debug-Authorization': `Bearer ${token}` },
						body: { error: { code: 1, message: `Token ${token} rejected (signature ${signature})` } },
					}
				: {
						kind: 'status',
						method: 'GET',
						pathIncludes: path,
						status: 500,
						headers: { 'content-type': 'text/html' },
						body: `<html><p>Upstream said:\n   Authorization: Bearer ${token}\n   signature ${signature}</p></html>`,
					},
		);
	});
	return Object.assign(echo, {
		uninstall: () => {
			stop();
			control.clearFaults();
		},
	});
}
