import { UserError } from 'n8n-workflow';

import { domainRootOf, type InstanceSites } from '../discovery';
import { describeLocation, isUnderRoot } from '../urlScope';

/**
 * Where a credential's token may go: only under the instance's Domain API `{api}/domain/` (the OData service and
 * the model endpoints beside it), path included. Not to another origin, and not to another path of the instance's
 * own origin: a URL typed into an HTTP Request node that uses this credential, the Identity, or a sibling
 * instance served under another path prefix of the same host.
 * Returns the error to throw, or `undefined` when the URL may receive the token.
 */
export function tokenDestinationError(sites: InstanceSites, target: string): UserError | undefined {
	const apiRoot = domainRootOf(sites.odataRoot);
	if (isUnderRoot(target, apiRoot)) return undefined;
	let origin: string | undefined;
	try {
		origin = new URL(target).origin;
	} catch {
		origin = undefined;
	}
	const apiOrigin = new URL(apiRoot).origin;
	if (origin !== apiOrigin) {
		return new UserError(
			`The ERP.net credential sends its access token only to ${apiOrigin}, not to ${origin ?? describeLocation(target)}.`,
			{
				description:
					"Requests made with this credential must go to the instance's Domain API (found through the instance's " +
					"auto-discovery or set in the credential's Domain API Root). " +
					'Check the URL of the request or the credential.',
				level: 'warning',
			},
		);
	}
	return new UserError(
		`The ERP.net credential sends its access token only under the instance's Domain API ${apiRoot}, not to ` +
			`${describeLocation(target)}.`,
		{
			description:
				"The token is only for the Domain API's OData service and model endpoints, not for other paths on the " +
				'same server. Use a URL under the Domain API root, or a request without this credential.',
			level: 'warning',
		},
	);
}
