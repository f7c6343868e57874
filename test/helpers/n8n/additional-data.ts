import type { ICredentialsHelper, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

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
