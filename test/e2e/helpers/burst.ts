/**
 * A published webhook workflow (Webhook → ERP.net Get Many, Return All → respond with every item) and a burst of
 * concurrent calls to it: the load the session gate is for.
 */
import type { NodeJson, WorkflowJson } from './n8n';

export const BURST_PATH = 'erpnet-burst';
export const CUSTOMERS = 'Crm_Sales_Customers';

export function burstWorkflow(id: string, credential: { id: string; name: string }): WorkflowJson {
	return webhookWorkflow({
		id,
		name: 'Webhook burst: Get Many, Return All',
		path: BURST_PATH,
		webhookId: '5f0c7c0e-4b7a-4d53-9a53-0e2b8d1e5a01',
		credential,
		steps: [
			{
				name: 'ERP.net',
				parameters: {
					resource: 'entity',
					operation: 'getAll',
					entitySet: { __rl: true, mode: 'name', value: CUSTOMERS },
					returnAll: true,
					options: { select: 'Id,Number' },
				},
			},
		],
	});
}

/** One ERP.net node of a webhook workflow. */
export interface WebhookStep {
	name: string;
	parameters: Record<string, unknown>;
	onError?: string;
}

/** A GET webhook followed by a chain of ERP.net nodes on one credential, answering with the last node's items. */
export function webhookWorkflow(workflow: {
	id: string;
	name: string;
	path: string;
	webhookId: string;
	credential: { id: string; name: string };
	steps: WebhookStep[];
}): WorkflowJson {
	const { id, path, webhookId, credential, steps } = workflow;
	const webhook: NodeJson = {
		id: `${id}-webhook`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { httpMethod: 'GET', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
	const erpNet = steps.map(
		(step, index): NodeJson => ({
			id: index === 0 ? `${id}-erpnet` : `${id}-erpnet-${index + 1}`,
			...step,
			type: 'n8n-nodes-erpnet.erpNet',
			typeVersion: 1,
			position: [220 * (index + 1), 0],
			credentials: { erpNetApi: credential },
		}),
	);
	const nodes = [webhook, ...erpNet];
	const connections = Object.fromEntries(
		nodes.slice(1).map((node, index) => [nodes[index].name, { main: [[{ node: node.name, type: 'main', index: 0 }]] }]),
	);
	return { id, name: workflow.name, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

export interface BurstResult {
	statuses: number[];
	/** Records each call answered with (Id values), in call order. */
	records: string[][];
	failures: string[];
}

/** `calls` GETs to the production webhook at once. */
export async function burst(baseUrl: string, calls: number, timeoutMs = 180000): Promise<BurstResult> {
	const answers = await Promise.all(
		Array.from({ length: calls }, async () => {
			const response = await fetch(`${baseUrl}/webhook/${BURST_PATH}`, { signal: AbortSignal.timeout(timeoutMs) });
			const text = await response.text();
			let ids: string[] = [];
			try {
				const body = JSON.parse(text) as Array<{ Id?: string }> | { Id?: string };
				ids = (Array.isArray(body) ? body : [body]).map((record) => String(record.Id));
			} catch {
				// not JSON: reported below
			}
			return { status: response.status, ids, text };
		}),
	);
	return {
		statuses: answers.map((answer) => answer.status),
		records: answers.map((answer) => answer.ids),
		failures: answers
			.filter((answer) => answer.status !== 200)
			.map((answer) => `${answer.status}: ${answer.text.slice(0, 500)}`),
	};
}

/**
 * n8n answers /healthz before it has activated published workflows: wait until the webhook is registered, seen in
 * n8n's "Activated workflow" log line or in its answer to a POST (a registered GET-only webhook answers "Did you
 * mean to make a GET request?", an unregistered path "is not registered").
 */
export async function waitForActivation(
	output: () => string,
	workflowId: string,
	baseUrl?: string,
	webhookPath = BURST_PATH,
	timeoutMs = 300000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const activated = async () => {
		if (
			output()
				.split('\n')
				.some((line) => line.includes('Activated workflow') && line.includes(workflowId))
		)
			return true;
		if (!baseUrl) return false;
		const probe = await fetch(`${baseUrl}/webhook/${webhookPath}`, { method: 'POST' }).catch(() => undefined);
		return probe !== undefined && /GET request/i.test(await probe.text());
	};
	while (!(await activated())) {
		if (Date.now() > deadline)
			throw new Error(`workflow ${workflowId} was not activated within ${timeoutMs} ms:\n${output().slice(-4000)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}
