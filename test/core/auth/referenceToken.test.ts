import type { IHttpRequestOptions } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import {
	authenticateWithReferenceToken,
	discoverForReferenceToken,
	readReferenceToken,
	REFERENCE_TOKEN_PREFIX,
	referenceTokenFingerprint,
	referenceTokenRejected,
} from '../../../core/auth/referenceToken';
import { clearDiscoveryCache, resolveInstanceSites } from '../../../core/discovery';
import { caught } from './fixtures';

const TOKEN = `enrt_${'1D41D4694B4F02D3D6A31FFA07E20B73F48248B26C75A0CCCB5F9DBEE41F7960'}`;
const INSTANCE = 'https://demodb.my.erp.net';

function credentials(overrides: Record<string, string> = {}) {
	return { instanceUrl: INSTANCE, referenceToken: TOKEN, domainApiRoot: '', discoveredSites: '', ...overrides };
}

function request(overrides: Partial<IHttpRequestOptions> = {}): IHttpRequestOptions {
	return { method: 'GET', url: `${INSTANCE}/api/domain/odata/Crm_Sales_Customers`, headers: {}, ...overrides };
}

function discoveryAnswer(apiUrl: string, apiStatus = 'Working') {
	return {
		WebSites: [
			{ Type: 'ID', Status: 'Working', Url: `${INSTANCE}/id` },
			{
				Type: 'DomainAPI',
				Status: apiStatus,
				Url: apiUrl,
				AdditionalProperties: { ODataServiceRoot: `${apiUrl}/domain/odata/` },
			},
		],
	};
}

/** Makes this process "know" that the instance serves its Domain API elsewhere. */
async function discoverApiAt(apiUrl: string) {
	await resolveInstanceSites(async () => ({ statusCode: 200, body: discoveryAnswer(apiUrl) }), INSTANCE);
}

// Discovery answers are cached per process: every test starts without one.
beforeEach(() => clearDiscoveryCache());

describe('readReferenceToken', () => {
	it('should read the token, trimmed', () => {
		expect(readReferenceToken(credentials({ referenceToken: `  ${TOKEN}\n` }))).toBe(TOKEN);
		expect(REFERENCE_TOKEN_PREFIX).toBe('enrt_');
	});

	it('should say that the credential has no token', async () => {
		const error = await caught(() => readReferenceToken(credentials({ referenceToken: '  ' })));
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toBe('The ERP.net Reference Token credential has no token.');
		expect(error.description).toMatch(/^Issue a new reference token in ERP\.net/);
	});
});

describe('authenticateWithReferenceToken', () => {
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
	});

	it('should leave a request without an absolute URL as it is', async () => {
		const result = await authenticateWithReferenceToken(credentials(), request({ url: '' }));
		expect(result.headers).toEqual({});
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
});

describe('discoverForReferenceToken', () => {
	function helpersAnswering(answer: { statusCode: number; body: unknown }) {
		const calls: IHttpRequestOptions[] = [];
		const helpers = {
			httpRequest: async (options: IHttpRequestOptions) => {
				calls.push(options);
				return answer;
			},
		};
		return { helpers: helpers as never, calls };
	}

	it('should read auto-discovery without the token and return what it found', async () => {
		const { helpers, calls } = helpersAnswering({
			statusCode: 200,
			body: discoveryAnswer('https://erpapi.demodb.my.erp.net'),
		});
		const output = await discoverForReferenceToken(helpers, credentials({ instanceUrl: 'demodb.my.erp.net/' }));
		expect(calls.map((call) => call.url)).toEqual([`${INSTANCE}/sys/auto-discovery`]);
		expect(JSON.stringify(calls)).not.toContain(TOKEN);
		expect(JSON.parse(output.discoveredSites)).toMatchObject({
			instanceUrl: INSTANCE,
			discovered: true,
			odataRoot: 'https://erpapi.demodb.my.erp.net/domain/odata/',
		});
	});

	it('should check the token before any request', async () => {
		const { helpers, calls } = helpersAnswering({ statusCode: 404, body: '' });
		await expect(discoverForReferenceToken(helpers, credentials({ referenceToken: 'secret' }))).rejects.toThrow(
			'The ERP.net reference token must start with "enrt_".',
		);
		expect(calls).toHaveLength(0);
	});

	it('should stop when the Domain API site is not Working, and not ask about the Identity', async () => {
		const { helpers } = helpersAnswering({
			statusCode: 200,
			body: {
				WebSites: [
					{ Type: 'ID', Status: 'Stopped', Url: `${INSTANCE}/id` },
					{ Type: 'DomainAPI', Status: 'Maintenance', Url: `${INSTANCE}/api` },
				],
			},
		});
		const error = await caught(() => discoverForReferenceToken(helpers, credentials()));
		expect(error.message).toBe(
			'The ERP.net instance reports a site that is not working: Domain API at https://demodb.my.erp.net/api/domain/odata/ has status "Maintenance".',
		);
	});
});

describe('referenceTokenFingerprint', () => {
	it('should be one-way and the same for every spelling of the instance URL', () => {
		const fingerprint = referenceTokenFingerprint(credentials());
		expect(fingerprint).toMatch(/^ref:/);
		expect(fingerprint).not.toContain(TOKEN);
		expect(fingerprint).not.toContain(TOKEN.slice(5));
		expect(referenceTokenFingerprint(credentials({ instanceUrl: 'demodb.my.erp.net/api/domain/odata/' }))).toBe(
			fingerprint,
		);
		expect(referenceTokenFingerprint(credentials({ referenceToken: ` ${TOKEN} ` }))).toBe(fingerprint);
	});

	it('should differ per token and per instance (one ERP.net session each)', () => {
		const fingerprints = [
			credentials(),
			credentials({ referenceToken: `${TOKEN}0` }),
			credentials({ instanceUrl: 'https://otherdb.my.erp.net' }),
			credentials({ instanceUrl: `${INSTANCE}/tenant-b` }),
		].map(referenceTokenFingerprint);
		expect(new Set(fingerprints).size).toBe(4);
	});

	it('should refuse a credential without a valid token', () => {
		expect(() => referenceTokenFingerprint(credentials({ referenceToken: '' }))).toThrow(UserError);
	});
});

describe('referenceTokenRejected', () => {
	it('should say to issue a new token when ERP.net rejects it, with the reason ERP.net gave', () => {
		expect(
			referenceTokenRejected('Bearer error="invalid_token", error_description="The token expired at \'2026-01-01\'"')
				.message,
		).toBe('ERP.net rejected the reference token (401): it has expired. Issue a new reference token.');
		expect(
			referenceTokenRejected('Bearer error="invalid_token", error_description="The token has been revoked"').message,
		).toContain('it was revoked');
		expect(referenceTokenRejected('').message).toContain('it has expired, was revoked or belongs to another instance');
		expect(referenceTokenRejected('').description).toMatch(/Issue a new reference token/);
	});
});
