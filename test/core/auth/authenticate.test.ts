import type { IHttpRequestOptions } from 'n8n-workflow';
import { clearDiscoveryCache } from '../../../core/discovery';
import { UserError } from 'n8n-workflow';

import { authenticateRequest, requestTargetUrl } from '../../../core/auth/authenticate';
import { credentialFingerprint } from '../../../core/auth/tokenSettings';
import { ErpNetApi } from '../../../credentials/ErpNetApi.credentials';
import { caught, credentials, expectNoLeak, expectSurvivesNodeApiError, SECRET, TOKEN } from './fixtures';

// Discovery answers are cached per process: every test starts without one.
beforeEach(() => clearDiscoveryCache());

describe('authenticate', () => {
	const fingerprint = credentialFingerprint(credentials()) as string;
	const withToken = credentials({ accessToken: TOKEN, tokenFingerprint: fingerprint });
	const request = (options: Partial<IHttpRequestOptions> & Record<string, unknown> = {}) =>
		({ url: 'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers', method: 'GET', ...options }) as IHttpRequestOptions;

	it('adds the Bearer token for the instance', async () => {
		const result = await authenticateRequest(withToken, request({ headers: { Accept: 'application/json' } }));
		expect(result.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${TOKEN}` });
	});

	it('is the function form on the credential class', async () => {
		const { authenticate } = new ErpNetApi();
		expect(typeof authenticate).toBe('function');
		const result = await (authenticate as typeof authenticateRequest)(withToken, request());
		expect(result.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
	});

	it('combines baseURL and url (credential test) and understands legacy uri', async () => {
		expect((await authenticateRequest(withToken, request({ url: '/api/domain/odata/X', baseURL: 'https://demodb.my.erp.net' }))).headers?.Authorization).toBe(
			`Bearer ${TOKEN}`,
		);
		expect((await authenticateRequest(withToken, request({ url: undefined, uri: 'https://demodb.my.erp.net/api/domain/odata/X' }))).headers?.Authorization).toBe(
			`Bearer ${TOKEN}`,
		);
		expect(requestTargetUrl(request({ url: 'X', baseURL: 'https://h/api/domain/odata/' }))).toBe('https://h/api/domain/odata/X');
	});

	it('replaces any Authorization header the caller set', async () => {
		const result = await authenticateRequest(withToken, request({ headers: { authorization: 'Basic abc', AUTHORIZATION: 'x' } }));
		expect(result.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
	});

	it('sends no token while it is empty', async () => {
		const result = await authenticateRequest(credentials({ tokenFingerprint: fingerprint }), request({ headers: { authorization: 'stale' } }));
		expect(result.headers).toEqual({});
	});

	it.each([
		['the secret', { clientSecret: 'new-secret' }],
		['the client ID', { clientId: 'other.app' }],
		['the scope', { scope: 'read' }],
		['the instance path', { instanceUrl: 'https://demodb.my.erp.net/tenant2' }],
	])('withholds a token issued before %s was edited (so ERP.net answers 401 and n8n refreshes)', async (_what, edit) => {
		const result = await authenticateRequest({ ...withToken, ...edit }, request({ url: request().url.replace('demodb.my.erp.net', 'demodb.my.erp.net') }));
		expect(result.headers?.Authorization).toBeUndefined();
	});

	it('withholds a token stored without a fingerprint (older credentials) once', async () => {
		const result = await authenticateRequest(credentials({ accessToken: TOKEN }), request());
		expect(result.headers?.Authorization).toBeUndefined();
	});

	it.each([
		'https://evil.example.com/api/domain/odata/X',
		'http://demodb.my.erp.net/api/domain/odata/X',
		'https://demodb.my.erp.net:8443/api/domain/odata/X',
		'https://demodb.my.erp.net.evil.example.com/api',
	])('refuses to send the token to %s', async (url) => {
		const error = await caught(() => authenticateRequest(withToken, request({ url })));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toMatch(/sends its access token only to https:\/\/demodb\.my\.erp\.net, not to /);
		expectNoLeak(error, SECRET, TOKEN);
		expectSurvivesNodeApiError(error);
	});

	it('refuses when the instance URL became invalid', async () => {
		const error = await caught(() => authenticateRequest({ ...withToken, instanceUrl: 'http://demodb.my.erp.net' }, request()));
		expect(error.message).toMatch(/must use https/);
	});
});
