/**
 * A small client for the n8n editor's REST API (`/rest/...`), as the editor itself uses it:
 * owner setup, login (cookie `n8n-auth`), credential test, workflows, executions.
 */
import { randomUUID } from 'node:crypto';

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@erpnet-sandbox.local',
	password: 'ErpNet-Sandbox-2026',
	firstName: 'ERP.net',
	lastName: 'Demo',
};

export interface RestResponse<T = unknown> {
	status: number;
	body: T;
	text: string;
	headers: Headers;
}

export class N8nRestClient {
	/** The `n8n-auth` cookie after setupOwner/login. */
	cookie: string | undefined;
	/** n8n binds the auth cookie to a browser id header; keep one per client. */
	readonly browserId = randomUUID();

	constructor(readonly baseUrl: string) {}

	async request<T = unknown>(method: string, path: string, body?: unknown): Promise<RestResponse<T>> {
		const headers: Record<string, string> = { 'browser-id': this.browserId, accept: 'application/json' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text === '' ? undefined : JSON.parse(text);
		} catch {
			// not JSON: keep the text
		}
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		return { status: response.status, body: parsed as T, text, headers: response.headers };
	}

	/** `POST /rest/owner/setup`. Returns false if an owner already exists (then logs in instead). */
	async setupOwner(owner: OwnerAccount = DEFAULT_OWNER): Promise<boolean> {
		const response = await this.request('POST', '/rest/owner/setup', owner);
		if (response.status === 200) return true;
		if (response.status === 400 && /already/i.test(response.text)) {
			await this.login(owner.email, owner.password);
			return false;
		}
		throw new Error(`owner setup failed: HTTP ${response.status} ${response.text}`);
	}

	/** `POST /rest/login`. */
	async login(email: string, password: string): Promise<void> {
		const response = await this.request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		if (response.status !== 200 || !this.cookie) {
			throw new Error(`login as ${email} failed: HTTP ${response.status} ${response.text}`);
		}
	}
}

/** n8n wraps most REST answers in `{ data: ... }`. */
export function unwrap<T>(body: unknown): T {
	if (body && typeof body === 'object' && 'data' in body) return (body as { data: T }).data;
	return body as T;
}
