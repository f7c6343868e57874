/**
 * Test harness that runs nodes through the real n8n engine (`n8n-core` `WorkflowExecute`, `RoutingNode`,
 * `LoadOptionsContext`) without the n8n CLI or a database.
 *
 * The only stand-in is `TestCredentialsHelper`, which follows the n8n CLI's `CredentialsHelper`
 * (packages/cli/src/credentials-helper.ts, n8n 2.41) step by step:
 * - `getDecrypted`: stored data → `NodeHelpers.getNodeParameters` (defaults added, undeclared keys dropped)
 *   → expressions resolved;
 * - `preAuthentication`: runs the credential's hook only if the first hidden `expirable` property is `''` or the
 *   credentials expired (401); discards an output without that key; merges the output into the raw stored data
 *   (never overwriting a field stored as an expression, except the expirable one), persists it to the store and
 *   `Object.assign`s it onto the decrypted credentials; hook requests go through the credential's own
 *   allowed-domains restriction;
 * - `authenticate`: function form called as is; generic form resolved with
 *   `workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials }, undefined, '')`.
 * The 401 → refresh → resend-once logic is n8n-core's own (`httpRequestWithAuthentication`).
 *
 * The `CredentialStore` plays the database: share it between runs to see a persisted token reused.
 *
 * `PollRunner` runs polling trigger nodes: ticks of an active workflow (`PollTriggerExecutor`, static data staged
 * per tick) and manual test polls (`WorkflowExecute`).
 */
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	getAdditionalKeys,
	LoadOptionsContext,
	PollContext,
	PollTriggerExecutor,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeCredentials,
	INodeCredentialsDetails,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	ResourceMapperFields,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	getCredentialOwnRequestAllowedDomains,
	ICredentials,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UserError,
	Workflow,
} from 'n8n-workflow';

import { ErpNetApi } from '../../credentials/ErpNetApi.credentials';

/** npm package name; n8n registers community node types as `<package>.<description.name>`. */
export const PACKAGE_NAME = 'n8n-nodes-erpnet';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** n8n-core's own dependency container (its nested @n8n/di, not the top-level copy another package pulled in). */
async function n8nCoreContainer(): Promise<{ get<T>(type: new (...args: never[]) => T): T }> {
	const diPath = require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] });
	return ((await import(diPath)) as { Container: Awaited<ReturnType<typeof n8nCoreContainer>> }).Container;
}
// ---------------------------------------------------------------------------------------------------------------
// Credential types and the credential "database"
// ---------------------------------------------------------------------------------------------------------------

export class CredentialTypeRegistry {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[] = [new ErpNetApi()]) {
		for (const type of types) this.types.set(type.name, type);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type "${name}" (register it with credentialTypes)`);
		return type;
	}

	has(name: string): boolean {
		return this.types.has(name);
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}
}

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	/** Raw stored data, as n8n keeps it in the database (decrypted here). */
	data: ICredentialDataDecryptedObject;
}

export interface CredentialWrite {
	id: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** In-memory stand-in for the credentials table. Share one instance between runs to keep the stored token. */
export class CredentialStore {
	private readonly entries = new Map<string, StoredCredential>();

	/** Every write made by `updateCredentials` (i.e. every persisted token), in order. */
	readonly writes: CredentialWrite[] = [];

	/** How often the credential's `preAuthentication` hook actually ran (calls that were skipped not counted). */
	preAuthenticationRuns = 0;

	/**
	 * Creates the credential of this type, or merges `data` into the existing one: like a user editing the
	 * credential in the UI, hidden fields (the stored token) are kept unless `data` names them.
	 */
	upsert(type: string, data: ICredentialDataDecryptedObject, name = `${type} test credential`): StoredCredential {
		const existing = this.find(type);
		if (existing) {
			existing.data = { ...existing.data, ...clone(data) };
			return existing;
		}
		const entry: StoredCredential = { id: `${type}-1`, name, type, data: clone(data) };
		this.entries.set(entry.id, entry);
		return entry;
	}

	/** Alias of `upsert` for readability in tests: `store.edit('erpNetApi', { clientSecret: 'new' })`. */
	edit(type: string, patch: ICredentialDataDecryptedObject): StoredCredential {
		if (!this.find(type)) throw new Error(`No stored credential of type "${type}" to edit`);
		return this.upsert(type, patch);
	}

	find(type: string): StoredCredential | undefined {
		return [...this.entries.values()].find((entry) => entry.type === type);
	}

	get(id: string): StoredCredential | undefined {
		return this.entries.get(id);
	}

	/** A copy of the stored data of the credential of this type (what the database holds). */
	data(type: string): ICredentialDataDecryptedObject {
		const entry = this.find(type);
		if (!entry) throw new Error(`No stored credential of type "${type}"`);
		return clone(entry.data);
	}

	replace(id: string, data: ICredentialDataDecryptedObject): void {
		const entry = this.entries.get(id);
		if (!entry) throw new Error(`Credential "${id}" not found`);
		entry.data = clone(data);
		this.writes.push({ id, type: entry.type, data: clone(data) });
	}

	/** `node.credentials` referencing every stored credential. */
	nodeCredentials(): INodeCredentials {
		const result: INodeCredentials = {};
		for (const entry of this.entries.values()) result[entry.type] = { id: entry.id, name: entry.name };
		return result;
	}
}

class StoredCredentials extends ICredentials {
	constructor(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		private readonly store: CredentialStore,
	) {
		super(nodeCredentials, type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		const entry = this.store.get(this.id ?? '');
		if (!entry) throw new Error(`Credential "${this.id}" not found`);
		return clone(entry.data);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.store.get(this.id ?? '')?.data) };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.replace(this.id ?? '', data);
	}

	async updateData(toUpdate: Partial<ICredentialDataDecryptedObject>, toDelete: string[] = []): Promise<void> {
		const data = { ...(await this.getData()), ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete data[key];
		await this.setData(data);
	}
}

// A minimal node type for resolving credential expressions outside an execution, as the CLI's mock node types do.
const mockNode: INode = { id: 'mock', name: '', typeVersion: 1, type: 'mock', position: [0, 0], parameters: {} };
const mockNodeType: INodeType = {
	description: {
		displayName: 'Mock',
		name: 'mock',
		group: [],
		version: 1,
		description: '',
		defaults: {},
		inputs: [],
		outputs: [],
		properties: [],
	},
};
const mockNodeTypes: INodeTypes = {
	getByName: () => mockNodeType,
	getByNameAndVersion: () => mockNodeType,
	getKnownTypes: () => ({}),
};

/** Mirrors `restrictToCredentialDomains` of the CLI: the hook's requests obey the credential's own allowlist. */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions): Promise<unknown> => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	} as IHttpRequestHelper;
}

/** Follows the n8n CLI's `CredentialsHelper` (2.41) on an in-memory `CredentialStore`. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		readonly store: CredentialStore,
		readonly credentialTypes: CredentialTypeRegistry = new CredentialTypeRegistry(),
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);
		const { authenticate } = credentialType;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (!workflow || !node) {
			throw new Error('Workflow and node are required for declarative credential authentication');
		}
		if (requestOptions.headers === undefined) requestOptions.headers = {};
		if (authenticate.type === 'generic') {
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as IDataObject)) {
					const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
					const valueResolved = this.resolveValue(value as string, { $credentials: credentials }, workflow, node);
					const target = requestOptions as unknown as Record<string, IDataObject>;
					if (!target[outerKey]) target[outerKey] = {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		// Dead in real n8n (the tester's node type is 'noOp', not 'n8n-nodes-base.noOp'); kept for fidelity.
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (!(credentials[expirableProperty.name] === '' || credentialsExpired || isTestingCredentials)) {
			return undefined;
		}
		this.store.preAuthenticationRuns++;
		const output = (await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirableProperty.name] === undefined) return undefined;

		if (node.credentials) {
			const nodeCredentials = node.credentials[credentialType.name];
			const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
			const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
			for (const [key, value] of Object.entries(output)) {
				if (key === expirableProperty.name || !isExpression(storedData[key])) dataToPersist[key] = value;
			}
			await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	async getCredentials(nodeCredential: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const entry = this.getEntry(nodeCredential, type);
		return new StoredCredentials({ id: entry.id, name: entry.name }, entry.type, this.store);
	}

	private getEntry(nodeCredential: INodeCredentialsDetails, type: string): StoredCredential {
		if (!nodeCredential?.id) {
			throw new UserError(`Credential "${nodeCredential?.name}" of type "${type}" has no id`);
		}
		const entry = this.store.get(nodeCredential.id);
		if (!entry || entry.type !== type) {
			throw new UserError(`Credential with ID "${nodeCredential.id}" does not exist for type "${type}".`);
		}
		return entry;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialTypeData = this.credentialTypes.getByName(type);
		if (credentialTypeData.extends === undefined) return credentialTypeData.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialTypeData.properties);
		return combined;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const entry = this.getEntry(nodeCredentials, type);
		const decryptedDataOriginal = clone(entry.data);
		if (raw === true) return decryptedDataOriginal;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			decryptedDataOriginal,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Defaults added and undeclared keys dropped (`getNodeParameters`), then expressions resolved. */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);
		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			decryptedDataOriginal as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		if (
			decryptedData.allowedHttpRequestDomains === undefined &&
			decryptedDataOriginal.allowedHttpRequestDomains !== undefined
		) {
			decryptedData.allowedHttpRequestDomains = decryptedDataOriginal.allowedHttpRequestDomains;
		}
		if (decryptedData.allowedDomains === undefined && decryptedDataOriginal.allowedDomains !== undefined) {
			decryptedData.allowedDomains = decryptedDataOriginal.allowedDomains;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
				decryptedData as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		} else {
			const workflow = new Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes: mockNodeTypes });
			await workflow.expression.acquireIsolate();
			try {
				decryptedData = workflow.expression.getComplexParameterValue(
					mockNode,
					decryptedData as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} finally {
				await workflow.expression.releaseIsolate();
			}
		}
		return decryptedData;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.setData(data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = await this.getCredentials(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Node types and additional data
// ---------------------------------------------------------------------------------------------------------------

export type AnyNodeType = INodeType | IVersionedNodeType;

export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	register(name: string, type: AnyNodeType): this {
		this.types.set(name, type);
		return this;
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function isVersioned(type: AnyNodeType): type is IVersionedNodeType {
	return 'nodeVersions' in type;
}

/** The description shared by every version (`baseDescription`) or the node's own description. */
export function nodeDescriptionOf(type: AnyNodeType): { name: string; displayName: string; defaultName?: string } {
	if (isVersioned(type)) {
		return {
			name: type.description.name,
			displayName: type.description.displayName,
			defaultName: type.nodeVersions[type.currentVersion]?.description.defaults?.name,
		};
	}
	return {
		name: type.description.name,
		displayName: type.description.displayName,
		defaultName: type.description.defaults?.name,
	};
}

function defaultVersionOf(type: AnyNodeType): number {
	if (isVersioned(type)) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? version[version.length - 1] : version;
}

const BASE_URL = 'http://localhost:5678';

/** `additionalData` with the fields n8n-core 2.41 needs; `overrides` are merged in. */
export function createAdditionalData(
	credentialsHelper: ICredentialsHelper,
	overrides: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	const notAvailable = async () => {
		throw new Error('Not available in the test harness');
	};
	return {
		credentialsHelper,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: BASE_URL,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		executeWorkflow: notAvailable,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: notAvailable,
		...overrides,
	} as IWorkflowExecuteAdditionalData;
}

/** Lazily loads the ERP.net node class from nodes/ErpNet/ErpNet.node.ts. */
export async function loadErpNetNode(): Promise<AnyNodeType> {
	const modulePath = '../../nodes/ErpNet/ErpNet.node';
	const mod = (await import(modulePath)) as Record<string, unknown>;
	const NodeClass = (mod.ErpNet ?? Object.values(mod).find((value) => typeof value === 'function')) as
		| (new () => AnyNodeType)
		| undefined;
	if (!NodeClass) throw new Error('nodes/ErpNet/ErpNet.node.ts exports no node class');
	return new NodeClass();
}

// ---------------------------------------------------------------------------------------------------------------
// runNode: one node through WorkflowExecute
// ---------------------------------------------------------------------------------------------------------------

export interface HarnessCredentialOptions {
	/** Credential data by credential type name, e.g. `{ erpNetApi: { instanceUrl, clientId, clientSecret } }`.
	 * Merged into `credentialStore` (a user edit: stored hidden fields such as the token are kept). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The credential "database"; pass the store of a previous run to reuse its persisted token. */
	credentialStore?: CredentialStore;
	/** Credential types known to the helper (default: the ERP.net credential). */
	credentialTypes?: ICredentialType[];
}

export interface RunNodeOptions extends HarnessCredentialOptions {
	/** Any node type instance; default: the ERP.net node (nodes/ErpNet/ErpNet.node.ts). */
	nodeType?: AnyNodeType;
	/** Registered type name; default `n8n-nodes-erpnet.<description.name>`. */
	nodeTypeName?: string;
	typeVersion?: number;
	nodeName?: string;
	parameters?: INodeParameters;
	/** Input items: plain JSON objects or full `INodeExecutionData`; default one empty item. */
	input?: Array<INodeExecutionData | Record<string, unknown>>;
	/** Sets the node's `onError: 'continueRegularOutput'` (what "Continue On Fail" stores). */
	continueOnFail?: boolean;
	/** Another `onError` setting, e.g. 'continueErrorOutput'. */
	onError?: INode['onError'];
	mode?: WorkflowExecuteMode;
	/** Extra fields for additionalData (e.g. `executionTimeoutTimestamp`). */
	additionalData?: Partial<IWorkflowExecuteAdditionalData>;
	/** The workflow's static data (`{ global: {...}, 'node:<name>': {...} }`), as n8n loads it from the database. */
	staticData?: IDataObject;
}

export interface RunNodeResult {
	run: IRun;
	/** The node's first output of its (only) run. */
	items: INodeExecutionData[];
	/** All outputs of the node's run. */
	outputs: INodeExecutionData[][];
	/**
	 * The execution error if the run failed, as n8n stores it: a plain copy of the NodeApiError /
	 * NodeOperationError (`message`, `description`, `httpCode`, `context`, ...; no `cause`, not `instanceof`).
	 */
	error: ExecutionError | undefined;
	/** The original error object the node threw (instanceof NodeApiError etc., with `cause`), if any. */
	thrownError: unknown;
	credentialStore: CredentialStore;
	nodeName: string;
	workflow: Workflow;
}

let executionCounter = 0;

function toExecutionData(item: INodeExecutionData | Record<string, unknown>): INodeExecutionData {
	const candidate = item as INodeExecutionData;
	if (candidate && typeof candidate === 'object' && 'json' in candidate && typeof candidate.json === 'object') {
		return candidate;
	}
	return { json: item as IDataObject };
}

function prepareCredentials(options: HarnessCredentialOptions) {
	const credentialStore = options.credentialStore ?? new CredentialStore();
	for (const [type, data] of Object.entries(options.credentials ?? {})) credentialStore.upsert(type, data);
	const registry = new CredentialTypeRegistry(options.credentialTypes ?? [new ErpNetApi()]);
	const credentialsHelper = new TestCredentialsHelper(credentialStore, registry);
	return { credentialStore, credentialsHelper, registry };
}

/** Runs one node through the real `WorkflowExecute` and returns its output, error and the credential store. */
export async function runNode(options: RunNodeOptions = {}): Promise<RunNodeResult> {
	const nodeType = options.nodeType ?? (await loadErpNetNode());
	const description = nodeDescriptionOf(nodeType);
	const nodeTypeName = options.nodeTypeName ?? `${PACKAGE_NAME}.${description.name}`;
	const nodeName = options.nodeName ?? description.defaultName ?? description.displayName;
	const mode = options.mode ?? 'manual';
	const { credentialStore, credentialsHelper } = prepareCredentials(options);

	const node: INode = {
		id: 'node-under-test',
		name: nodeName,
		type: nodeTypeName,
		typeVersion: options.typeVersion ?? defaultVersionOf(nodeType),
		position: [0, 0],
		parameters: clone(options.parameters ?? {}),
		credentials: credentialStore.nodeCredentials(),
	};
	if (options.onError) node.onError = options.onError;
	else if (options.continueOnFail) node.onError = 'continueRegularOutput';

	const nodeTypes = new TestNodeTypes().register(nodeTypeName, nodeType);
	const workflowId = 'erpnet-test-workflow';
	const workflow = new Workflow({
		id: workflowId,
		name: 'ERP.net test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
		staticData: options.staticData,
	});

	const executionId = `test-execution-${++executionCounter}`;
	const workflowData = {
		id: workflowId,
		name: 'ERP.net test',
		nodes: [node],
		connections: {},
		active: false,
		isArchived: false,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = createAdditionalData(credentialsHelper, {
		hooks,
		executionId,
		workflowId,
		...options.additionalData,
	} as Partial<IWorkflowExecuteAdditionalData>);

	const input = (options.input ?? [{}]).map(toExecutionData);
	const startNode = workflow.getNode(nodeName);
	if (!startNode) throw new Error(`Node "${nodeName}" missing from the test workflow`);
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [input] }, source: null }],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const thrownErrors = captureThrownErrors(workflowExecute);
	const run = await workflowExecute.processRunExecutionData(workflow);
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
	return {
		run,
		items: outputs[0] ?? [],
		outputs,
		error: run.data.resultData.error ?? taskData?.error,
		thrownError: thrownErrors[0],
		credentialStore,
		nodeName,
		workflow,
	};
}

/**
 * WorkflowExecute stores a node's error as a plain copy (`{ ...error, message, stack }`), which is what n8n
 * persists. To let tests use `instanceof` and inspect `cause`, keep the original error objects too by wrapping
 * the (internal) `reportNodeExecutionError` of this instance; if n8n renames it, nothing is captured.
 */
function captureThrownErrors(workflowExecute: WorkflowExecute): unknown[] {
	const thrown: unknown[] = [];
	const target = workflowExecute as unknown as {
		reportNodeExecutionError?: (error: unknown, ...rest: unknown[]) => unknown;
	};
	const original = target.reportNodeExecutionError;
	if (typeof original === 'function') {
		target.reportNodeExecutionError = (error: unknown, ...rest: unknown[]) => {
			thrown.push(error);
			return original.call(workflowExecute, error, ...rest);
		};
	}
	return thrown;
}

// ---------------------------------------------------------------------------------------------------------------
// Load options / list search / resource mapping (like the CLI's DynamicNodeParametersService)
// ---------------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------------
// Credential test (like the CLI's CredentialsTester for request-based tests)
// ---------------------------------------------------------------------------------------------------------------

export interface CredentialTestOptions extends HarnessCredentialOptions {
	credentialType?: string;
}

export interface CredentialTestOutcome extends INodeCredentialTestResult {
	/** The error thrown by the test request, if any (for leak checks). */
	error?: unknown;
	credentialStore: CredentialStore;
}

/**
 * Runs the credential's `test` request like "Test connection" in the UI: the CLI's `CredentialsTester` builds a
 * temporary `noOp` node whose single property routes the test request, and runs it with `RoutingNode`, passing
 * the stored (unredacted) credential data.
 */
export async function testCredential(options: CredentialTestOptions = {}): Promise<CredentialTestOutcome> {
	const credentialType = options.credentialType ?? 'erpNetApi';
	const { credentialStore, credentialsHelper, registry } = prepareCredentials(options);
	const type = registry.getByName(credentialType);
	if (!type.test) throw new Error(`Credential type "${credentialType}" has no test request`);
	const entry = credentialStore.find(credentialType);
	if (!entry) throw new Error(`No stored credential of type "${credentialType}"`);

	const baseAdditionalData = createAdditionalData(credentialsHelper);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: entry.id,
		name: entry.name,
		type: credentialType,
		data: await credentialsHelper.applyDefaultsAndOverwrites(
			baseAdditionalData,
			clone(entry.data),
			credentialType,
			'internal',
		),
	};

	const noOpDescription = {
		displayName: 'No Operation, do nothing',
		name: 'noOp',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: noOpDescription.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [credentialType]: { id: entry.id, name: entry.name } },
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...noOpDescription,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: type.test.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes = new TestNodeTypes().register(nodeTypeCopy.description.name, nodeTypeCopy);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		createAdditionalData(credentialsHelper),
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
			message: string;
		};
		if (error.cause?.response) {
			const statusCode = error.cause.response.status;
			for (const rule of type.test.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message, error: caught, credentialStore };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return {
					status: 'Error',
					message: error.cause.response.statusText || `Received HTTP status code: ${statusCode}`,
					error: caught,
					credentialStore,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code, error: caught, credentialStore };
		}
		return { status: 'Error', message: String(error.message), error: caught, credentialStore };
	}

	for (const rule of type.test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json as IDataObject | undefined;
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>((acc, key) => (acc as IDataObject | undefined)?.[key], responseData);
			if (value === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message, credentialStore };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!', credentialStore };
}

/** Everything a test may want to scan for leaked secrets: the error, its JSON and the run data. */
export function serializeForLeakCheck(...values: unknown[]): string {
	const seen = new WeakSet<object>();
	const parts: string[] = [];
	for (const value of values) {
		try {
			parts.push(
				JSON.stringify(value, (_key, inner: unknown) => {
					if (inner !== null && typeof inner === 'object') {
						if (seen.has(inner)) return '[circular]';
						seen.add(inner);
					}
					return inner;
				}) ?? '',
			);
		} catch {
			parts.push(String(value));
		}
		if (value instanceof Error) {
			const error = value as Error & { description?: unknown; messages?: unknown; cause?: unknown };
			parts.push(error.message, String(error.description ?? ''), String(error.stack ?? ''));
			parts.push(JSON.stringify(error.messages ?? []));
			if (error.cause instanceof Error) parts.push(serializeForLeakCheck(error.cause));
			else if (error.cause !== undefined) parts.push(serializeForLeakCheck(error.cause));
		}
	}
	return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Polling triggers: PollRunner (manual "Fetch Test Event" and active-workflow ticks)
// ---------------------------------------------------------------------------------------------------------------

export interface PollRunnerOptions extends HarnessCredentialOptions {
	/** A node type with `polling: true` in its description and a `poll(this: IPollFunctions)` method. */
	nodeType: AnyNodeType;
	nodeTypeName?: string;
	typeVersion?: number;
	nodeName?: string;
	parameters?: INodeParameters;
	/** The node's static data before the first poll (what an earlier activation left in the database). */
	staticData?: IDataObject;
}

export interface PollOptions {
	/**
	 * `'trigger'` (default): one tick of the active workflow, as n8n's `PollTriggerExecutor` runs it, with
	 * `getMode() === 'trigger'`; the node's static data is staged for the tick and persisted only when the tick
	 * succeeds (emitted items, or nothing new), never when `poll` throws.
	 * `'manual'`: the editor's "Fetch Test Event" through `WorkflowExecute` (`getMode() === 'manual'`); the node
	 * sees the persisted static data, but n8n does not save what a manual execution changes.
	 */
	mode?: 'trigger' | 'manual';
	/**
	 * For ticks: `getActivationMode()`. One activation (one `PollContext`, as n8n keeps it) serves every tick
	 * until a tick names another activation mode, the parameters change or `deactivate()` is called; the first
	 * activation is 'activate'.
	 */
	activation?: WorkflowActivateMode;
	/** Replaces the node's parameters from this poll on (like editing the node: a new activation). */
	parameters?: INodeParameters;
	/** For ticks: what `getPollBudgetMs()` returns (n8n's default: 5 minutes). */
	pollBudgetMs?: number;
}

export interface PollResult {
	/** What `poll` returned: `null` when it found nothing new. For manual runs, the node's output. */
	response: INodeExecutionData[][] | null;
	/** The first output of the response, or `[]`. */
	items: INodeExecutionData[];
	/** The error `poll` threw (the original object; for ticks it went to `__emitError`), if any. */
	error: unknown;
	/** The node's persisted static data after this poll (a copy). */
	staticData: IDataObject;
}

interface PollActivation {
	activation: WorkflowActivateMode;
	workflow: Workflow;
	node: INode;
	/** One `PollContext` per activation, as n8n keeps it: `poll` runs on this object at every tick. */
	context: PollContext;
	tick: { emitted: INodeExecutionData[][] | null; error: unknown; staged?: IDataObject; pollBudgetMs: number };
}

/**
 * Runs a polling trigger node through n8n-core, poll after poll, keeping its static data between polls the way
 * n8n stores it. One runner = one workflow with one trigger node; share its `credentialStore` to watch the token.
 *
 *   const runner = new PollRunner({ nodeType: new ErpNetTrigger(), parameters, credentials: erpNetCredentials(sandbox) });
 *   const first = await runner.poll();                   // tick: getMode() === 'trigger'
 *   expect(runner.staticData).toEqual({ lastTimeChecked: ... });
 *   const test = await runner.poll({ mode: 'manual' });  // "Fetch Test Event": static data not saved
 */
export class PollRunner {
	readonly credentialStore: CredentialStore;

	private readonly credentialsHelper: TestCredentialsHelper;

	private readonly nodeTypes: TestNodeTypes;

	private readonly node: INode;

	private persisted: IDataObject;

	private active: PollActivation | undefined;

	private activationCount = 0;

	constructor(private readonly options: PollRunnerOptions) {
		const description = nodeDescriptionOf(options.nodeType);
		const nodeTypeName = options.nodeTypeName ?? `${PACKAGE_NAME}.${description.name}`;
		const { credentialStore, credentialsHelper } = prepareCredentials(options);
		this.credentialStore = credentialStore;
		this.credentialsHelper = credentialsHelper;
		this.nodeTypes = new TestNodeTypes().register(nodeTypeName, options.nodeType);
		const typeVersion = options.typeVersion ?? defaultVersionOf(options.nodeType);
		const nodeType = this.nodeTypes.getByNameAndVersion(nodeTypeName, typeVersion);
		if (typeof nodeType.poll !== 'function' || nodeType.description.polling !== true) {
			throw new Error(`${nodeTypeName} is not a polling trigger (needs description.polling and poll())`);
		}
		this.node = {
			id: 'poll-node-under-test',
			name: options.nodeName ?? description.defaultName ?? description.displayName,
			type: nodeTypeName,
			typeVersion,
			position: [0, 0],
			parameters: clone(options.parameters ?? {}),
			credentials: credentialStore.nodeCredentials(),
		};
		this.persisted = clone(options.staticData ?? {});
	}

	/** The node's persisted static data (`getWorkflowStaticData('node')` as the next tick will see it). */
	get staticData(): IDataObject {
		return clone(this.persisted);
	}

	async poll(options: PollOptions = {}): Promise<PollResult> {
		if (options.parameters) {
			// editing a published workflow activates it again with the new parameters
			this.node.parameters = clone(options.parameters);
			this.active = undefined;
		}
		const credentials = this.credentialStore.nodeCredentials();
		if (JSON.stringify(credentials) !== JSON.stringify(this.node.credentials)) {
			this.node.credentials = credentials;
			this.active = undefined;
		}
		return options.mode === 'manual'
			? await this.manualPoll()
			: await this.tick(options.activation, options.pollBudgetMs);
	}

	private workflow(): Workflow {
		return new Workflow({
			id: 'erpnet-poll-workflow',
			name: 'ERP.net poll test',
			nodes: [clone(this.node)],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			settings: { executionOrder: 'v1' },
			staticData: { [`node:${this.node.name}`]: clone(this.persisted) },
		});
	}

	/**
	 * Publishing (or editing, or restarting n8n with) the workflow: n8n's `ActiveWorkflowTriggers` creates the
	 * poll functions once here and calls `poll` on that same object at every tick until the next activation.
	 */
	private activate(activation: WorkflowActivateMode): PollActivation {
		const workflow = this.workflow();
		const node = workflow.getNode(this.node.name) as INode;
		const additionalData = createAdditionalData(this.credentialsHelper, { workflowId: workflow.id });
		const tick: PollActivation['tick'] = { emitted: null, error: undefined, pollBudgetMs: 5 * 60_000 };
		const persist = () => {
			if (tick.staged) this.persisted = clone(tick.staged);
		};
		const context = new PollContext(
			workflow,
			node,
			additionalData,
			'trigger',
			activation,
			(data) => {
				tick.emitted = data;
				persist(); // the cursor travels with the execution the emitted items start
			},
			(emittedError) => {
				tick.error = emittedError;
			},
			async () => persist(),
			async (poll) => {
				tick.staged = clone(this.persisted);
				try {
					return await poll();
				} finally {
					tick.staged = undefined;
				}
			},
			() => {
				if (!tick.staged) throw new Error('The node read its static data outside of a poll');
				return tick.staged;
			},
			() => tick.pollBudgetMs,
		);
		return { activation, workflow, node, context, tick };
	}

	/** Ends the current activation: the next tick activates the workflow again (n8n restarted, or re-published). */
	deactivate(): void {
		this.active = undefined;
	}

	/** How many activations (poll contexts) the runner has made so far. */
	get activations(): number {
		return this.activationCount;
	}

	private async tick(activation: WorkflowActivateMode | undefined, pollBudgetMs = 5 * 60_000): Promise<PollResult> {
		if (!this.active || (activation !== undefined && activation !== this.active.activation)) {
			this.active = this.activate(activation ?? 'activate');
			this.activationCount++;
		}
		const { workflow, node, context, tick } = this.active;
		tick.emitted = null;
		tick.error = undefined;
		tick.pollBudgetMs = pollBudgetMs;
		const execute = (await n8nCoreContainer()).get(PollTriggerExecutor).create(workflow, node, context, () => true);
		await execute(false);
		return { response: tick.emitted, items: tick.emitted?.[0] ?? [], error: tick.error, staticData: this.staticData };
	}

	private async manualPoll(): Promise<PollResult> {
		const result = await runNode({
			nodeType: this.options.nodeType,
			nodeTypeName: this.node.type,
			typeVersion: this.node.typeVersion,
			nodeName: this.node.name,
			parameters: this.node.parameters,
			credentialStore: this.credentialStore,
			credentialTypes: this.options.credentialTypes,
			mode: 'manual',
			staticData: { [`node:${this.node.name}`]: clone(this.persisted) },
		});
		const response = result.outputs.length > 0 ? result.outputs : null;
		return {
			response: result.error ? null : response,
			items: result.items,
			error: result.error ? (result.thrownError ?? result.error) : undefined,
			staticData: this.staticData,
		};
	}
}
