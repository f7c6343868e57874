import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IRunExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { clone } from './clone';
import type { CredentialStore } from './credential-store';
import type { HarnessCredentialOptions } from './harness-credentials';
import { prepareCredentials } from './harness-credentials';
import type { AnyNodeType } from './node-types';
import { defaultVersionOf, loadErpNetNode, nodeDescriptionOf, PACKAGE_NAME, TestNodeTypes } from './node-types';

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
