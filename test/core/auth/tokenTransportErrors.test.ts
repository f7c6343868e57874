import { clearDiscoveryCache } from '../../../core/discovery';
import { UserError } from 'n8n-workflow';

import { requestAccessToken } from '../../../core/auth/tokenExchange';
import { buildTokenRequestBody } from '../../../core/auth/tokenSettings';
import { transportErrorToUserError } from '../../../core/auth/tokenTransportErrors';
import { caught, credentials, expectNoLeak, expectSurvivesNodeApiError, SECRET, settings } from './fixtures';

// Discovery answers are cached per process: every test starts without one.
beforeEach(() => clearDiscoveryCache());

describe('transport errors (replaced, never wrapped)', () => {
	const s = settings();
	/** An axios-like error carrying the request options, like the ones helpers.httpRequest throws. */
	const axiosError = (code: string, message = `connect ${code}`) =>
		Object.assign(new Error(message), {
			code,
			isAxiosError: true,
			config: {
				url: s.tokenUrl,
				data: buildTokenRequestBody(s),
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			},
			request: { body: buildTokenRequestBody(s) },
		});

	it.each([
		['ENOTFOUND', 'The ERP.net host "demodb.my.erp.net" could not be found. Check the Instance URL for typos.'],
		['EAI_AGAIN', 'The ERP.net host "demodb.my.erp.net" could not be found. Check the Instance URL for typos.'],
		[
			'ECONNREFUSED',
			'The connection to demodb.my.erp.net was refused. Check the Instance URL and that the instance is running.',
		],
		[
			'DEPTH_ZERO_SELF_SIGNED_CERT',
			/^The TLS certificate of demodb\.my\.erp\.net is not trusted: the server uses a self-signed certificate\./,
		],
		['SELF_SIGNED_CERT_IN_CHAIN', /not trusted: the server uses a certificate chain with a self-signed certificate/],
		['CERT_HAS_EXPIRED', /not trusted: the server uses an expired certificate/],
		['ERR_TLS_CERT_ALTNAME_INVALID', /issued for a different host name/],
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /cannot be verified/],
		['EPROTO', /The secure \(TLS\) connection to demodb\.my\.erp\.net failed/],
		['ERR_SSL_WRONG_VERSION_NUMBER', /The secure \(TLS\) connection/],
		['ETIMEDOUT', /did not answer in time/],
		['ECONNABORTED', /did not answer in time/],
		['ECONNRESET', /failed before ERP\.net answered/],
		['EWHATEVER', /could not be requested from demodb\.my\.erp\.net/],
	])('%s', (code, message) => {
		const error = transportErrorToUserError(axiosError(code), s);
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
		expect(error).toBeInstanceOf(UserError);
		expect(error.cause).toBeUndefined();
		expect(error.description).toContain(code);
		expectSurvivesNodeApiError(error);
		expectNoLeak(error, SECRET);
	});

	it('finds codes on causes and AggregateError children', () => {
		const aggregate = Object.assign(
			new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], ''),
			{},
		);
		expect(transportErrorToUserError(aggregate, s).message).toMatch(/refused/);
		const nested = new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'CERT_HAS_EXPIRED' }) });
		expect(transportErrorToUserError(nested, s).message).toMatch(/expired certificate/);
	});

	it('recognises a timeout by its message', () => {
		expect(transportErrorToUserError(new Error('timeout of 30000ms exceeded'), s).message).toMatch(
			/did not answer in time/,
		);
	});

	it('requestAccessToken replaces what httpRequest throws', async () => {
		const thrown = axiosError('ECONNREFUSED');
		const helpers = {
			httpRequest: async () => {
				throw thrown;
			},
		};
		const error = await caught(() => requestAccessToken(helpers as never, credentials()));
		expect(error).not.toBe(thrown);
		expect(error.message).toMatch(/refused/);
		expectNoLeak(error, SECRET);
	});
});

describe('codes that are not certificate problems', () => {
	it.each(['constructor', 'toString', '__proto__'])('%s, named like an Object property, is a plain failure', (code) => {
		const error = transportErrorToUserError(Object.assign(new Error('failed'), { code }), settings());
		expect(error.message).toBe(
			'The access token could not be requested from demodb.my.erp.net. Check the Instance URL and your network.',
		);
		expect(error.description).toContain(`(error code ${code})`);
	});
});
