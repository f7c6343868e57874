import type { ICredentialDataDecryptedObject, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { readReferenceToken, referenceTokenFingerprint } from '../auth/referenceToken';
import { storedTokenFor, tokenFetcher } from '../auth/sessionTokens';
import { readTokenSettings, settingsFingerprint, settingsOwner } from '../auth/tokenSettings';
import {
	LicenseBackoffError,
	mentionsLicenseExhausted,
	runInSessionPool,
	SessionOverdueError,
	SessionWaitError,
	type SessionRequest,
	type SessionToken,
} from '../session';
import type { ErpNetCredentialType, ErpNetFunctions } from './types';
import { DEFAULT_TIMEOUT_MS } from './types';
import { nodeApiError } from './errors';

/**
 * How long past its "Timeout" a request may run before its session is given up. The timeout itself only bounds
 * the silence between two pieces of the answer; an answer that trickles in a byte at a time never reaches it.
 */
const DEADLINE_MARGIN_MS = 5_000;

const sessionsByContext = new WeakMap<object, Promise<SessionRequest>>();

/**
 * A stored token a sequential CLI run (`n8n execute`) may take over; other modes never do (another process may use it).
 */
function adoptableToken(
	context: ErpNetFunctions,
	credentials: ICredentialDataDecryptedObject,
	fingerprint: string,
): SessionToken | undefined {
	const getMode = (context as { getMode?: () => string }).getMode;
	const mode = typeof getMode === 'function' ? getMode.call(context) : undefined;
	const stored = storedTokenFor(credentials, fingerprint);
	if (mode !== 'cli' || stored === '') return undefined;
	const storedExpiresAt = Number(credentials.tokenExpiresAt) || undefined;
	// a stored token close to its end is sent as it is: the 401 it gets makes n8n request and store a new one
	const expiresAt =
		storedExpiresAt !== undefined && storedExpiresAt - Date.now() > 120_000 ? storedExpiresAt : undefined;
	return { value: stored, obtainedAt: Date.now(), expiresAt };
}

/**
 * A reference token is one ERP.net session of its own (no token exchange, one token): one request at a time
 * and the per-minute pace still apply, so it goes through the same gate with a pool of one.
 */
function referenceTokenSession(credentials: ICredentialDataDecryptedObject): SessionRequest {
	const token = readReferenceToken(credentials);
	return {
		fingerprint: referenceTokenFingerprint(credentials),
		poolSize: 1,
		fetchToken: async () => ({ accessToken: token }),
	};
}

function clientCredentialsSession(
	context: ErpNetFunctions,
	credentials: ICredentialDataDecryptedObject,
): SessionRequest {
	const settings = readTokenSettings(credentials);
	const fingerprint = settingsFingerprint(settings);
	return {
		fingerprint,
		owner: settingsOwner(settings),
		poolSize: credentials.sessionsPerProcess,
		fetchToken: tokenFetcher(context.helpers, credentials),
		adoptable: adoptableToken(context, credentials, fingerprint),
	};
}

/**
 * How this execution's requests reach the credential's ERP.net sessions (core/session), read once per execution
 * context.
 */
async function sessionRequest(context: ErpNetFunctions, credentialType: ErpNetCredentialType): Promise<SessionRequest> {
	let request = sessionsByContext.get(context);
	if (!request) {
		request = context
			.getCredentials(credentialType)
			.then((credentials) =>
				credentialType === 'erpNetReferenceTokenApi'
					? referenceTokenSession(credentials)
					: clientCredentialsSession(context, credentials),
			);
		sessionsByContext.set(context, request);
	}
	return await request;
}

/** All licences in use (https://docs.erp.net/dev/auth/faq.html): not retried, the item says what to do. */
function licenseExhaustedError(context: ErpNetFunctions, itemIndex?: number): NodeApiError {
	const message = 'ERP.net has no free licence for a new session (MaximumLicenseCountExceeded)';
	return nodeApiError(context.getNode(), { message } as JsonObject, {
		message,
		description:
			'Every ERP.net licence is in use, so ERP.net refused to open a session for this credential. ' +
			'Inactive sessions free their licence after 20 minutes. Free or add licences, or lower the number of ' +
			'sessions n8n opens: "Sessions per n8n Process" in the credential, and the number of queue-mode workers ' +
			'using it (each n8n process opens its own sessions). Requests on this session are not retried for 30 ' +
			'seconds.',
		itemIndex,
	});
}

/**
 * Sends one authenticated request on one of the credential's ERP.net sessions of this process: one request at a
 * time per session, in arrival order, paced to the per-minute limit.
 */
export async function sendOnCredentialSession<T>(
	context: ErpNetFunctions,
	credentialType: ErpNetCredentialType,
	options: IHttpRequestOptions,
	send: () => Promise<T>,
): Promise<T> {
	const deadlineMs = (options.timeout ?? DEFAULT_TIMEOUT_MS) + DEADLINE_MARGIN_MS;
	return await runInSessionPool(await sessionRequest(context, credentialType), options, send, { deadlineMs });
}

/** A request that had not ended by its deadline: what happened, and that the write's outcome is unknown. */
function overdueError(
	context: ErpNetFunctions,
	error: SessionOverdueError,
	method: string,
	itemIndex?: number,
): NodeApiError {
	const unsure =
		method !== 'GET'
			? ' The write may or may not have been carried out: check the record in ERP.net before running it again.'
			: '';
	return nodeApiError(context.getNode(), { message: error.message } as JsonObject, {
		message: error.message,
		description:
			`ERP.net kept the response open past the "Timeout" without finishing it, so n8n stopped waiting.${unsure} ` +
			"The ERP.net session it ran on may still be busy with it: the credential's next requests run on a new session " +
			'(one more licence until ERP.net closes the old one after 20 inactive minutes). ' +
			'Raise the "Timeout" option or narrow the request.',
		itemIndex,
	});
}

/** The item error for a failure of the session gate itself (wait ran out, no licence), else `undefined`. */
export function sessionFailure(
	context: ErpNetFunctions,
	error: unknown,
	itemIndex?: number,
	method = 'GET',
): Error | undefined {
	if (error instanceof SessionOverdueError) return overdueError(context, error, method, itemIndex);
	if (error instanceof SessionWaitError) {
		return new NodeOperationError(context.getNode(), error.message, { itemIndex, description: error.description });
	}
	if (error instanceof LicenseBackoffError || mentionsLicenseExhausted(error))
		return licenseExhaustedError(context, itemIndex);
	return undefined;
}
