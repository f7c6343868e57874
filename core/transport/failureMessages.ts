/**
 * What a failed Domain API request tells the user, one named template per case (errors.ts picks the case).
 * The templates only fill in facts; every text from ERP.net or a proxy in them is already redacted.
 */

/** A message and the description shown under it. */
export interface FailureText {
	message: string;
	description?: string;
}

/** What the messages of a request ERP.net (or a proxy) answered with an error status show. */
export interface StatusFailureFacts {
	status: number;
	/** What the request did: `read Crm_Sales_Customers`, or the method and path. */
	action: string;
	attempts: number;
	/** The message of ERP.net's error envelope. */
	erpMessage?: string;
	/** ERP.net's error code, type and info, when it sent any. */
	technical?: string;
	/** What to do about a business error of ERP.net's message (errorHints.ts). */
	hint?: string;
	/** The old and the new name when ERP.net says the entity set was renamed. */
	renamed?: { from: string; to: string };
	/** The proxy's text, after the warning that a gateway may have given up on a write ERP.net went on with. */
	statusDetail?: string;
}

/** What a write whose answer never arrived whole has to be told (a timeout, a cut connection, a garbled answer). */
export const WRITE_OUTCOME_UNKNOWN =
	'The write may or may not have been carried out: check the record in ERP.net before running it again.';

/** Answers with an error status, except a reference token's 401 (its own message in auth/referenceToken.ts). */
export const STATUS_FAILURE_MESSAGES = {
	renamed: ({ renamed, erpMessage }: StatusFailureFacts): FailureText => ({
		message: `The entity set '${renamed?.from}' was renamed to '${renamed?.to}' in ERP.net`,
		description: `Use '${renamed?.to}' instead. ${erpMessage ?? ''}`.trim(),
	}),
	accessTokenRejected: (): FailureText => ({
		message: 'ERP.net did not accept the access token (401), even after requesting a new one',
		description:
			'Check that the trusted application is enabled and allowed to use its system user, ' +
			'and that the credential points to the right instance.',
	}),
	forbidden: ({ erpMessage, action }: StatusFailureFacts): FailureText => ({
		message: erpMessage ?? `ERP.net refused to ${action} (403)`,
		description:
			"The trusted application's scope or its system user's permissions do not allow this. " +
			'Writes need the scope "update" in the credential and in the trusted application.',
	}),
	notFound: ({ erpMessage, action }: StatusFailureFacts): FailureText => ({
		message: erpMessage ?? `Not found: ${action} (404)`,
		description:
			'Check the entity set name and the record ID. Entity set names are case-sensitive, e.g. Crm_Sales_Customers.',
	}),
	rateLimited: ({ attempts }: StatusFailureFacts): FailureText => ({
		message: `ERP.net's rate limit was still exceeded after ${attempts} retries (429)`,
		description:
			'ERP.net allows one concurrent request per session and a limited number of requests per minute. ' +
			'Run fewer executions at the same time with this credential, or retry later.',
	}),
	businessError: ({ erpMessage, hint, technical }: StatusFailureFacts): FailureText => ({
		message: erpMessage ?? '',
		description: hint ? `${hint} ${technical ?? ''}`.trim() : technical,
	}),
	failed: ({ action, status, statusDetail }: StatusFailureFacts): FailureText => ({
		message: `ERP.net could not ${action} (HTTP ${status})`,
		description: statusDetail,
	}),
};

export type StatusFailureCase = keyof typeof STATUS_FAILURE_MESSAGES;

/** What the messages of a request that got no answer show. */
export interface NetworkFailureFacts {
	host: string;
	/** The network error code, '' when there was none. */
	code: string;
	timeoutSeconds: number;
	/** ` ${WRITE_OUTCOME_UNKNOWN}` for a write, '' for a read. */
	unsure: string;
	causeMessage?: string;
}

/** Requests that got no answer: a timeout, an untrusted certificate, a host not found or a lost connection. */
export const NETWORK_FAILURE_MESSAGES = {
	timedOut: ({ timeoutSeconds, unsure }: NetworkFailureFacts): FailureText => ({
		message: `ERP.net did not answer within ${timeoutSeconds} seconds`,
		description:
			`Raise the "Timeout" option or narrow the request.${unsure} ERP.net may still be working on it: ` +
			"the credential's next requests run on a new ERP.net session, not behind this one.",
	}),
	untrustedCertificate: ({ host, code }: NetworkFailureFacts): FailureText => ({
		message: `The TLS certificate of ${host} is not trusted (${code})`,
		description: 'Check the instance URL; ERP.net instances use a valid https certificate.',
	}),
	// A network code such as ECONNREFUSED stays out of these messages: n8n's NodeApiError puts its own generic text
	// (without the host, and "retry" for a reset even of a write) in place of a message that names one.
	unreachable: ({ host, code }: NetworkFailureFacts): FailureText => ({
		message: `Could not reach ERP.net at ${host}`,
		description:
			`The connection failed (${code}). ` + 'Check the instance URL in the credential, e.g. https://yourdb.my.erp.net.',
	}),
	connectionFailed: ({ host, code, causeMessage, unsure }: NetworkFailureFacts): FailureText => ({
		message: `The connection to ERP.net at ${host} failed`,
		description: [codeNote(code, causeMessage), causeMessage, unsure.trim()].filter(Boolean).join(' ') || undefined,
	}),
};

export type NetworkFailureCase = keyof typeof NETWORK_FAILURE_MESSAGES;

/** `(CODE)` unless the cause's own text already names the code. */
function codeNote(code: string, causeMessage = ''): string {
	return code && !causeMessage.includes(code) ? `(${code})` : '';
}
