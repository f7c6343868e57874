import { describeLocation, isUnderRoot } from '../../core/urlScope';

describe('isUnderRoot', () => {
	const root = 'https://demodb.my.erp.net/api/domain/';

	it.each([
		'https://demodb.my.erp.net/api/domain/',
		'https://demodb.my.erp.net/api/domain',
		'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers?$top=1',
		'https://demodb.my.erp.net/api/domain/currentmodel/Crm_Sales_Customers',
		'https://DemoDB.My.ERP.net:443/api/domain/odata/$batch',
	])('should accept %s', (url) => {
		expect(isUnderRoot(url, root)).toBe(true);
	});

	it.each([
		['another host', 'https://evil.example.com/api/domain/odata/X'],
		['another scheme', 'http://demodb.my.erp.net/api/domain/odata/X'],
		['another port', 'https://demodb.my.erp.net:8443/api/domain/odata/X'],
		['a host that only starts like the instance', 'https://demodb.my.erp.net.evil.example.com/api/domain/odata/X'],
		['a sibling path', 'https://demodb.my.erp.net/api/other/odata/X'],
		['a path that only starts like the root', 'https://demodb.my.erp.net/api/domainx/odata/X'],
		['the parent path', 'https://demodb.my.erp.net/api/'],
		['a dot-dot escape', 'https://demodb.my.erp.net/api/domain/odata/../../../admin'],
		['an encoded dot-dot escape', 'https://demodb.my.erp.net/api/domain/odata/%2e%2e/%2e%2e/%2e%2e/admin'],
		['user info in the URL', 'https://user:pass@demodb.my.erp.net/api/domain/odata/X'],
		['a relative URL', '/api/domain/odata/X'],
		['text that is no URL', 'not a url'],
	])('should refuse %s', (_what, url) => {
		expect(isUnderRoot(url, root)).toBe(false);
	});

	it('should keep an instance served under a path prefix to that prefix, not its siblings', () => {
		const prefixed = 'https://host.example.com/tenant-a/api/domain/';
		expect(isUnderRoot('https://host.example.com/tenant-a/api/domain/odata/X', prefixed)).toBe(true);
		expect(isUnderRoot('https://host.example.com/tenant-b/api/domain/odata/X', prefixed)).toBe(false);
		expect(isUnderRoot('https://host.example.com/tenant-ab/api/domain/odata/X', prefixed)).toBe(false);
		expect(isUnderRoot('https://host.example.com/api/domain/odata/X', prefixed)).toBe(false);
	});

	it('should read a root written without its trailing slash as the same folder', () => {
		expect(isUnderRoot('https://host.example.com/erp/domain/odata/X', 'https://host.example.com/erp')).toBe(true);
		expect(isUnderRoot('https://host.example.com/erpx/domain/odata/X', 'https://host.example.com/erp')).toBe(false);
	});

	it('should refuse everything when the root is no URL', () => {
		expect(isUnderRoot('https://demodb.my.erp.net/api/domain/odata/X', '')).toBe(false);
	});
});

describe('describeLocation', () => {
	it('should name scheme, host, port and path without the query or fragment', () => {
		expect(describeLocation('https://evil.example.com:8443/collect?token=abc#frag')).toBe(
			'https://evil.example.com:8443/collect',
		);
	});

	it('should drop user info from a URL', () => {
		expect(describeLocation('https://user:secret@host.example.com/x')).toBe('https://host.example.com/x');
	});

	it('should cut text that is no URL at its query and to 200 characters', () => {
		expect(describeLocation('relative/path?secret=1')).toBe('relative/path');
		expect(describeLocation(`x${'y'.repeat(300)}`)).toHaveLength(200);
	});
});
