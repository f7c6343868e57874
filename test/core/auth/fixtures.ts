/** Credentials, settings and error checks shared by the token and authentication tests. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { type ErpNetTokenSettings, readTokenSettings } from '../../../core/auth/tokenSettings';
import { testNode } from '../fixtures';

export { caught, testNode } from '../fixtures';

export const SECRET = 'p&ss=w+rd% ü/€';
export const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.secret-token-value.signature';

export const credentials = (overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
	instanceUrl: 'https://demodb.my.erp.net',
	clientId: 'my.company/n8n',
	clientSecret: SECRET,
	scope: 'read update',
	accessToken: '',
	tokenFingerprint: '',
	...overrides,
});

export const settings = (overrides: ICredentialDataDecryptedObject = {}): ErpNetTokenSettings =>
	readTokenSettings(credentials(overrides));

export function expectNoLeak(error: unknown, ...secrets: string[]) {
	const wrapped = new NodeApiError(testNode, error as never);
	const texts = [
		JSON.stringify(error),
		JSON.stringify(wrapped),
		(error as Error).message,
		String((error as { description?: unknown }).description ?? ''),
		String((error as Error).stack ?? ''),
		JSON.stringify(wrapped.messages),
		String(wrapped.description ?? ''),
	].join('\n');
	for (const secret of secrets) {
		expect(texts).not.toContain(secret);
		expect(texts).not.toContain(encodeURIComponent(secret));
		expect(texts).not.toContain(new URLSearchParams({ s: secret }).toString().slice(2));
	}
}

/** n8n wraps hook errors in NodeApiError, which rewrites messages containing e.g. "ECONNREFUSED". */
export function expectSurvivesNodeApiError(error: Error & { description?: string | null }) {
	const wrapped = new NodeApiError(testNode, error as never);
	expect(wrapped.message).toBe(error.message);
	expect(wrapped.description).toBe(error.description);
	expect(wrapped.httpCode).toBeNull();
}
