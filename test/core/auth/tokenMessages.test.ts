import {
	EXAMPLE_URL,
	oauthErrorText,
	TLS_PROBLEMS,
	type TokenAnswerFacts,
	TOKEN_ANSWER_MESSAGES,
	TOKEN_TRANSPORT_MESSAGES,
	type TokenTransportFacts,
} from '../../../core/auth/tokenMessages';

const TOKEN_URL = 'https://demodb.my.erp.net/id/connect/token';

const answer = (overrides: Partial<TokenAnswerFacts> = {}): TokenAnswerFacts => ({
	tokenUrl: TOKEN_URL,
	status: 302,
	location: '',
	received: 'a body that is not JSON',
	tokenType: '',
	...overrides,
});

const oauth = (code: string, detail = ' ERP.net said: "no".') => ({
	code,
	clientId: 'my.company/n8n',
	scope: 'read update',
	tokenUrl: TOKEN_URL,
	detail,
	where: `Token endpoint: ${TOKEN_URL} (HTTP 400).`,
});

const transport = (overrides: Partial<TokenTransportFacts> = {}): TokenTransportFacts => ({
	host: 'demodb.my.erp.net',
	tokenUrl: TOKEN_URL,
	codeNote: ' (error code E1)',
	tlsProblem: '',
	timeoutSeconds: 30,
	...overrides,
});

describe('token answer messages', () => {
	it('a redirect names where it pointed, and only when it named a place', () => {
		expect(TOKEN_ANSWER_MESSAGES.redirect(answer({ location: 'https://login.example/' }))).toEqual({
			message: 'The ERP.net token endpoint redirected the request (HTTP 302). Check the Instance URL.',
			description:
				`${TOKEN_URL} answered with a redirect to https://login.example/. Enter the instance's final https:// ` +
				`address (e.g. ${EXAMPLE_URL}); n8n does not follow redirects with the client secret.`,
		});
		expect(TOKEN_ANSWER_MESSAGES.redirect(answer()).description).toMatch(
			/^https:\S+ answered with a redirect\. Enter the instance's final/,
		);
	});

	it('an answer that is not JSON says what came instead', () => {
		expect(TOKEN_ANSWER_MESSAGES.notJson(answer({ status: 200, received: 'content type text/html' }))).toEqual({
			message: 'The ERP.net token endpoint did not answer with JSON. Check the Instance URL.',
			description:
				`${TOKEN_URL} answered HTTP 200 with content type text/html, not the JSON of an ERP.net Instance ID. ` +
				`The Instance URL must be the address of your ERP.net instance, e.g. ${EXAMPLE_URL}, ` +
				'not a login page or another site.',
		});
	});

	it('a token of another type is named in the message', () => {
		expect(TOKEN_ANSWER_MESSAGES.notBearer(answer({ tokenType: 'mac' }))).toEqual({
			message: 'ERP.net issued a token of type "mac", not a Bearer token.',
			description: `${TOKEN_URL} must issue Bearer access tokens for the Domain API.`,
		});
	});

	it.each(Object.keys(TOKEN_ANSWER_MESSAGES) as Array<keyof typeof TOKEN_ANSWER_MESSAGES>)(
		'%s has a message and a description that names the token endpoint',
		(name) => {
			const text = TOKEN_ANSWER_MESSAGES[name](answer({ status: 503 }));
			expect(text.message).toMatch(/^\S.*[.)]$/);
			expect(text.description).toContain(TOKEN_URL);
		},
	);
});

describe('OAuth error messages', () => {
	it.each([
		'invalid_client',
		'invalid_scope',
		'unauthorized_client',
		'unsupported_grant_type',
		'invalid_request',
		'invalid_grant',
	])('%s has its own message naming the code, with what ERP.net said', (code) => {
		const text = oauthErrorText(oauth(code));
		expect(text.message).toContain(`(${code})`);
		expect(text.message).not.toMatch(/^ERP\.net refused to issue an access token/);
		expect(text.description).toContain('ERP.net said: "no".');
	});

	it('the scope and the client ID are named where they are the thing to fix', () => {
		expect(oauthErrorText(oauth('invalid_scope')).message).toBe(
			'ERP.net rejected the requested scope "read update" (invalid_scope). ' +
				"Request only scopes listed in the trusted application's Scope field.",
		);
		expect(oauthErrorText(oauth('unauthorized_client')).description).toBe(
			'In ERP.net, open the trusted application "my.company/n8n", set SystemUserAllowed = true ' +
				`and choose the SystemUser the integration runs as. ERP.net said: "no". Token endpoint: ${TOKEN_URL} (HTTP 400).`,
		);
	});

	it('invalid_grant without a server text describes only the endpoint', () => {
		expect(oauthErrorText(oauth('invalid_grant', '')).description).toBe(`Token endpoint: ${TOKEN_URL} (HTTP 400).`);
	});

	it.each(['temporarily_unavailable', 'constructor', '__proto__', 'toString', ''])(
		'%s gets the general message, never an Object property',
		(code) => {
			expect(oauthErrorText(oauth(code))).toEqual({
				message: `ERP.net refused to issue an access token (${code}).`,
				description:
					"Check the credential's Client ID, Client Secret and Scope against the trusted application in ERP.net." +
					` ERP.net said: "no". Token endpoint: ${TOKEN_URL} (HTTP 400).`,
			});
		},
	);
});

describe('token transport messages', () => {
	it('an untrusted certificate says what is wrong with it', () => {
		expect(
			TOKEN_TRANSPORT_MESSAGES.untrustedCertificate(transport({ tlsProblem: TLS_PROBLEMS.CERT_HAS_EXPIRED })),
		).toEqual({
			message:
				'The TLS certificate of demodb.my.erp.net is not trusted: the server uses an expired certificate. ' +
				'Check the Instance URL.',
			description:
				'n8n refuses to send the client secret over a connection it cannot verify (error code E1). ' +
				"ERP.net instances have valid certificates; check that the Instance URL is your instance's address " +
				`(e.g. ${EXAMPLE_URL}) and that no proxy intercepts HTTPS.`,
		});
	});

	it('a timeout gives the seconds waited', () => {
		expect(TOKEN_TRANSPORT_MESSAGES.timedOut(transport()).description).toBe(
			`No answer from ${TOKEN_URL} within 30 seconds (error code E1).`,
		);
	});

	it.each(Object.keys(TOKEN_TRANSPORT_MESSAGES) as Array<keyof typeof TOKEN_TRANSPORT_MESSAGES>)(
		'%s names the host and the error code',
		(name) => {
			const text = TOKEN_TRANSPORT_MESSAGES[name](transport());
			expect(text.message).toContain('demodb.my.erp.net');
			expect(text.description).toContain('(error code E1)');
		},
	);

	it('every certificate problem reads as what the server does', () => {
		for (const problem of Object.values(TLS_PROBLEMS)) expect(problem).toMatch(/^uses (a|an) ([a-z -]+ )?certificate/);
	});
});
