import { UserError } from 'n8n-workflow';

/**
 * Instance URL handling shared by the credential and the node.
 *
 * Users paste all sorts of things into "Instance URL": the bare host, the address with a trailing slash,
 * the Instance ID authority (`/id`), the token endpoint, the Domain API root or even a full OData request
 * URL. Everything is reduced to the instance base URL, e.g. `https://demodb.my.erp.net`, that the
 * Instance ID (`{instance}/id`) and the Domain API (`{instance}/api/domain/odata/`) hang off.
 */

const EXAMPLE = 'https://demodb.my.erp.net';

/** Path segments that start an ERP.net endpoint; anything from them on is a pasted suffix. */
const ENDPOINT_SEGMENTS = new Set(['id', 'api', 'sys']);

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Whether the host is a loopback address, where plain `http://` is acceptable (the local sandbox). */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host === '::1') return true;
	const ipv4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	return ipv4 !== null && ipv4.slice(1).every((part) => Number(part) <= 255);
}

function invalid(message: string, description?: string): UserError {
	return new UserError(message, {
		description:
			description ??
			`Enter the address of your ERP.net instance, for example ${EXAMPLE} (the same address you open ERP.net with).`,
	});
}

/**
 * Normalises what a user typed as the ERP.net instance URL.
 *
 * - trims whitespace and trailing slashes, drops a query string or fragment;
 * - strips a pasted endpoint suffix: `/id`, `/id/connect/token`, `/api`, `/api/domain/odata/...`, `/sys/...`;
 * - adds `https://` when no scheme is given;
 * - allows `http://` only for loopback hosts (localhost, 127.0.0.1, [::1]);
 * - rejects anything else (other schemes, user names or passwords in the URL, unparsable text)
 *   with a clear `UserError`.
 *
 * Returns `scheme://host[:port][/path-prefix]` without a trailing slash.
 */
export function normalizeInstanceUrl(raw: string): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text === '') {
		throw invalid('The ERP.net instance URL is empty.');
	}

	const withScheme = SCHEME.test(text) ? text : `https://${text.replace(/^\/+/, '')}`;
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		throw invalid(`The ERP.net instance URL "${text}" is not a valid URL.`);
	}

	const protocol = url.protocol.toLowerCase();
	if (protocol !== 'https:' && protocol !== 'http:') {
		throw invalid(`The ERP.net instance URL must start with https:// (got "${protocol}//").`);
	}
	if (url.username !== '' || url.password !== '') {
		throw invalid(
			'The ERP.net instance URL must not contain a user name or password.',
			`Remove the "user:password@" part and enter the client ID and secret in their own fields, for example ${EXAMPLE}.`,
		);
	}
	if (url.hostname === '') {
		throw invalid(`The ERP.net instance URL "${text}" has no host name.`);
	}
	if (protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw invalid(
			`The ERP.net instance URL must use https:// (got http://${url.host}).`,
			`ERP.net instances are served over HTTPS, for example ${EXAMPLE}. ` +
				'Plain http:// is only accepted for a local test server on localhost, 127.0.0.1 or [::1].',
		);
	}

	const segments = url.pathname.split('/').filter((segment) => segment !== '');
	const cut = segments.findIndex((segment) => ENDPOINT_SEGMENTS.has(segment.toLowerCase()));
	const kept = cut === -1 ? segments : segments.slice(0, cut);
	const path = kept.length > 0 ? `/${kept.join('/')}` : '';

	return `${protocol}//${url.host}${path}`;
}

/** The Domain API (OData v4) service root of an instance, with a trailing slash: `{instance}/api/domain/odata/`. */
export function domainApiRoot(instanceUrl: string): string {
	return `${normalizeInstanceUrl(instanceUrl)}/api/domain/odata/`;
}

/** The Instance ID token endpoint of an instance: `{instance}/id/connect/token`. */
export function tokenEndpoint(instanceUrl: string): string {
	return `${normalizeInstanceUrl(instanceUrl)}/id/connect/token`;
}

/**
 * n8n expression that derives the instance base URL from `$credentials.instanceUrl` for the credential test
 * (the same normalisation as `normalizeInstanceUrl` for valid input: scheme added, query, trailing slashes and
 * a pasted `/id`, `/api` or `/sys` suffix removed).
 */
export const INSTANCE_URL_EXPRESSION =
	String.raw`={{ String($credentials.instanceUrl).trim()` +
	String.raw`.replace(/^(?![a-z][a-z0-9+.-]*:\/\/)\/*/i, 'https://')` +
	String.raw`.replace(/[?#].*$/, '')` +
	String.raw`.replace(/^([^:\/]+:\/\/[^\/]+(?:\/(?!(?:id|api|sys)(?:\/|$))[^\/]+)*).*$/i, '$1') }}`;
