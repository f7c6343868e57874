import type { IHttpRequestOptions } from 'n8n-workflow';

import {
	assertSitesWorking,
	clearDiscoveryCache,
	DISCOVERY_TTL_MS,
	domainRootOf,
	parseDiscovery,
	peekInstanceSites,
	resolveInstanceSites,
	toODataRoot,
	trustedOrigins,
} from '../../core/discovery';

const INSTANCE = 'https://testdb.my.erp.net';

/** The documented answer of https://docs.erp.net/dev/auth/concepts/identity-server.html, the API on another host of the instance's domain. */
function discoveryBody(apiUrl = 'https://erpapi.testdb.my.erp.net', overrides: Record<string, unknown> = {}) {
	return {
		WebSites: [
			{ Type: 'ID', Status: 'Working', Url: `${INSTANCE}/id` },
			{
				Type: 'DomainAPI',
				Status: 'Working',
				Url: apiUrl,
				AdditionalProperties: { ODataServiceRoot: `${apiUrl}/domain/odata/` },
				...overrides,
			},
		],
	};
}

function requester(statusCode: number, body: unknown) {
	const calls: IHttpRequestOptions[] = [];
	const request = async (options: IHttpRequestOptions) => {
		calls.push(options);
		return { statusCode, body };
	};
	return { request, calls };
}

beforeEach(() => clearDiscoveryCache());

describe('parseDiscovery', () => {
	it('should read the Identity and the ODataServiceRoot of the documented answer', () => {
		expect(parseDiscovery(discoveryBody())).toEqual({
			discovered: true,
			identityUrl: `${INSTANCE}/id`,
			identityStatus: 'Working',
			odataRoot: 'https://erpapi.testdb.my.erp.net/domain/odata/',
			domainApiStatus: 'Working',
		});
	});

	it('should append /domain/odata/ to the site Url when ODataServiceRoot is absent, and read the old type name API', () => {
		const parsed = parseDiscovery({
			WebSites: [{ Type: 'API', Status: 'Working', Url: 'https://erpapi.example.com/api' }],
		});
		expect(parsed?.odataRoot).toBe('https://erpapi.example.com/api/domain/odata/');
		expect(parsed?.identityUrl).toBeUndefined();
	});

	it('should prefer a Working DomainAPI site over a stopped one', () => {
		const body = discoveryBody('https://a.example.com', { Status: 'Stopped' });
		body.WebSites.push({
			Type: 'DomainAPI',
			Status: 'Working',
			Url: 'https://b.example.com',
			AdditionalProperties: { ODataServiceRoot: 'https://b.example.com/domain/odata/' },
		});
		expect(parseDiscovery(body)?.odataRoot).toBe('https://b.example.com/domain/odata/');
	});

	it('should not take a proxy page or other JSON for a discovery answer', () => {
		expect(parseDiscovery('<html>login</html>')).toBeUndefined();
		expect(parseDiscovery({ hello: 'world' })).toBeUndefined();
		expect(parseDiscovery(null)).toBeUndefined();
	});

	it('should refuse a site on plain http (the token would travel unencrypted)', () => {
		expect(() => parseDiscovery(discoveryBody('http://erpapi.example.com'))).toThrow(/https/);
	});
});

describe('resolveInstanceSites', () => {
	it('should use the discovered roots and call discovery without a token', async () => {
		const { request, calls } = requester(200, discoveryBody());
		const sites = await resolveInstanceSites(request, `${INSTANCE}/`);

		expect(calls).toHaveLength(1);
		expect(calls[0].url).toBe(`${INSTANCE}/sys/auto-discovery`);
		expect(JSON.stringify(calls[0].headers)).not.toMatch(/authorization|api-key/i);
		expect(sites).toMatchObject({
			identityUrl: `${INSTANCE}/id`,
			odataRoot: 'https://erpapi.testdb.my.erp.net/domain/odata/',
			source: 'discovery',
		});
		expect(trustedOrigins(sites).sort()).toEqual(['https://erpapi.testdb.my.erp.net', INSTANCE]);
	});

	it.each([[404], [500], [401]])('should fall back to the default paths when discovery answers %s', async (status) => {
		const { request } = requester(status, 'Not Found');
		const sites = await resolveInstanceSites(request, INSTANCE);
		expect(sites).toMatchObject({
			identityUrl: `${INSTANCE}/id`,
			odataRoot: `${INSTANCE}/api/domain/odata/`,
			source: 'default paths',
			discovered: false,
		});
		expect(trustedOrigins(sites)).toEqual([INSTANCE]);
	});

	it('should fall back when the discovery request fails on the network', async () => {
		const sites = await resolveInstanceSites(async () => {
			throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		}, INSTANCE);
		expect(sites.source).toBe('default paths');
	});

	it('should cache the answer per instance for a bounded time', async () => {
		const { request, calls } = requester(200, discoveryBody());
		await resolveInstanceSites(request, INSTANCE, '', 1_000);
		await resolveInstanceSites(request, INSTANCE, '', 1_000 + DISCOVERY_TTL_MS - 1);
		expect(calls).toHaveLength(1);
		await resolveInstanceSites(request, INSTANCE, '', 1_000 + DISCOVERY_TTL_MS);
		expect(calls).toHaveLength(2);
	});

	it('should share one discovery request between concurrent callers', async () => {
		const { request, calls } = requester(200, discoveryBody());
		await Promise.all([resolveInstanceSites(request, INSTANCE), resolveInstanceSites(request, INSTANCE)]);
		expect(calls).toHaveLength(1);
	});

	it('should let the override replace the Domain API root but keep the discovered Identity', async () => {
		const { request } = requester(200, discoveryBody());
		const sites = await resolveInstanceSites(request, INSTANCE, 'https://proxy.example.com/erp/api');
		expect(sites).toMatchObject({
			identityUrl: `${INSTANCE}/id`,
			odataRoot: 'https://proxy.example.com/erp/api/domain/odata/',
			source: 'override',
		});
	});

	it('should remember the last answer for checks made without a request', async () => {
		expect(peekInstanceSites(INSTANCE).source).toBe('default paths');
		await resolveInstanceSites(requester(200, discoveryBody()).request, INSTANCE);
		expect(peekInstanceSites(INSTANCE).odataRoot).toBe('https://erpapi.testdb.my.erp.net/domain/odata/');
	});
});

describe('assertSitesWorking', () => {
	it('should name the site and its status when it is not Working', async () => {
		const { request } = requester(200, discoveryBody('https://erpapi.testdb.my.erp.net', { Status: 'Stopped' }));
		const sites = await resolveInstanceSites(request, INSTANCE);
		expect(() => assertSitesWorking(sites, { identity: true, domainApi: true })).toThrow(
			'The ERP.net instance reports a site that is not working: Domain API at https://erpapi.testdb.my.erp.net/domain/odata/ has status "Stopped".',
		);
		expect(() => assertSitesWorking(sites, { identity: true, domainApi: false })).not.toThrow();
	});
});

describe('toODataRoot', () => {
	it.each([
		['https://erpapi.example.com/', 'https://erpapi.example.com/domain/odata/'],
		['https://erpapi.example.com/api', 'https://erpapi.example.com/api/domain/odata/'],
		['https://x.my.erp.net/api/domain/odata', 'https://x.my.erp.net/api/domain/odata/'],
		['https://x.my.erp.net/api/domain/odata/?a=1', 'https://x.my.erp.net/api/domain/odata/'],
		['http://127.0.0.1:5000', 'http://127.0.0.1:5000/domain/odata/'],
	])('should turn %s into %s', (input, root) => {
		expect(toODataRoot(input)).toBe(root);
		expect(domainRootOf(root)).toBe(root.replace(/odata\/$/, ''));
	});

	it.each(['http://erpapi.example.com', 'ftp://x', 'not a url', 'https://user:pw@x.example.com'])(
		'should refuse %s',
		(input) => {
			expect(() => toODataRoot(input)).toThrow();
		},
	);
});

describe('sites on another domain', () => {
	it('should not follow a redirect of auto-discovery', async () => {
		const { request, calls } = requester(302, '');
		const sites = await resolveInstanceSites(request, INSTANCE);
		expect(calls[0].disableFollowRedirect).toBe(true);
		expect(sites).toMatchObject({
			identityUrl: `${INSTANCE}/id`,
			odataRoot: `${INSTANCE}/api/domain/odata/`,
			source: 'default paths',
		});
	});

	it('should refuse a discovered Domain API or Identity on another registrable domain, naming both hosts', async () => {
		const foreignApi = requester(200, discoveryBody('https://erpapi.example.com'));
		await expect(resolveInstanceSites(foreignApi.request, INSTANCE)).rejects.toThrow(
			"ERP.net's auto-discovery for testdb.my.erp.net names a site on another domain: Domain API at erpapi.example.com. n8n does not send the credential there.",
		);
		// the checks made without a request never trust it either
		expect(peekInstanceSites(INSTANCE).odataRoot).toBe(`${INSTANCE}/api/domain/odata/`);

		clearDiscoveryCache();
		const otherInstance = requester(200, {
			WebSites: [{ Type: 'ID', Status: 'Working', Url: 'https://otherdb.my.erp.net/id' }],
		});
		await expect(resolveInstanceSites(otherInstance.request, INSTANCE)).rejects.toThrow(
			/Identity at otherdb\.my\.erp\.net/,
		);
	});

	it('should accept a Domain API on another domain when the user typed it as the Domain API Root', async () => {
		const { request } = requester(200, discoveryBody('https://erpapi.example.com'));
		const sites = await resolveInstanceSites(request, INSTANCE, 'https://erpapi.example.com');
		expect(sites).toMatchObject({ odataRoot: 'https://erpapi.example.com/domain/odata/', source: 'override' });
	});

	it("should accept loopback for a loopback instance and otherwise only the instance's own IP address", async () => {
		const loopback = requester(200, {
			WebSites: [
				{ Type: 'DomainAPI', Status: 'Working', Url: 'http://localhost:4000/api' },
				{ Type: 'ID', Url: 'http://[::1]:4001/id' },
			],
		});
		await expect(resolveInstanceSites(loopback.request, 'http://127.0.0.1:3000')).resolves.toMatchObject({
			source: 'discovery',
		});
		const otherIp = requester(200, {
			WebSites: [{ Type: 'DomainAPI', Status: 'Working', Url: 'https://10.0.0.9/api' }],
		});
		await expect(resolveInstanceSites(otherIp.request, 'https://10.0.0.8')).rejects.toThrow(
			/Domain API at 10\.0\.0\.9/,
		);
		clearDiscoveryCache();
		const sameIp = requester(200, {
			WebSites: [{ Type: 'DomainAPI', Status: 'Working', Url: 'https://10.0.0.8:8443/api' }],
		});
		await expect(resolveInstanceSites(sameIp.request, 'https://10.0.0.8')).resolves.toMatchObject({
			source: 'discovery',
		});
	});
});
