import type { IHttpRequestOptions } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { requestAccessToken } from '../../../core/auth/tokenExchange';
import { clearDiscoveryCache } from '../../../core/discovery';
import { buildTokenRequestBody, credentialFingerprint } from '../../../core/auth/tokenSettings';
import { ErpNetApi } from '../../../credentials/ErpNetApi.credentials';
import { caught, credentials, SECRET, settings, TOKEN } from './fixtures';

// Discovery answers are cached per process: every test starts without one.
beforeEach(() => clearDiscoveryCache());

describe('token request', () => {
	it('form-encodes every field so that any secret survives', () => {
		for (const secret of [SECRET, 'a b', 'x&client_secret=y', '100%', '+=+', 'ключ', '🔑 key', '"quoted"\n']) {
			const body = buildTokenRequestBody(settings({ clientSecret: secret }));
			const form = new URLSearchParams(body);
			expect(form.get('client_secret')).toBe(secret);
			expect([...form.keys()]).toEqual(['grant_type', 'client_id', 'client_secret', 'scope']);
			expect(form.getAll('client_secret')).toHaveLength(1);
		}
	});

	it('sends exactly the documented fields', () => {
		const form = new URLSearchParams(buildTokenRequestBody(settings({ clientId: ' n8n.sandbox/service ' })));
		expect(Object.fromEntries(form)).toEqual({
			grant_type: 'client_credentials',
			client_id: 'n8n.sandbox/service',
			client_secret: SECRET,
			scope: 'read update',
		});
	});

	it('omits an empty scope (ERP.net then grants all scopes of the trusted application)', () => {
		expect(new URLSearchParams(buildTokenRequestBody(settings({ scope: '  ' }))).has('scope')).toBe(false);
		expect(new URLSearchParams(buildTokenRequestBody(settings({ scope: ' read   update ' }))).get('scope')).toBe(
			'read update',
		);
	});

	it('posts the form to {instance}/id/connect/token without following redirects when the instance has no auto-discovery', async () => {
		const calls: IHttpRequestOptions[] = [];
		const helpers = {
			httpRequest: async (options: IHttpRequestOptions) => {
				calls.push(options);
				if (options.url.endsWith('/sys/auto-discovery')) return { statusCode: 404, headers: {}, body: 'Not Found' };
				return {
					statusCode: 200,
					headers: { 'content-type': 'application/json' },
					body: { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 },
				};
			},
		};
		const result = await requestAccessToken(
			helpers as never,
			credentials({ instanceUrl: 'demodb.my.erp.net/api/domain/odata/' }),
		);

		expect(result).toEqual({
			accessToken: TOKEN,
			tokenFingerprint: credentialFingerprint(credentials()),
			discoveredSites: JSON.stringify({ instanceUrl: 'https://demodb.my.erp.net', discovered: false }),
			grantedScope: '',
			expiresInSeconds: 3600,
		});
		expect(calls.map((call) => `${call.method} ${call.url}`)).toEqual([
			'GET https://demodb.my.erp.net/sys/auto-discovery',
			'POST https://demodb.my.erp.net/id/connect/token',
		]);
		expect(JSON.stringify(calls[0])).not.toContain(SECRET);
		calls.shift();
		expect(calls[0]).toMatchObject({
			method: 'POST',
			url: 'https://demodb.my.erp.net/id/connect/token',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		});
		expect(typeof calls[0].body).toBe('string');
		expect(new URLSearchParams(calls[0].body as string).get('client_secret')).toBe(SECRET);
		expect(calls[0].timeout).toBeGreaterThan(0);
	});

	it('is what the credential class runs as preAuthentication', async () => {
		const helpers = {
			httpRequest: async () => ({ statusCode: 200, headers: {}, body: JSON.stringify({ access_token: TOKEN }) }),
		};
		const output = await new ErpNetApi().preAuthentication.call({ helpers } as never, credentials());
		expect(output).toMatchObject({
			accessToken: TOKEN,
			tokenFingerprint: credentialFingerprint(credentials()),
			tokenExpiresAt: '',
		});
	});

	it('asks the Identity that auto-discovery names for the token', async () => {
		const calls: IHttpRequestOptions[] = [];
		const helpers = {
			httpRequest: async (options: IHttpRequestOptions) => {
				calls.push(options);
				if (options.url.endsWith('/sys/auto-discovery')) {
					return {
						statusCode: 200,
						body: {
							WebSites: [
								{ Type: 'ID', Status: 'Working', Url: 'https://login.demodb.my.erp.net/id' },
								{ Type: 'DomainAPI', Status: 'Working', Url: 'https://erpapi.demodb.my.erp.net' },
							],
						},
					};
				}
				return { statusCode: 200, headers: {}, body: { access_token: TOKEN } };
			},
		};
		await requestAccessToken(helpers as never, credentials());
		expect(calls[1].url).toBe('https://login.demodb.my.erp.net/id/connect/token');
	});

	it('stops with the site and its status when the Identity is not Working', async () => {
		const helpers = {
			httpRequest: async () => ({
				statusCode: 200,
				body: { WebSites: [{ Type: 'ID', Status: 'Stopped', Url: 'https://demodb.my.erp.net/id' }] },
			}),
		};
		const error = await caught(() => requestAccessToken(helpers as never, credentials()));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toBe(
			'The ERP.net instance reports a site that is not working: Identity (ID) at https://demodb.my.erp.net/id has status "Stopped".',
		);
	});

	it.each([
		[{ instanceUrl: '' }, /instance URL is empty/],
		[{ instanceUrl: 'http://demodb.my.erp.net' }, /must use https/],
		[{ clientId: '  ' }, /has no Client ID/],
		[{ clientSecret: '' }, /has no Client Secret/],
	])('checks the settings before sending anything (%j)', async (overrides, message) => {
		let called = false;
		const helpers = { httpRequest: async () => ((called = true), {}) };
		const error = await caught(() => requestAccessToken(helpers as never, credentials(overrides)));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toMatch(message);
		expect(called).toBe(false);
	});
});
