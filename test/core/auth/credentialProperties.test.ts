import {
	DISCOVERED_SITES_PROPERTY,
	DOMAIN_API_ROOT_PROPERTY,
	INSTANCE_URL_PROPERTY,
} from '../../../core/auth/credentialProperties';

describe('the fields both ERP.net credentials show', () => {
	it('should keep the names stored credentials are saved under', () => {
		expect([INSTANCE_URL_PROPERTY, DOMAIN_API_ROOT_PROPERTY, DISCOVERED_SITES_PROPERTY].map((p) => p.name)).toEqual([
			'instanceUrl',
			'domainApiRoot',
			'discoveredSites',
		]);
	});

	it('should require the Instance URL as text, with an example and what it accepts', () => {
		expect(INSTANCE_URL_PROPERTY).toMatchObject({
			displayName: 'Instance URL',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://demodb.my.erp.net',
		});
		expect(INSTANCE_URL_PROPERTY.description).toMatch(/https:\/\/ is required/);
	});

	it('should leave the Domain API Root optional, saying that auto-discovery finds it and that the token goes there', () => {
		expect(DOMAIN_API_ROOT_PROPERTY).toMatchObject({ type: 'string', default: '' });
		expect(DOMAIN_API_ROOT_PROPERTY.required).toBeUndefined();
		expect(DOMAIN_API_ROOT_PROPERTY.description).toMatch(/^Leave empty/);
		expect(DOMAIN_API_ROOT_PROPERTY.description).toContain('/sys/auto-discovery');
		expect(DOMAIN_API_ROOT_PROPERTY.description).toContain('The token is sent there.');
	});

	it('should keep what auto-discovery found hidden from the user', () => {
		expect(DISCOVERED_SITES_PROPERTY).toMatchObject({ type: 'hidden', default: '' });
	});
});
