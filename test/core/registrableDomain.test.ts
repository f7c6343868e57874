import { isIpAddress, isSameSite, registrableDomain } from '../../core/registrableDomain';

describe('registrableDomain', () => {
	it.each([
		['demodb.my.erp.net', 'demodb.my.erp.net'],
		['api.testdb.my.erp.net', 'testdb.my.erp.net'],
		['erp.example.com', 'example.com'],
		['api.erp.example.com', 'example.com'],
		['api.example.co.uk', 'example.co.uk'],
		['a.b.example.com.au', 'example.com.au'],
		['erp.example.bg', 'example.bg'],
		['my-instance.azurewebsites.net', 'my-instance.azurewebsites.net'],
		['api.my-instance.azurewebsites.net', 'my-instance.azurewebsites.net'],
		['store.blob.core.windows.net', 'store.blob.core.windows.net'],
		['a.execute-api.eu-west-1.amazonaws.com', 'a.execute-api.eu-west-1.amazonaws.com'],
		['example.com', 'example.com'],
		['localhost', 'localhost'],
	])('should take %s as registered under %s', (host, domain) => {
		expect(registrableDomain(host)).toBe(domain);
	});

	it('should ignore case, a trailing dot and IPv6 brackets', () => {
		expect(registrableDomain('API.Example.COM.')).toBe('example.com');
		expect(registrableDomain('[2001:DB8::1]')).toBe('2001:db8::1');
	});

	it('should keep an IP address whole: it has no registrable domain', () => {
		expect(registrableDomain('192.0.2.10')).toBe('192.0.2.10');
	});

	it('should take a host under a multi-label public suffix it does not know as one label under the last two', () => {
		// the documented limitation (README, "Security"): a.foo.example and b.foo.example count as one site
		expect(registrableDomain('a.foo.example')).toBe('foo.example');
	});
});

describe('isIpAddress', () => {
	it.each(['127.0.0.1', '192.0.2.10', '::1', '[::1]', '2001:db8::1'])('should take %s for an IP address', (host) => {
		expect(isIpAddress(host)).toBe(true);
	});

	it.each(['localhost', 'demodb.my.erp.net', '1.2.3.example.com', '1.2.3'])('should not take %s for one', (host) => {
		expect(isIpAddress(host)).toBe(false);
	});
});

describe('isSameSite', () => {
	it.each([
		['testdb.my.erp.net', 'api.testdb.my.erp.net', true],
		['testdb.my.erp.net', 'otherdb.my.erp.net', false],
		['erp.example.co.uk', 'erpapi.example.co.uk', true],
		['erp.example.co.uk', 'erp.other.co.uk', false],
		['erp.example.com', 'api.example.com', true],
		['erp.example.com', 'ERP.Example.com.', true],
		['a.azurewebsites.net', 'b.azurewebsites.net', false],
		['a.execute-api.eu-west-1.amazonaws.com', 'b.execute-api.eu-west-1.amazonaws.com', false],
		['localhost', '127.0.0.1', true],
		['127.0.0.1', '[::1]', true],
		['erp.example.com', '93.184.216.34', false],
		['192.0.2.8', '192.0.2.8', true],
		['192.0.2.8', '192.0.2.9', false],
		['192.0.2.8', 'erp.example.com', false],
		['localhost', 'erp.example.com', false],
	])('%s and %s are one site: %s', (instance, site, same) => {
		expect(isSameSite(instance, site)).toBe(same);
	});
});
