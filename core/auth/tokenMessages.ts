/**
 * What a failed token request tells the user, one named template per case: the token endpoint's answers
 * (tokenResponse.ts), its OAuth error codes and the network failures of the request (tokenTransportErrors.ts).
 * The templates only fill in facts; which case applies is decided where the facts are read.
 */

/** The instance address the messages give as an example. */
export const EXAMPLE_URL = 'https://demodb.my.erp.net';

/** A message and the description shown under it. */
export interface TokenErrorText {
	message: string;
	description: string;
}

/** What the token endpoint answered, as the messages show it (server text redacted and shortened). */
export interface TokenAnswerFacts {
	tokenUrl: string;
	status: number;
	/** Where a redirect pointed, without its query; '' when it named no place. */
	location: string;
	/** What came instead of JSON: `content type text/html` or `a body that is not JSON`. */
	received: string;
	/** The token type ERP.net issued. */
	tokenType: string;
}

/** The token endpoint's answers that carry no access token and no OAuth error code. */
export const TOKEN_ANSWER_MESSAGES = {
	redirect: ({ tokenUrl, status, location }: TokenAnswerFacts): TokenErrorText => ({
		message: `The ERP.net token endpoint redirected the request (HTTP ${status}). Check the Instance URL.`,
		description:
			`${tokenUrl} answered with a redirect${location ? ` to ${location}` : ''}. ` +
			`Enter the instance's final https:// address (e.g. ${EXAMPLE_URL}); ` +
			'n8n does not follow redirects with the client secret.',
	}),
	notFound: ({ tokenUrl }: TokenAnswerFacts): TokenErrorText => ({
		message: 'The ERP.net token endpoint was not found (HTTP 404). Check the Instance URL.',
		description:
			`There is no Instance ID token endpoint at ${tokenUrl}. ` +
			`The Instance URL must be the address of your ERP.net instance, e.g. ${EXAMPLE_URL}.`,
	}),
	rateLimited: ({ tokenUrl }: TokenAnswerFacts): TokenErrorText => ({
		message: 'ERP.net is receiving too many token requests (HTTP 429). Try again in a minute.',
		description: `The token endpoint ${tokenUrl} is rate limiting this client.`,
	}),
	serverFailed: ({ tokenUrl, status }: TokenAnswerFacts): TokenErrorText => ({
		message: `The ERP.net identity server failed to issue a token (HTTP ${status}). Try again later.`,
		description: `${tokenUrl} answered HTTP ${status}. If this persists, check the instance's status in ERP.net.`,
	}),
	notJson: ({ tokenUrl, status, received }: TokenAnswerFacts): TokenErrorText => ({
		message: 'The ERP.net token endpoint did not answer with JSON. Check the Instance URL.',
		description:
			`${tokenUrl} answered HTTP ${status} with ${received}, not the JSON of an ERP.net Instance ID. ` +
			`The Instance URL must be the address of your ERP.net instance, e.g. ${EXAMPLE_URL}, ` +
			'not a login page or another site.',
	}),
	notIssued: ({ tokenUrl, status }: TokenAnswerFacts): TokenErrorText => ({
		message: `ERP.net did not issue an access token (HTTP ${status}).`,
		description:
			`${tokenUrl} answered HTTP ${status} without an OAuth error code. ` +
			'Check the Instance URL, Client ID and Client Secret.',
	}),
	noAccessToken: ({ tokenUrl, status }: TokenAnswerFacts): TokenErrorText => ({
		message: 'ERP.net answered the token request without an access token.',
		description:
			`${tokenUrl} answered HTTP ${status} but its JSON has no "access_token". ` +
			`Check that the Instance URL points to an ERP.net instance, e.g. ${EXAMPLE_URL}.`,
	}),
	notBearer: ({ tokenUrl, tokenType }: TokenAnswerFacts): TokenErrorText => ({
		message: `ERP.net issued a token of type "${tokenType}", not a Bearer token.`,
		description: `${tokenUrl} must issue Bearer access tokens for the Domain API.`,
	}),
};

export type TokenAnswerCase = keyof typeof TOKEN_ANSWER_MESSAGES;

/** What the messages of an OAuth error code show. */
export interface OAuthErrorFacts {
	code: string;
	clientId: string;
	scope: string;
	tokenUrl: string;
	/** ` ERP.net said: "…".` or ''. */
	detail: string;
	/** `Token endpoint: … (HTTP …).` */
	where: string;
}

type OAuthErrorTemplate = (facts: OAuthErrorFacts) => TokenErrorText;

/** The OAuth error codes of the token endpoint (RFC 6749 §5.2, IdentityServer). */
const OAUTH_ERROR_MESSAGES: Record<string, OAuthErrorTemplate> = {
	invalid_client: ({ clientId, detail, where }) => ({
		message:
			'ERP.net rejected the client ID or secret (invalid_client). ' +
			"Check the trusted application's ApplicationUri and secret.",
		description:
			`The Client ID ("${clientId}") must be the ApplicationUri of an enabled, Confidential trusted application ` +
			'of this instance, and the Client Secret its plain secret ' +
			`(ERP.net stores base64(SHA-256(secret)) in ApplicationSecretHash).${detail} ${where}`,
	}),
	invalid_scope: ({ scope, detail, where }) => ({
		message:
			`ERP.net rejected the requested scope "${scope}" (invalid_scope). ` +
			"Request only scopes listed in the trusted application's Scope field.",
		description:
			"Change the credential's Scope to scopes the trusted application allows " +
			'(e.g. "read" for read-only access, "read update" to also write), ' +
			`or add the missing scope to the trusted application's Scope in ERP.net.${detail} ${where}`,
	}),
	unauthorized_client: ({ clientId, detail, where }) => ({
		message:
			'ERP.net does not allow this trusted application to use the client credentials flow ' +
			'(unauthorized_client). Set SystemUserAllowed and assign a SystemUser.',
		description:
			`In ERP.net, open the trusted application "${clientId}", set SystemUserAllowed = true ` +
			`and choose the SystemUser the integration runs as.${detail} ${where}`,
	}),
	unsupported_grant_type: ({ tokenUrl, detail }) => ({
		message:
			'The token endpoint does not support the client credentials grant (unsupported_grant_type). ' +
			'Check that the Instance URL points to an ERP.net instance.',
		description:
			`n8n sends grant_type=client_credentials to ${tokenUrl}; this server does not accept it. ` +
			`Use the address of your ERP.net instance, e.g. ${EXAMPLE_URL}.${detail}`,
	}),
	invalid_request: ({ detail, where }) => ({
		message:
			'ERP.net reported the token request as incomplete (invalid_request). ' +
			'Check that Client ID and Client Secret are both filled in.',
		description:
			'ERP.net needs client_id and client_secret in the request; both come from the credential.' + `${detail} ${where}`,
	}),
	invalid_grant: ({ detail, where }) => ({
		message:
			'ERP.net rejected the token request (invalid_grant). ' +
			'Check the Client ID, Client Secret and that the trusted application is enabled.',
		description: `${detail.trim()} ${where}`.trim(),
	}),
};

const OTHER_OAUTH_ERROR: OAuthErrorTemplate = ({ code, detail, where }) => ({
	message: `ERP.net refused to issue an access token (${code}).`,
	description:
		"Check the credential's Client ID, Client Secret and Scope against the trusted application in ERP.net." +
		`${detail} ${where}`,
});

/** The text for an OAuth error code; a code without its own template (also `constructor`) gets the general one. */
export function oauthErrorText(facts: OAuthErrorFacts): TokenErrorText {
	const known = Object.prototype.hasOwnProperty.call(OAUTH_ERROR_MESSAGES, facts.code);
	return (known ? OAUTH_ERROR_MESSAGES[facts.code] : OTHER_OAUTH_ERROR)(facts);
}

/** What is wrong with a certificate, per Node's TLS error code. */
export const TLS_PROBLEMS: Record<string, string> = {
	DEPTH_ZERO_SELF_SIGNED_CERT: 'uses a self-signed certificate',
	SELF_SIGNED_CERT_IN_CHAIN: 'uses a certificate chain with a self-signed certificate',
	CERT_HAS_EXPIRED: 'uses an expired certificate',
	CERT_NOT_YET_VALID: 'uses a certificate that is not valid yet',
	ERR_TLS_CERT_ALTNAME_INVALID: 'uses a certificate issued for a different host name',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'uses a certificate that cannot be verified',
	UNABLE_TO_GET_ISSUER_CERT: 'uses a certificate whose issuer is unknown',
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'uses a certificate whose issuer is not trusted',
	CERT_UNTRUSTED: 'uses an untrusted certificate',
	CERT_REVOKED: 'uses a revoked certificate',
	CERT_SIGNATURE_FAILURE: 'uses a certificate with an invalid signature',
};

/** What is known about a token request that got no answer. */
export interface TokenTransportFacts {
	host: string;
	tokenUrl: string;
	/** ` (error code …)` or ''. */
	codeNote: string;
	/** The TLS_PROBLEMS entry of the certificate's error code, '' for other failures. */
	tlsProblem: string;
	timeoutSeconds: number;
}

/** The token request's network, DNS, TLS and timeout failures. */
export const TOKEN_TRANSPORT_MESSAGES = {
	untrustedCertificate: ({ host, codeNote, tlsProblem }: TokenTransportFacts): TokenErrorText => ({
		message: `The TLS certificate of ${host} is not trusted: the server ${tlsProblem}. Check the Instance URL.`,
		description:
			`n8n refuses to send the client secret over a connection it cannot verify${codeNote}. ` +
			"ERP.net instances have valid certificates; check that the Instance URL is your instance's address " +
			`(e.g. ${EXAMPLE_URL}) and that no proxy intercepts HTTPS.`,
	}),
	tlsFailed: ({ host, codeNote }: TokenTransportFacts): TokenErrorText => ({
		message: `The secure (TLS) connection to ${host} failed. Check the Instance URL.`,
		description:
			`The TLS handshake with ${host} failed${codeNote}. ` +
			`Make sure the Instance URL uses https:// for an HTTPS server, e.g. ${EXAMPLE_URL}.`,
	}),
	hostNotFound: ({ host, codeNote }: TokenTransportFacts): TokenErrorText => ({
		message: `The ERP.net host "${host}" could not be found. Check the Instance URL for typos.`,
		description: `The DNS lookup of ${host} failed${codeNote}. Your instance address looks like ${EXAMPLE_URL}.`,
	}),
	refused: ({ host, tokenUrl, codeNote }: TokenTransportFacts): TokenErrorText => ({
		message: `The connection to ${host} was refused. Check the Instance URL and that the instance is running.`,
		description: `Nothing accepted the connection at ${tokenUrl}${codeNote}.`,
	}),
	timedOut: ({ host, tokenUrl, codeNote, timeoutSeconds }: TokenTransportFacts): TokenErrorText => ({
		message:
			`The ERP.net token endpoint at ${host} did not answer in time. ` + 'Try again later or check the Instance URL.',
		description: `No answer from ${tokenUrl} within ${timeoutSeconds} seconds${codeNote}.`,
	}),
	connectionLost: ({ host, tokenUrl, codeNote }: TokenTransportFacts): TokenErrorText => ({
		message:
			`The connection to ${host} failed before ERP.net answered. ` +
			'Check the Instance URL and your network, then try again.',
		description: `The token request to ${tokenUrl} could not be completed${codeNote}.`,
	}),
	notSent: ({ host, tokenUrl, codeNote }: TokenTransportFacts): TokenErrorText => ({
		message: `The access token could not be requested from ${host}. Check the Instance URL and your network.`,
		description: `The token request to ${tokenUrl} failed before ERP.net answered${codeNote}.`,
	}),
};

export type TokenTransportCase = keyof typeof TOKEN_TRANSPORT_MESSAGES;
