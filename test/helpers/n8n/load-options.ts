import { LoadOptionsContext } from 'n8n-core';
import type {
	ILoadOptionsFunctions,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	ResourceMapperFields,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { clone } from './clone';
import type { CredentialStore } from './credential-store';
import type { HarnessCredentialOptions } from './harness-credentials';
import { prepareCredentials } from './harness-credentials';
import type { AnyNodeType } from './node-types';
import { defaultVersionOf, loadErpNetNode, nodeDescriptionOf, PACKAGE_NAME, TestNodeTypes } from './node-types';

// Load options / list search / resource mapping (like the CLI's DynamicNodeParametersService)

export interface LoadOptionsCallOptions extends HarnessCredentialOptions {
	nodeType?: AnyNodeType;
	nodeTypeName?: string;
	typeVersion?: number;
	/** The node's current parameters (the UI sends them with defaults filled in; so does the harness). */
	parameters?: INodeParameters;
	/** Path of the parameter being loaded, e.g. 'parameters.entitySet'. */
	path?: string;
}

export interface LoadOptionsHandle {
	context: ILoadOptionsFunctions;
	nodeType: INodeType;
	credentialStore: CredentialStore;
}

/** A real `LoadOptionsContext` for a temporary node, exactly as n8n builds it for the editor UI. */
export async function createLoadOptionsContext(options: LoadOptionsCallOptions = {}): Promise<LoadOptionsHandle> {
	const anyType = options.nodeType ?? (await loadErpNetNode());
	const description = nodeDescriptionOf(anyType);
	const nodeTypeName = options.nodeTypeName ?? `${PACKAGE_NAME}.${description.name}`;
	const typeVersion = options.typeVersion ?? defaultVersionOf(anyType);
	const { credentialStore, credentialsHelper } = prepareCredentials(options);
	const nodeTypes = new TestNodeTypes().register(nodeTypeName, anyType);

	const node: INode = {
		parameters: clone(options.parameters ?? {}),
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: nodeTypeName,
		typeVersion,
		position: [0, 0],
	};
	const nodeCredentials = credentialStore.nodeCredentials();
	if (Object.keys(nodeCredentials).length > 0) node.credentials = nodeCredentials;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const tempNode = workflow.nodes['Temp-Node'];
	const additionalData = createAdditionalData(credentialsHelper, {
		currentNodeParameters: tempNode.parameters,
	});
	const context = new LoadOptionsContext(workflow, tempNode, additionalData, options.path ?? 'parameters');
	return { context, nodeType: nodeTypes.getByNameAndVersion(nodeTypeName, typeVersion), credentialStore };
}

type MethodKind = 'listSearch' | 'loadOptions' | 'resourceMapping';

function getMethod(nodeType: INodeType, kind: MethodKind, methodName: string) {
	const method = (nodeType.methods?.[kind] as Record<string, unknown> | undefined)?.[methodName];
	if (typeof method !== 'function') throw new Error(`Node type has no methods.${kind}.${methodName}`);
	return method as (this: ILoadOptionsFunctions, ...args: unknown[]) => Promise<unknown>;
}

/** Calls `methods.listSearch[methodName](filter, paginationToken)` like the resource locator does. */
export async function callListSearch(
	methodName: string,
	options: LoadOptionsCallOptions & { filter?: string; paginationToken?: string } = {},
): Promise<INodeListSearchResult & { credentialStore: CredentialStore }> {
	const { context, nodeType, credentialStore } = await createLoadOptionsContext(options);
	const result = (await getMethod(nodeType, 'listSearch', methodName).call(
		context,
		options.filter,
		options.paginationToken,
	)) as INodeListSearchResult;
	return Object.assign(result, { credentialStore });
}

/** Calls `methods.loadOptions[methodName]()` like a dropdown with `loadOptionsMethod` does. */
export async function callLoadOptions(
	methodName: string,
	options: LoadOptionsCallOptions = {},
): Promise<INodePropertyOptions[]> {
	const { context, nodeType } = await createLoadOptionsContext(options);
	return (await getMethod(nodeType, 'loadOptions', methodName).call(context)) as INodePropertyOptions[];
}

/** Calls `methods.resourceMapping[methodName]()`; duplicate field ids removed as n8n does. */
export async function callResourceMapping(
	methodName: string,
	options: LoadOptionsCallOptions = {},
): Promise<ResourceMapperFields> {
	const { context, nodeType } = await createLoadOptionsContext(options);
	const fields = (await getMethod(nodeType, 'resourceMapping', methodName).call(context)) as ResourceMapperFields;
	const seen = new Set<string>();
	return {
		...fields,
		fields: fields.fields?.filter((field) => (seen.has(field.id) ? false : (seen.add(field.id), true))),
	};
}
