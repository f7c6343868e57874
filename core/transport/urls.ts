import type { INode } from 'n8n-workflow';
import { NodeOperationError, UserError } from 'n8n-workflow';

import { assertSitesWorking, domainRootOf, resolveInstanceSites, type InstanceSites } from '../discovery';
import type { ODataQuery } from '../odata/types';
import { encodeQuery, GUID_REGEX, isEntitySetName } from '../odata/syntax';
import type { ErpNetCredentialType, ErpNetFunctions } from './types';
import { credentialTypeFor } from './types';
import { describeLocation, isUnderRoot } from '../urlScope';

export interface InstanceRoots {
	instanceUrl: string;
	/** Origin of the Domain API (where requests and next links may go with the token). */
	origin: string;
	odataRoot: string;
	/** `{api}/domain/`: the model endpoints beside the OData service. */
	domainRoot: string;
	/** The credential type the node's `authentication` parameter selects. */
	credentialType: ErpNetCredentialType;
}

const rootsByContext = new WeakMap<object, Promise<InstanceRoots>>();

/** The credential type of this node: its `authentication` parameter (`clientCredentials` when absent). */
export function credentialTypeOf(context: ErpNetFunctions): ErpNetCredentialType {
	return credentialTypeFor(context.getNode().parameters.authentication);
}

async function readRoots(context: ErpNetFunctions): Promise<InstanceRoots> {
	const credentialType = credentialTypeOf(context);
	const credentials = await context.getCredentials(credentialType);
	let sites: InstanceSites;
	try {
		sites = await resolveInstanceSites(
			async (options) => await context.helpers.httpRequest(options),
			String(credentials.instanceUrl ?? ''),
			typeof credentials.domainApiRoot === 'string' ? credentials.domainApiRoot : '',
		);
		assertSitesWorking(sites, { identity: false, domainApi: true });
	} catch (error) {
		// The discovery's own messages (a stopped site, an http:// address) already say what to fix.
		const message = error instanceof UserError ? error.message : (error as Error);
		const description = error instanceof UserError ? (error.description ?? undefined) : undefined;
		throw new NodeOperationError(context.getNode(), message, { description });
	}
	return {
		instanceUrl: sites.instanceUrl,
		origin: new URL(sites.odataRoot).origin,
		odataRoot: sites.odataRoot,
		domainRoot: domainRootOf(sites.odataRoot),
		credentialType,
	};
}

/**
 * The instance's roots, once per execution context: the Domain API root from auto-discovery (cached per
 * process, core/discovery.ts), the credential's Domain API Root override, or `{instance}/api/domain/odata/`.
 */
export async function getInstanceRoots(this: ErpNetFunctions): Promise<InstanceRoots> {
	let roots = rootsByContext.get(this);
	if (!roots) {
		roots = readRoots(this);
		rootsByContext.set(this, roots);
	}
	return await roots;
}

/**
 * `Set`, `Set(<guid>)`, `Set/$count`, `Set(<guid>)/Operation` or `…/Function(params)`, `$batch`: nothing that could
 * leave the Domain API root (no `/` beyond one segment, no `#`, `\\` or `..`; a query string may follow).
 */
const RESOURCE_PATTERN = new RegExp(
	`^(?:\\$batch|[A-Za-z][A-Za-z0-9_]*(?:\\(${GUID_REGEX}\\))?` +
		'(?:/\\$count|/[A-Za-z_][A-Za-z0-9_.]*(?:\\([^/?#\\\\]*\\))?)?(?:\\?[^#]*)?)$',
);

/** URL of a Domain API resource (`Crm_Sales_Customers`, `Crm_Sales_Customers(<guid>)`) with query options. */
export async function odataUrl(
	this: ErpNetFunctions,
	resource: string,
	query: ODataQuery | Record<string, string | number | boolean | undefined> = {},
): Promise<string> {
	const { odataRoot } = await getInstanceRoots.call(this);
	if (!RESOURCE_PATTERN.test(resource) || resource.includes('..')) {
		throw new NodeOperationError(
			this.getNode(),
			`"${resource.slice(0, 100)}" is not a valid ERP.net entity set or record`,
			{
				description:
					'Entity set names look like Crm_Sales_Customers: the repository name with dots replaced by underscores.',
			},
		);
	}
	const queryString = encodeQuery(query);
	return `${odataRoot}${resource}${queryString ? `?${queryString}` : ''}`;
}

/** URL under the Domain API's `{api}/domain/` (model endpoints), by default `{instance}/api/domain/`. */
export async function apiUrl(this: ErpNetFunctions, path: string): Promise<string> {
	const { domainRoot } = await getInstanceRoots.call(this);
	if (!/^[A-Za-z]+(?:\/[A-Za-z][A-Za-z0-9_]*)?$/.test(path)) {
		throw new NodeOperationError(this.getNode(), `"${path.slice(0, 100)}" is not a valid ERP.net model path`);
	}
	return `${domainRoot}${path}`;
}

export function assertEntitySetName(node: INode, entitySet: string, itemIndex?: number): void {
	if (!isEntitySetName(entitySet)) {
		throw new NodeOperationError(node, `"${entitySet}" is not a valid ERP.net entity set name`, {
			itemIndex,
			description:
				'Entity set names look like Crm_Sales_Customers: the repository name with dots replaced by underscores.',
		});
	}
}

/** A next link is followed as returned (absolute or relative), but only on the Domain API's own origin. */
export function resolveNextLink(node: INode, nextLink: string, roots: InstanceRoots, itemIndex?: number): string {
	const resolved = new URL(nextLink, roots.odataRoot);
	if (!isUnderRoot(resolved.toString(), roots.odataRoot)) {
		throw new NodeOperationError(node, "ERP.net returned a next page link outside the instance's Domain API", {
			itemIndex,
			description:
				`The link points to ${describeLocation(resolved.toString())}, not under ${roots.odataRoot}; ` +
				'it was not followed and the token was not sent there.',
		});
	}
	return /^https?:\/\//i.test(nextLink) ? nextLink : resolved.toString();
}
