import type { IHttpRequestOptions } from 'n8n-workflow';

import { preAuthenticateCredential, storedTokenFor, tokenFetcher } from '../../../core/auth/sessionTokens';
import { credentialFingerprint } from '../../../core/auth/tokenSettings';
import { clearDiscoveryCache } from '../../../core/discovery';
import { credentials } from './fixtures';

/** An instance without auto-discovery whose token endpoint issues token-1, token-2, … */
function tokenEndpoint(answer: Record<string, unknown> = { expires_in: 3600, scope: 'read update' }) {
	const calls: IHttpRequestOptions[] = [];
	let issued = 0;
	const helpers = {
		httpRequest: async (options: IHttpRequestOptions) => {
			calls.push(options);
			if (options.url.endsWith('/sys/auto-discovery')) return { statusCode: 404, headers: {}, body: 'Not Found' };
			issued++;
			return {
				statusCode: 200,
				headers: { 'content-type': 'application/json' },
				body: { access_token: `token-${issued}`, token_type: 'Bearer', ...answer },
			};
		},
	};
	return { helpers: helpers as never, tokenRequests: () => calls.filter((call) => call.method === 'POST') };
}

const fingerprint = credentialFingerprint(credentials()) as string;

// Discovery answers are cached per process; the session pools are reset before each test (test/helpers).
beforeEach(() => clearDiscoveryCache());

describe('storedTokenFor', () => {
	it('should give the stored token when it was issued for the current settings', () => {
		expect(storedTokenFor(credentials({ accessToken: 'stored', tokenFingerprint: fingerprint }), fingerprint)).toBe(
			'stored',
		);
	});

	it('should give none for a token of other settings or without a fingerprint', () => {
		expect(storedTokenFor(credentials({ accessToken: 'stored', tokenFingerprint: 'v1:other' }), fingerprint)).toBe('');
		expect(storedTokenFor(credentials({ accessToken: 'stored' }), fingerprint)).toBe('');
	});
});

describe('tokenFetcher', () => {
	it('should request nothing until called, then one token with the helpers it was given', async () => {
		const endpoint = tokenEndpoint();
		const fetch = tokenFetcher(endpoint.helpers, credentials());
		expect(endpoint.tokenRequests()).toHaveLength(0);
		expect(await fetch()).toMatchObject({
			accessToken: 'token-1',
			expiresInSeconds: 3600,
			grantedScope: 'read update',
		});
		expect(endpoint.tokenRequests().map((call) => call.url)).toEqual(['https://demodb.my.erp.net/id/connect/token']);
	});
});

describe('preAuthenticateCredential', () => {
	it('should return the token with its fingerprint, expiry, discovered sites and granted scope', async () => {
		const before = Date.now();
		const output = await preAuthenticateCredential(tokenEndpoint().helpers, credentials());
		expect(output).toMatchObject({
			accessToken: 'token-1',
			tokenFingerprint: fingerprint,
			discoveredSites: JSON.stringify({ instanceUrl: 'https://demodb.my.erp.net', discovered: false }),
			grantedScope: 'read update',
		});
		expect(Number(output.tokenExpiresAt)).toBeGreaterThanOrEqual(before + 3600_000);
		expect(Number(output.tokenExpiresAt)).toBeLessThanOrEqual(Date.now() + 3600_000);
	});

	it('should leave expiry and scope empty when the token endpoint does not send them', async () => {
		const output = await preAuthenticateCredential(tokenEndpoint({}).helpers, credentials());
		expect(output).toMatchObject({ accessToken: 'token-1', tokenExpiresAt: '', grantedScope: '' });
	});

	it('should share one token request between concurrent callers', async () => {
		const endpoint = tokenEndpoint();
		const outputs = await Promise.all(
			[1, 2, 3].map(async () => await preAuthenticateCredential(endpoint.helpers, credentials())),
		);
		expect(outputs.map((output) => output.accessToken)).toEqual(['token-1', 'token-1', 'token-1']);
		expect(endpoint.tokenRequests()).toHaveLength(1);
	});

	it("should reuse this process's token when n8n has none stored", async () => {
		const endpoint = tokenEndpoint();
		await preAuthenticateCredential(endpoint.helpers, credentials());
		const again = await preAuthenticateCredential(endpoint.helpers, credentials());
		expect(again.accessToken).toBe('token-1');
		expect(endpoint.tokenRequests()).toHaveLength(1);
	});

	it('should replace the stored token when n8n calls again after ERP.net rejected it (401)', async () => {
		const endpoint = tokenEndpoint();
		const first = await preAuthenticateCredential(endpoint.helpers, credentials());
		const rejected = credentials({ accessToken: first.accessToken, tokenFingerprint: first.tokenFingerprint });
		const replaced = await preAuthenticateCredential(endpoint.helpers, rejected);
		expect(replaced.accessToken).toBe('token-2');
		expect(endpoint.tokenRequests()).toHaveLength(2);
	});

	it('should not take a stored token of other settings for a rejected one', async () => {
		const endpoint = tokenEndpoint();
		await preAuthenticateCredential(endpoint.helpers, credentials());
		const stale = credentials({ accessToken: 'token-1', tokenFingerprint: 'v1:settings-before-an-edit' });
		expect((await preAuthenticateCredential(endpoint.helpers, stale)).accessToken).toBe('token-1');
		expect(endpoint.tokenRequests()).toHaveLength(1);
	});

	it('should request a token of its own for each credential setting that decides the token', async () => {
		const endpoint = tokenEndpoint();
		await preAuthenticateCredential(endpoint.helpers, credentials());
		const other = await preAuthenticateCredential(endpoint.helpers, credentials({ scope: 'read' }));
		expect(other.accessToken).toBe('token-2');
		expect(other.tokenFingerprint).not.toBe(fingerprint);
	});
});
