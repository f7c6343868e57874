import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	IRunExecutionData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { clone } from './clone';
import type { CredentialStore } from './credential-store';
import type { HarnessCredentialOptions } from './harness-credentials';
import { prepareCredentials } from './harness-credentials';
import { TestNodeTypes } from './node-types';

// Credential test (like the CLI's CredentialsTester for request-based tests)

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
