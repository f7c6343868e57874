import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { domainApiRoot, normalizeInstanceUrl } from '../instanceUrl';
import type { ODataQuery } from '../odata/types';
import { encodeQuery, isEntitySetName } from '../odata/text';
import type { ErpNetFunctions } from './types';
import { CREDENTIAL_TYPE } from './types';

export interface InstanceRoots {
	instanceUrl: string;
	origin: string;
	odataRoot: string;
}

const rootsByContext = new WeakMap<object, Promise<InstanceRoots>>();

/** The instance's roots, read from the credential once per execution context. */
export async function getInstanceRoots(this: ErpNetFunctions): Promise<InstanceRoots> {
	let roots = rootsByContext.get(this);
	if (!roots) {
		roots = this.getCredentials(CREDENTIAL_TYPE).then((credentials) => {
			const instanceUrl = normalizeInstanceUrl(String(credentials.instanceUrl ?? ''));
			return { instanceUrl, origin: new URL(instanceUrl).origin, odataRoot: domainApiRoot(instanceUrl) };
		});
		rootsByContext.set(this, roots);
	}
	return await roots;
}

/** URL of a Domain API resource (`Crm_Sales_Customers`, `Crm_Sales_Customers(<guid>)`) with query options. */
export async function odataUrl(
	this: ErpNetFunctions,
	resource: string,
	query: ODataQuery | Record<string, string | number | boolean | undefined> = {},
): Promise<string> {
	const { odataRoot } = await getInstanceRoots.call(this);
	const queryString = encodeQuery(query);
	return `${odataRoot}${resource}${queryString ? `?${queryString}` : ''}`;
}

/** URL under `{instance}/api/domain/` (model endpoints). */
export async function apiUrl(this: ErpNetFunctions, path: string): Promise<string> {
	const { instanceUrl } = await getInstanceRoots.call(this);
	return `${instanceUrl}/api/domain/${path}`;
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

/** A next link is followed as returned (absolute or relative), but only on the instance's own origin. */
export function resolveNextLink(node: INode, nextLink: string, roots: InstanceRoots, itemIndex?: number): string {
	const resolved = new URL(nextLink, roots.odataRoot);
	if (resolved.origin !== roots.origin) {
		throw new NodeOperationError(node, 'ERP.net returned a next page link to another host', {
			itemIndex,
			description: `The link points to ${resolved.origin}, not to ${roots.origin}; it was not followed and the token was not sent there.`,
		});
	}
	return /^https?:\/\//i.test(nextLink) ? nextLink : resolved.toString();
}
