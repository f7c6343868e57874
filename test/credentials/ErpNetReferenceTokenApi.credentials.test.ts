import type { IHttpRequestOptions } from 'n8n-workflow';

import { clearDiscoveryCache } from '../../core/discovery';
import { ErpNetReferenceTokenApi } from '../../credentials/ErpNetReferenceTokenApi.credentials';

const TOKEN = `enrt_${'1D41D4694B4F02D3D6A31FFA07E20B73F48248B26C75A0CCCB5F9DBEE41F7960'}`;
const INSTANCE = 'https://demodb.my.erp.net';

function credentials(overrides: Record<string, string> = {}) {
	return { instanceUrl: INSTANCE, referenceToken: TOKEN, domainApiRoot: '', discoveredSites: '', ...overrides };
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
});
