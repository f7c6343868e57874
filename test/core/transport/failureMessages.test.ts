import {
	NETWORK_FAILURE_MESSAGES,
	type NetworkFailureFacts,
	STATUS_FAILURE_MESSAGES,
	type StatusFailureFacts,
	WRITE_OUTCOME_UNKNOWN,
} from '../../../core/transport/failureMessages';

const status = (overrides: Partial<StatusFailureFacts> = {}): StatusFailureFacts => ({
	status: 403,
	action: 'read Crm_Sales_Customers',
	attempts: 4,
	...overrides,
});

const network = (overrides: Partial<NetworkFailureFacts> = {}): NetworkFailureFacts => ({
	host: 'demodb.my.erp.net',
	code: 'ECONNRESET',
	timeoutSeconds: 120,
	unsure: '',
	...overrides,
});

describe('messages of error statuses', () => {
	it('a renamed entity set names the new name and keeps what ERP.net said', () => {
		const erpMessage = "Entity set name 'Old' is no more supported. The new name of this entity is 'New'";
		expect(STATUS_FAILURE_MESSAGES.renamed(status({ renamed: { from: 'Old', to: 'New' }, erpMessage }))).toEqual({
			message: "The entity set 'Old' was renamed to 'New' in ERP.net",
			description: `Use 'New' instead. ${erpMessage}`,
		});
	});

	it("403 and 404 show ERP.net's message when it sent one, else what the request did", () => {
		expect(STATUS_FAILURE_MESSAGES.forbidden(status()).message).toBe(
			'ERP.net refused to read Crm_Sales_Customers (403)',
		);
		expect(STATUS_FAILURE_MESSAGES.forbidden(status({ erpMessage: 'No rights' })).message).toBe('No rights');
		expect(STATUS_FAILURE_MESSAGES.notFound(status()).message).toBe('Not found: read Crm_Sales_Customers (404)');
		expect(STATUS_FAILURE_MESSAGES.forbidden(status()).description).toBe(
			"The trusted application's scope or its system user's permissions do not allow this. " +
				'Writes need the scope "update" in the credential and in the trusted application.',
		);
	});

	it('the rate limit names the retries made', () => {
		expect(STATUS_FAILURE_MESSAGES.rateLimited(status({ status: 429 }))).toEqual({
			message: "ERP.net's rate limit was still exceeded after 4 retries (429)",
			description:
				'ERP.net allows one concurrent request per session and a limited number of requests per minute. ' +
				'Run fewer executions at the same time with this credential, or retry later.',
		});
	});

	it("a business error is ERP.net's message, its hint before the technical details", () => {
		const facts = status({ status: 400, erpMessage: 'Cannot change', technical: 'ERP.net error code 7' });
		expect(STATUS_FAILURE_MESSAGES.businessError(facts)).toEqual({
			message: 'Cannot change',
			description: 'ERP.net error code 7',
		});
		expect(STATUS_FAILURE_MESSAGES.businessError({ ...facts, hint: 'Change the state first.' }).description).toBe(
			'Change the state first. ERP.net error code 7',
		);
		expect(STATUS_FAILURE_MESSAGES.businessError({ ...facts, technical: undefined, hint: 'Do X.' }).description).toBe(
			'Do X.',
		);
	});

	it('any other status names the status, with the proxy text as description', () => {
		expect(STATUS_FAILURE_MESSAGES.failed(status({ status: 502, statusDetail: 'Bad gateway' }))).toEqual({
			message: 'ERP.net could not read Crm_Sales_Customers (HTTP 502)',
			description: 'Bad gateway',
		});
	});

	it('the access token 401 says what to check', () => {
		expect(STATUS_FAILURE_MESSAGES.accessTokenRejected().message).toBe(
			'ERP.net did not accept the access token (401), even after requesting a new one',
		);
	});
});

describe('messages of requests without an answer', () => {
	it('a timeout gives the seconds and, for a write, that its outcome is unknown', () => {
		expect(NETWORK_FAILURE_MESSAGES.timedOut(network({ unsure: ` ${WRITE_OUTCOME_UNKNOWN}` }))).toEqual({
			message: 'ERP.net did not answer within 120 seconds',
			description:
				'Raise the "Timeout" option or narrow the request. The write may or may not have been carried out: ' +
				'check the record in ERP.net before running it again. ERP.net may still be working on it: ' +
				"the credential's next requests run on a new ERP.net session, not behind this one.",
		});
	});

	it('certificate and unreachable host name the host and the code', () => {
		expect(NETWORK_FAILURE_MESSAGES.untrustedCertificate(network({ code: 'CERT_HAS_EXPIRED' })).message).toBe(
			'The TLS certificate of demodb.my.erp.net is not trusted (CERT_HAS_EXPIRED)',
		);
		expect(NETWORK_FAILURE_MESSAGES.unreachable(network({ code: 'ENOTFOUND' }))).toEqual({
			message: 'Could not reach ERP.net at demodb.my.erp.net',
			description:
				'The connection failed (ENOTFOUND). Check the instance URL in the credential, e.g. https://yourdb.my.erp.net.',
		});
	});

	it('a lost connection shows the code only when there is one, and no empty description', () => {
		expect(NETWORK_FAILURE_MESSAGES.connectionFailed(network({ code: '' }))).toEqual({
			message: 'The connection to ERP.net at demodb.my.erp.net failed',
			description: undefined,
		});
		expect(NETWORK_FAILURE_MESSAGES.connectionFailed(network({ causeMessage: 'socket hang up' }))).toEqual({
			message: 'The connection to ERP.net at demodb.my.erp.net failed',
			description: '(ECONNRESET) socket hang up',
		});
		expect(NETWORK_FAILURE_MESSAGES.connectionFailed(network({ causeMessage: 'read ECONNRESET' })).description).toBe(
			'read ECONNRESET',
		);
	});
});
