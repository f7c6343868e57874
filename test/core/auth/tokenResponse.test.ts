import type { IDataObject } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { interpretTokenResponse, redactSecrets, type TokenHttpResponse } from '../../../core/auth/tokenResponse';
import { caught, expectNoLeak, expectSurvivesNodeApiError, SECRET, settings, TOKEN } from './fixtures';

describe('token response errors', () => {
	const s = settings();
	const respond = (statusCode: number, body: unknown, headers: IDataObject = { 'content-type': 'application/json' }) =>
		caught(() => interpretTokenResponse({ statusCode, headers, body } as TokenHttpResponse, s));

	it.each([
		[
			'invalid_client',
			"ERP.net rejected the client ID or secret (invalid_client). Check the trusted application's ApplicationUri and secret.",
		],
		[
			'invalid_scope',
			/rejected the requested scope "read update" \(invalid_scope\)\. Request only scopes listed in the trusted application's Scope/,
		],
		['unauthorized_client', /\(unauthorized_client\)\. Set SystemUserAllowed and assign a SystemUser/],
		[
			'unsupported_grant_type',
			/\(unsupported_grant_type\)\. Check that the Instance URL points to an ERP\.net instance/,
		],
		['invalid_request', /\(invalid_request\)\. Check that Client ID and Client Secret are both filled in/],
		['invalid_grant', /\(invalid_grant\)/],
		['temporarily_unavailable', /refused to issue an access token \(temporarily_unavailable\)/],
	])('%s', async (code, message) => {
		const error = await respond(400, { error: code, error_description: 'server says so' });
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
		expect(error).toBeInstanceOf(UserError);
		expect(error.description).toContain('server says so');
		expectSurvivesNodeApiError(error);
		expectNoLeak(error, SECRET);
	});

	it('maps OAuth errors whatever the status (401 invalid_client)', async () => {
		const error = await respond(401, { error: 'invalid_client' });
		expect(error.message).toMatch(/invalid_client/);
	});

	it('redacts the secret if the server echoes it in error_description', async () => {
		for (const echoed of [SECRET, encodeURIComponent(SECRET), new URLSearchParams({ s: SECRET }).toString().slice(2)]) {
			const error = await respond(400, { error: 'invalid_client', error_description: `bad secret ${echoed}` });
			expect(error.description).toContain('bad secret ***');
			expectNoLeak(error, SECRET);
		}
	});

	it('redacts a secret the server echoes with its whitespace collapsed or lower-case percent-encoding', async () => {
		const spaced = settings({ clientSecret: 'my  long\tsecret ü/€' });
		for (const echoed of [
			'my long secret ü/€',
			'my\nlong secret ü/€',
			encodeURIComponent('my  long\tsecret ü/€').toLowerCase(),
		]) {
			const error = await caught(() =>
				interpretTokenResponse(
					{
						statusCode: 400,
						headers: { 'content-type': 'application/json' },
						body: { error: 'invalid_client', error_description: `bad secret ${echoed} here` },
					} as TokenHttpResponse,
					spaced,
				),
			);
			expect(error.description).toContain('bad secret *** here');
			expect(JSON.stringify(error)).not.toContain('long');
		}
	});

	it('a 404 says the instance URL is wrong', async () => {
		const error = await respond(404, { error: { message: 'No resource matches the request path' } });
		expect(error.message).toBe('The ERP.net token endpoint was not found (HTTP 404). Check the Instance URL.');
		expect(error.description).toContain('https://demodb.my.erp.net/id/connect/token');
	});

	it('an HTML page says the instance URL is wrong', async () => {
		const error = await respond(200, '<!doctype html><html><title>Login</title></html>', {
			'content-type': 'text/html; charset=utf-8',
		});
		expect(error.message).toBe('The ERP.net token endpoint did not answer with JSON. Check the Instance URL.');
		expect(error.description).toContain('text/html');
	});

	it('non-JSON text with a JSON content type is still not JSON', async () => {
		const error = await respond(200, 'not json', { 'content-type': 'application/json' });
		expect(error.message).toMatch(/did not answer with JSON/);
	});

	it('a JSON answer without access_token is an error, never an empty token', async () => {
		for (const body of [{}, { access_token: '' }, { access_token: '   ' }, { access_token: 42 }, { token: TOKEN }]) {
			const error = await respond(200, body);
			expect(error.message).toBe('ERP.net answered the token request without an access token.');
		}
	});

	it('accepts a JSON string or Buffer body', () => {
		expect(interpretTokenResponse({ statusCode: 200, body: JSON.stringify({ access_token: TOKEN }) }, s)).toEqual({
			accessToken: TOKEN,
		});
		expect(
			interpretTokenResponse({ statusCode: 200, body: Buffer.from(JSON.stringify({ access_token: TOKEN })) }, s),
		).toEqual({
			accessToken: TOKEN,
		});
	});

	it('refuses a non-Bearer token type without echoing the token', async () => {
		const error = await respond(200, { access_token: TOKEN, token_type: 'MAC' });
		expect(error.message).toMatch(/not a Bearer token/);
		expectNoLeak(error, SECRET, TOKEN);
	});

	it('a redirect names the target but does not follow it', async () => {
		const error = await respond(302, '', { location: 'https://login.example.com/sso?session=abc' });
		expect(error.message).toBe('The ERP.net token endpoint redirected the request (HTTP 302). Check the Instance URL.');
		expect(error.description).toContain('https://login.example.com/sso');
		expect(error.description).not.toContain('session=abc');
	});

	it.each([
		[500, /identity server failed to issue a token \(HTTP 500\)/],
		[503, /\(HTTP 503\)/],
		[429, /too many token requests \(HTTP 429\)/],
		[403, /did not issue an access token \(HTTP 403\)/],
	])('HTTP %i', async (status, message) => {
		const error = await respond(status, { message: 'whatever' });
		expect(error.message).toMatch(message);
		expectSurvivesNodeApiError(error);
	});
});

describe('token endpoint text that could carry the secret', () => {
	it('shows the OAuth error only when it is a plain code, never a secret put into it', async () => {
		for (const secret of [SECRET, 'DEMO']) {
			const error = await caught(() =>
				interpretTokenResponse(
					{
						statusCode: 400,
						headers: { 'content-type': 'application/json' },
						body: { error: `invalid_client_secret ${secret}` },
					},
					settings({ clientSecret: secret }),
				),
			);
			expect(error.message).toBe(
				'ERP.net refused to issue an access token (an error code that is not a plain OAuth code, not shown).',
			);
			expectNoLeak(error, secret);
			expectSurvivesNodeApiError(error);
		}
		const plain = await caught(() =>
			interpretTokenResponse({ statusCode: 400, body: { error: 'slow_down' } }, settings()),
		);
		expect(plain.message).toContain('(slow_down)');
	});

	it("redacts a short secret (ERP.net's demo secret DEMO) wherever the token endpoint writes it as a word", async () => {
		const short = settings({ clientSecret: 'DEMO' });
		const error = await caught(() =>
			interpretTokenResponse(
				{
					statusCode: 400,
					headers: { 'content-type': 'application/json' },
					body: {
						error: 'invalid_client',
						error_description: 'secret DEMO (demo) is wrong; DEMOS and xDEMO are words',
					},
				},
				short,
			),
		);
		expect(error.description).toContain('ERP.net said: "secret *** (***) is wrong; DEMOS and xDEMO are words"');
		expectNoLeak(error, 'DEMO is');
		const redirected = await caught(() =>
			interpretTokenResponse(
				{ statusCode: 302, headers: { location: 'https://login.example.com/DEMO/sso' }, body: '' },
				short,
			),
		);
		expect(redirected.description).toContain('https://login.example.com/***/sso');
	});
});

describe('redactSecrets', () => {
	it('removes plain, form- and URI-encoded spellings', () => {
		const text = `a ${SECRET} b ${encodeURIComponent(SECRET)} c ${new URLSearchParams({ s: SECRET }).toString().slice(2)}`;
		expect(redactSecrets(text, [SECRET])).toBe('a *** b *** c ***');
		expect(redactSecrets('nothing', ['', 'x'])).toBe('nothing');
	});

	it('removes lower-case percent-encoding, changed whitespace runs, JSON escapes and the token signature', () => {
		const text = `${encodeURIComponent(SECRET).toLowerCase()} | ${JSON.stringify(SECRET).slice(1, -1)} | sig ${TOKEN.split('.')[2]}`;
		expect(redactSecrets(text, [SECRET, TOKEN, TOKEN.split('.')[2]])).toBe('*** | *** | sig ***');
		expect(redactSecrets('a two  word\tsecret z', ['two word secret'])).toBe('a *** z');
	});
});
