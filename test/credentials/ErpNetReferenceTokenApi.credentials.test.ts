import type { IHttpRequestOptions } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { authenticateRequest } from '../../core/auth/authenticate';
import {
	authenticateWithReferenceToken,
	readReferenceToken,
	referenceTokenRejected,
} from '../../core/auth/referenceToken';
import { clearDiscoveryCache, resolveInstanceSites } from '../../core/discovery';
import { ErpNetReferenceTokenApi } from '../../credentials/ErpNetReferenceTokenApi.credentials';

const TOKEN = `enrt_${'1D41D4694B4F02D3D6A31FFA07E20B73F48248B26C75A0CCCB5F9DBEE41F7960'}`;
const INSTANCE = 'https://demodb.my.erp.net';

function credentials(overrides: Record<string, string> = {}) {
	return { instanceUrl: INSTANCE, referenceToken: TOKEN, domainApiRoot: '', discoveredSites: '', ...overrides };
}

function request(overrides: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions {
	return { method: 'GET', url: `${INSTANCE}/api/domain/odata/Crm_Sales_Customers`, headers: {}, ...overrides };
}

async function caught(fn: () => unknown): Promise<Error & { description?: string }> {
	try {
		await fn();
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected an error');
}

/** Makes this process "know" that the instance serves its Domain API elsewhere. */
async function discoverApiAt(apiUrl: string) {
	await resolveInstanceSites(
		async () => ({
			statusCode: 200,
			body: {
				WebSites: [
					{ Type: 'ID', Status: 'Working', Url: `${INSTANCE}/id` },
					{
						Type: 'DomainAPI',
						Status: 'Working',
						Url: apiUrl,
						AdditionalProperties: { ODataServiceRoot: `${apiUrl}/domain/odata/` },
					},
				],
			},
		}),
		INSTANCE,
	);
}

beforeEach(() => clearDiscoveryCache());

describe('ERP.net Reference Token credential', () => {
	it('should declare the persisted names and a password field for the token', () => {
		const type = new ErpNetReferenceTokenApi();
		expect(type.name).toBe('erpNetReferenceTokenApi');
		const names = type.properties.map((property) => property.name);
		expect(names).toEqual(expect.arrayContaining(['instanceUrl', 'referenceToken']));
		expect(type.properties.find((property) => property.name === 'referenceToken')?.typeOptions?.password).toBe(true);
		expect(type.test.request.url).toContain('General_Currencies_Currencies');
	});

	it.each(['', '   ', 'eyJhbGciOi.x.y', 'ENRT_ABC', 'Bearer enrt_ABC'])(
		'should refuse a token that does not start with enrt_ (%j), without echoing it',
		async (value) => {
			const error = await caught(() =>
				authenticateWithReferenceToken(credentials({ referenceToken: value }), request()),
			);
			expect(error).toBeInstanceOf(UserError);
			expect(error.message).toMatch(/enrt_|no token/);
			if (value.trim() !== '') expect(`${error.message} ${error.description}`).not.toContain(value.trim());
		},
	);

	it('should send the token as Authorization: Bearer to the instance and drop any other token header', async () => {
		const result = await authenticateWithReferenceToken(
			credentials({ referenceToken: `  ${TOKEN} ` }),
			request({ headers: { 'X-Api-Key': 'old', authorization: 'Basic x' } }),
		);
		expect(result.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
		expect(readReferenceToken(credentials())).toBe(TOKEN);
	});

	it('should refuse to send the token to another origin', async () => {
		const error = await caught(() =>
			authenticateWithReferenceToken(credentials(), request({ url: 'https://evil.example.com/api/domain/odata/X' })),
		);
		expect(error.message).toBe(
			`The ERP.net credential sends its access token only to ${INSTANCE}, not to https://evil.example.com.`,
		);
		expect(JSON.stringify(error)).not.toContain(TOKEN);
	});

	it('should refuse to send the token to another path of the instance', async () => {
		const error = await caught(() =>
			authenticateWithReferenceToken(credentials(), request({ url: `${INSTANCE}/sys/anything?x=1` })),
		);
		expect(error.message).toBe(
			`The ERP.net credential sends its access token only under the instance's Domain API ${INSTANCE}/api/domain/, not to ${INSTANCE}/sys/anything.`,
		);
		expect(JSON.stringify(error)).not.toContain(TOKEN);
	});

	it('should move the default-root test request to the discovered Domain API and send the token only there', async () => {
		await discoverApiAt('https://erpapi.demodb.my.erp.net');
		const result = await authenticateWithReferenceToken(
			credentials(),
			request({ url: '/api/domain/odata/General_Currencies_Currencies?$top=1', baseURL: INSTANCE }),
		);
		expect(result.url).toBe('https://erpapi.demodb.my.erp.net/domain/odata/General_Currencies_Currencies?$top=1');
		expect(result.baseURL).toBeUndefined();
		expect(result.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
		await expect(
			authenticateWithReferenceToken(credentials(), request({ url: 'https://other.example.com/domain/odata/X' })),
		).rejects.toThrow('only to https://erpapi.demodb.my.erp.net, not to https://other.example.com');
	});

	it('should use the sites stored with the credential when this process has not read discovery', async () => {
		const stored = JSON.stringify({
			instanceUrl: INSTANCE,
			discovered: true,
			odataRoot: 'https://erpapi.demodb.my.erp.net/domain/odata/',
			domainApiStatus: 'Working',
		});
		const result = await authenticateWithReferenceToken(credentials({ discoveredSites: stored }), request());
		expect(result.url).toBe('https://erpapi.demodb.my.erp.net/domain/odata/Crm_Sales_Customers');
	});

	it('should use the Domain API Root override', async () => {
		const result = await authenticateWithReferenceToken(
			credentials({ domainApiRoot: 'https://proxy.example.com/erp/' }),
			request(),
		);
		expect(result.url).toBe('https://proxy.example.com/erp/domain/odata/Crm_Sales_Customers');
	});

	it('should stop with a clear message when the Domain API site is not Working', async () => {
		const stored = JSON.stringify({
			instanceUrl: INSTANCE,
			discovered: true,
			odataRoot: `${INSTANCE}/api/domain/odata/`,
			domainApiStatus: 'Maintenance',
		});
		const error = await caught(() =>
			authenticateWithReferenceToken(credentials({ discoveredSites: stored }), request()),
		);
		expect(error.message).toContain(
			'Domain API at https://demodb.my.erp.net/api/domain/odata/ has status "Maintenance"',
		);
	});

	it('should read discovery in preAuthentication (no token sent) and store what it found', async () => {
		const calls: IHttpRequestOptions[] = [];
		const helpers = {
			httpRequest: async (options: IHttpRequestOptions) => {
				calls.push(options);
				return { statusCode: 404, body: '' };
			},
		};
		const output = await new ErpNetReferenceTokenApi().preAuthentication.call({ helpers } as never, credentials());
		expect(calls.map((call) => call.url)).toEqual([`${INSTANCE}/sys/auto-discovery`]);
		expect(JSON.stringify(calls)).not.toContain(TOKEN);
		expect(JSON.parse(output.discoveredSites)).toEqual({ instanceUrl: INSTANCE, discovered: false });
	});

	it('should say to issue a new token when ERP.net rejects it', () => {
		expect(
			referenceTokenRejected('Bearer error="invalid_token", error_description="The token expired at \'2026-01-01\'"')
				.message,
		).toBe('ERP.net rejected the reference token (401): it has expired. Issue a new reference token.');
		expect(
			referenceTokenRejected('Bearer error="invalid_token", error_description="The token has been revoked"').message,
		).toContain('it was revoked');
		expect(referenceTokenRejected('').description).toMatch(/Issue a new reference token/);
	});
});

describe('client-credentials authenticate with discovered sites', () => {
	it('should send the access token to the discovered Domain API origin only', async () => {
		await discoverApiAt('https://erpapi.demodb.my.erp.net');
		const error = await caught(() =>
			authenticateRequest(
				{ instanceUrl: INSTANCE, clientId: 'a', clientSecret: 'b', accessToken: 'jwt' },
				request({ url: 'https://evil.example.com/x' }),
			),
		);
		expect(error.message).toContain('not to https://evil.example.com');
	});
});
