import type { IHttpRequestOptions } from 'n8n-workflow';
import { clearDiscoveryCache, resolveInstanceSites } from '../../../core/discovery';
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
		({
			url: 'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers',
			method: 'GET',
			...options,
		}) as IHttpRequestOptions;

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
		expect(
			(
				await authenticateRequest(
					withToken,
					request({ url: '/api/domain/odata/X', baseURL: 'https://demodb.my.erp.net' }),
				)
			).headers?.Authorization,
		).toBe(`Bearer ${TOKEN}`);
		expect(
			(
				await authenticateRequest(
					withToken,
					request({ url: undefined, uri: 'https://demodb.my.erp.net/api/domain/odata/X' }),
				)
			).headers?.Authorization,
		).toBe(`Bearer ${TOKEN}`);
		expect(requestTargetUrl(request({ url: 'X', baseURL: 'https://h/api/domain/odata/' }))).toBe(
			'https://h/api/domain/odata/X',
		);
	});

	it('replaces any Authorization header the caller set', async () => {
		const result = await authenticateRequest(
			withToken,
			request({ headers: { authorization: 'Basic abc', AUTHORIZATION: 'x' } }),
		);
		expect(result.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
	});

	it('sends no token while it is empty', async () => {
		const result = await authenticateRequest(
			credentials({ tokenFingerprint: fingerprint }),
			request({ headers: { authorization: 'stale' } }),
		);
		expect(result.headers).toEqual({});
	});

	it.each([
		['the secret', { clientSecret: 'new-secret' }],
		['the client ID', { clientId: 'other.app' }],
		['the scope', { scope: 'read' }],
		['the instance path', { instanceUrl: 'https://demodb.my.erp.net/tenant2' }],
	])(
		'withholds a token issued before %s was edited (so ERP.net answers 401 and n8n refreshes)',
		async (_what, edit) => {
			const instanceUrl = (edit as { instanceUrl?: string }).instanceUrl ?? 'https://demodb.my.erp.net';
			const result = await authenticateRequest(
				{ ...withToken, ...edit },
				request({ url: `${instanceUrl}/api/domain/odata/Crm_Sales_Customers` }),
			);
			expect(result.headers?.Authorization).toBeUndefined();
		},
	);

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

	it.each([
		'https://demodb.my.erp.net/sys/anything',
		'https://demodb.my.erp.net/id/connect/userinfo',
		'https://demodb.my.erp.net/api/other/odata/X',
		'https://demodb.my.erp.net/api/domainx/odata/X',
		'https://demodb.my.erp.net/api/domain/odata/../../../admin',
		'https://demodb.my.erp.net/api/domain/odata/%2e%2e/%2e%2e/%2e%2e/admin',
	])('refuses to send the token to another path of the instance: %s', async (url) => {
		const result = request({ url, headers: { Authorization: 'Bearer typed-by-user' } });
		const error = await caught(() => authenticateRequest(withToken, result));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toMatch(
			/only under the instance's Domain API https:\/\/demodb\.my\.erp\.net\/api\/domain\/, not to https:\/\/demodb\.my\.erp\.net\//,
		);
		expect(result.headers).toEqual({ Authorization: 'Bearer typed-by-user' });
		expectNoLeak(error, SECRET, TOKEN);
		expectSurvivesNodeApiError(error);
	});

	it('sends the token to the OData service and the model endpoints beside it', async () => {
		for (const url of [
			'https://demodb.my.erp.net/api/domain/odata/$batch',
			'https://demodb.my.erp.net/api/domain/currentmodel/Crm_Sales_Customers',
		]) {
			expect((await authenticateRequest(withToken, request({ url }))).headers?.Authorization).toBe(`Bearer ${TOKEN}`);
		}
	});

	it('keeps the token of an instance served under a path prefix to that prefix', async () => {
		const prefixed = { ...withToken, instanceUrl: 'https://host.example.com/tenant-a' };
		const own = { ...prefixed, tokenFingerprint: credentialFingerprint(prefixed) as string };
		const result = await authenticateRequest(
			own,
			request({ url: 'https://host.example.com/tenant-a/api/domain/odata/X' }),
		);
		expect(result.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
		for (const url of [
			'https://host.example.com/tenant-b/api/domain/odata/X',
			'https://host.example.com/api/domain/odata/X',
			'https://host.example.com/tenant-ab/api/domain/odata/X',
		]) {
			const error = await caught(() => authenticateRequest(own, request({ url })));
			expect(error.message).toContain(
				"only under the instance's Domain API https://host.example.com/tenant-a/api/domain/, not to",
			);
		}
	});

	it('keeps the token under an overridden Domain API Root path', async () => {
		const overridden = { ...withToken, domainApiRoot: 'https://proxy.example.com/erp/' };
		const own = { ...overridden, tokenFingerprint: credentialFingerprint(overridden) as string };
		expect(
			(await authenticateRequest(own, request({ url: 'https://proxy.example.com/erp/domain/odata/X' }))).headers
				?.Authorization,
		).toBe(`Bearer ${TOKEN}`);
		const error = await caught(() =>
			authenticateRequest(own, request({ url: 'https://proxy.example.com/other/domain/odata/X' })),
		);
		expect(error.message).toContain(
			"only under the instance's Domain API https://proxy.example.com/erp/domain/, not to https://proxy.example.com/other/domain/odata/X",
		);
	});

	it('sends the token to the discovered Domain API origin only', async () => {
		await resolveInstanceSites(
			async () => ({
				statusCode: 200,
				body: {
					WebSites: [
						{ Type: 'ID', Status: 'Working', Url: 'https://demodb.my.erp.net/id' },
						{ Type: 'DomainAPI', Status: 'Working', Url: 'https://erpapi.demodb.my.erp.net' },
					],
				},
			}),
			'https://demodb.my.erp.net',
		);
		const error = await caught(() => authenticateRequest(withToken, request({ url: 'https://evil.example.com/x' })));
		expect(error.message).toBe(
			'The ERP.net credential sends its access token only to https://erpapi.demodb.my.erp.net, not to https://evil.example.com.',
		);
	});

	it('refuses when the instance URL became invalid', async () => {
		const error = await caught(() =>
			authenticateRequest({ ...withToken, instanceUrl: 'http://demodb.my.erp.net' }, request()),
		);
		expect(error.message).toMatch(/must use https/);
	});
});
