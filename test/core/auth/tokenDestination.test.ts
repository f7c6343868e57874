import { UserError } from 'n8n-workflow';

import { tokenDestinationError } from '../../../core/auth/tokenDestination';
import type { InstanceSites } from '../../../core/discovery';
import { expectSurvivesNodeApiError } from './fixtures';

function sites(odataRoot: string, instanceUrl = 'https://demodb.my.erp.net'): InstanceSites {
	return { instanceUrl, identityUrl: `${instanceUrl}/id`, odataRoot, source: 'discovery', discovered: true };
}

const DEFAULT = sites('https://demodb.my.erp.net/api/domain/odata/');

describe('tokenDestinationError', () => {
	it.each([
		'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers?$top=1',
		'https://demodb.my.erp.net/api/domain/odata/$batch',
		'https://demodb.my.erp.net/api/domain/currentmodel/Crm_Sales_Customers',
		'https://demodb.my.erp.net/api/domain/reset',
	])('should let the token go to %s, under the Domain API', (target) => {
		expect(tokenDestinationError(DEFAULT, target)).toBeUndefined();
	});

	it('should refuse another origin, naming the Domain API origin and the target origin only', () => {
		const error = tokenDestinationError(DEFAULT, 'https://collector.example.com/steal?code=abc') as UserError;
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toBe(
			'The ERP.net credential sends its access token only to https://demodb.my.erp.net, not to https://collector.example.com.',
		);
		expect(error.description).toMatch(/must go to the instance's Domain API/);
		expect(error.level).toBe('warning');
		expectSurvivesNodeApiError(error as UserError & { description: string });
	});

	it('should refuse another path of the same origin without repeating its query', () => {
		const error = tokenDestinationError(DEFAULT, 'https://demodb.my.erp.net/id/connect/userinfo?x=secret');
		expect(error?.message).toBe(
			"The ERP.net credential sends its access token only under the instance's Domain API https://demodb.my.erp.net/api/domain/, not to https://demodb.my.erp.net/id/connect/userinfo.",
		);
		expect(error?.description).toMatch(/not for other paths on the same server/);
	});

	it('should keep the token of an instance under a path prefix from its sibling instances', () => {
		const prefixed = sites('https://host.example.com/tenant-a/api/domain/odata/', 'https://host.example.com/tenant-a');
		expect(tokenDestinationError(prefixed, 'https://host.example.com/tenant-a/api/domain/odata/X')).toBeUndefined();
		expect(tokenDestinationError(prefixed, 'https://host.example.com/tenant-b/api/domain/odata/X')?.message).toBe(
			"The ERP.net credential sends its access token only under the instance's Domain API https://host.example.com/tenant-a/api/domain/, not to https://host.example.com/tenant-b/api/domain/odata/X.",
		);
	});

	it("should send the token to a discovered Domain API host, and not to the instance's own host", () => {
		const separate = sites('https://erpapi.demodb.my.erp.net/domain/odata/');
		expect(tokenDestinationError(separate, 'https://erpapi.demodb.my.erp.net/domain/odata/X')).toBeUndefined();
		expect(tokenDestinationError(separate, 'https://demodb.my.erp.net/api/domain/odata/X')?.message).toBe(
			'The ERP.net credential sends its access token only to https://erpapi.demodb.my.erp.net, not to https://demodb.my.erp.net.',
		);
	});

	it('should refuse a target that is no URL, describing it without its query', () => {
		expect(tokenDestinationError(DEFAULT, 'api/domain/odata/X?token=1')?.message).toBe(
			'The ERP.net credential sends its access token only to https://demodb.my.erp.net, not to api/domain/odata/X.',
		);
	});
});
