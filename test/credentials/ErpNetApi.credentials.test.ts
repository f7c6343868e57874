import { INSTANCE_URL_EXPRESSION } from '../../core/instanceUrl';
import { ErpNetApi } from '../../credentials/ErpNetApi.credentials';

describe('the credential description (public contract)', () => {
	const credential = new ErpNetApi();
	const property = (name: string) => credential.properties.find((p) => p.name === name);

	it('keeps its names', () => {
		expect(credential.name).toBe('erpNetApi');
		expect(credential.displayName).toBe('ERP.net API');
		expect(credential.properties.map((p) => p.name)).toEqual(
			expect.arrayContaining(['instanceUrl', 'clientId', 'clientSecret', 'scope', 'accessToken']),
		);
		expect(credential.icon).toEqual({ light: 'file:erpnet.svg', dark: 'file:erpnet.dark.svg' });
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
	});

	it('declares the fields as the contract says', () => {
		expect(property('instanceUrl')).toMatchObject({ type: 'string', default: '', required: true });
		expect(property('clientId')).toMatchObject({ type: 'string', default: '', required: true });
		expect(property('clientSecret')).toMatchObject({ type: 'string', typeOptions: { password: true } });
		expect(property('scope')).toMatchObject({ type: 'string', default: 'read update' });
		expect(property('accessToken')).toEqual(
			expect.objectContaining({ type: 'hidden', default: '', typeOptions: { expirable: true, password: true } }),
		);
	});

	it('has exactly one expirable field, the access token, so n8n runs the hook for it', () => {
		const expirable = credential.properties.filter((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		expect(expirable.map((p) => p.name)).toEqual(['accessToken']);
		expect(property('tokenFingerprint')).toEqual(
			expect.objectContaining({ type: 'hidden', default: '', typeOptions: { password: true } }),
		);
	});

	it('tests with a cheap authenticated Domain API request', () => {
		expect(credential.test.request).toMatchObject({
			method: 'GET',
			url: '/api/domain/odata/General_Currencies_Currencies?$top=1&$select=Id',
		});
		expect(credential.test.request.baseURL).toBe(INSTANCE_URL_EXPRESSION);
	});
});
