import { domainApiCredentialTest } from '../../../core/auth/credentialTest';
import { INSTANCE_URL_EXPRESSION } from '../../../core/instanceUrl';

const refusals = { unauthorized: 'token rejected: check the instance', forbidden: 'no right to read currencies' };

/** The message of the rule for one status code. */
function messageFor(test: ReturnType<typeof domainApiCredentialTest>, status: number): string | undefined {
	const rule = test.rules?.find(
		(candidate) => candidate.type === 'responseCode' && candidate.properties.value === status,
	);
	return (rule?.properties as { message?: string } | undefined)?.message;
}

describe('domainApiCredentialTest', () => {
	it('should read one currency id from the Domain API under the instance URL typed in the credential', () => {
		expect(domainApiCredentialTest(refusals).request).toEqual({
			baseURL: INSTANCE_URL_EXPRESSION,
			url: '/api/domain/odata/General_Currencies_Currencies?$top=1&$select=Id',
			method: 'GET',
			headers: { Accept: 'application/json' },
		});
	});

	it("should add the credential's own headers to Accept", () => {
		expect(domainApiCredentialTest(refusals, { 'X-Check': '1' }).request.headers).toEqual({
			Accept: 'application/json',
			'X-Check': '1',
		});
	});

	it("should answer 401 and 403 with the credential's own messages", () => {
		const test = domainApiCredentialTest(refusals);
		expect(messageFor(test, 401)).toBe(refusals.unauthorized);
		expect(messageFor(test, 403)).toBe(refusals.forbidden);
	});

	it('should say what to check for a 404 and to retry for a 429', () => {
		const test = domainApiCredentialTest(refusals);
		expect(messageFor(test, 404)).toMatch(
			/^The ERP\.net Domain API was not found under this Instance URL \(HTTP 404\)/,
		);
		expect(messageFor(test, 404)).toContain('set Domain API Root');
		expect(messageFor(test, 429)).toBe(
			'ERP.net is rate limiting this client (HTTP 429). Try the test again in a minute.',
		);
		expect(test.rules?.map((rule) => rule.properties.value)).toEqual([401, 403, 404, 429]);
	});
});
