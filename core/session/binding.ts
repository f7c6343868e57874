import type { ErpNetSession, TokenFetcher } from './session';

/**
 * Which session and token a request that went through the gate must use. n8n passes the same options object
 * to the credential's `authenticate`, before the request and again when it resends after a 401.
 */
interface RequestBinding {
	session: ErpNetSession;
	token: string;
	fetchToken: TokenFetcher;
	authenticated: boolean;
}

const bindings = new WeakMap<object, RequestBinding>();

export function bindRequest(options: object, session: ErpNetSession, token: string, fetchToken: TokenFetcher): void {
	bindings.set(options, { session, token, fetchToken, authenticated: false });
}

/**
 * The token for a request, as `authenticate` needs it: the session's token on the first call, a replacement
 * of the rejected one when n8n authenticates the same request again after a 401. `undefined` for a request
 * that did not come through the gate (credential test, HTTP Request node).
 */
export async function tokenForBoundRequest(options: object): Promise<string | undefined> {
	const binding = bindings.get(options);
	if (!binding) return undefined;
	if (binding.authenticated) {
		binding.token = (await binding.session.replaceToken(binding.token, binding.fetchToken)).value;
	}
	binding.authenticated = true;
	return binding.token;
}
