/**
 * The ERP.net node as a tool of n8n's AI Agent (@n8n/n8n-nodes-langchain, shipped with n8n), in a real n8n run by
 * `n8n execute`: Manual Trigger → AI Agent (version 3, the default in n8n 1.123 and 2.x), with the OpenAI Chat Model node (its credential's Base URL pointed at
 * a scripted OpenAI-compatible model on 127.0.0.1) and three ERP.net tools whose parameters come from
 * `$fromAI()`. The scripted model asks for "find customer C000001 and set its credit limit to 25000 BGN, then
 * delete customer C000002": it calls the find tool, reads the Id from the tool's answer, calls the update tool,
 * tries the delete tool (which refuses: "Allow the AI Agent to Delete" is off), then answers with what happened.
 * (Agent version 3 hands a tool's error message to the model; version 2's LangChain executor hands it an empty
 * string.)
 * Asserted: the tools n8n offered the model (names, descriptions, $fromAI schemas), the arguments n8n passed to
 * the node (the OData requests in the sandbox's log), the sandbox's data and the agent's output.
 */
import * as fs from 'node:fs';

import { N8nInstance, type NodeJson, type WorkflowJson } from './helpers/n8n';
import {
	type ChatRequest,
	type ModelServer,
	type ScriptedTurn,
	startModelServer,
	toolResults,
} from './helpers/model-server';
import { domainRequests, startE2eSandbox, type Sandbox, sandboxCredential } from './helpers/sandbox';

const ERP_CRED = { erpNetApi: { id: 'e2eAgentErpCred', name: 'ERP.net sandbox' } };
const OPENAI_CRED = { id: 'e2eAgentOpenAi', name: 'Scripted model' };
const WF_ID = 'e2eAgentCredit01';
const CUSTOMERS = 'Crm_Sales_Customers';
const PROMPT = 'Find customer C000001 and set its credit limit to 25000 BGN. Then delete customer C000002.';
const FIND = 'Find_customers';
const UPDATE = 'Update_customer';
const DELETE = 'Delete_customer';

const entitySet = { __rl: true, mode: 'name', value: CUSTOMERS };

function tool(name: string, parameters: Record<string, unknown>, x: number): NodeJson {
	return {
		id: `${WF_ID}-${name.replace(/\W/g, '')}`,
		name,
		type: 'n8n-nodes-erpnet.erpNetTool',
		typeVersion: 1,
		position: [x, 300],
		parameters: { resource: 'entity', entitySet, ...parameters },
		credentials: ERP_CRED,
	};
}

function agentWorkflow(): WorkflowJson {
	const nodes: NodeJson[] = [
		{
			id: `${WF_ID}-start`,
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: `${WF_ID}-agent`,
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3,
			position: [220, 0],
			parameters: {
				promptType: 'define',
				text: PROMPT,
				options: { systemMessage: 'You manage customers in ERP.net with the tools you have.' },
			},
		},
		{
			id: `${WF_ID}-model`,
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.2,
			position: [100, 300],
			parameters: { model: { __rl: true, mode: 'id', value: 'scripted-model' }, options: {} },
			credentials: { openAiApi: OPENAI_CRED },
		},
		tool(
			'Find customers',
			{
				operation: 'getAll',
				returnAll: false,
				limit: 5,
				options: {
					filter:
						"={{ $fromAI('filter', 'OData $filter on customer fields, e.g. Number eq \\'C000001\\' (text in single quotes; eq, ge, le, and, contains(); no or)', 'string') }}",
					select: 'Id,Number,CreditLimit',
				},
			},
			300,
		),
		tool(
			'Update customer',
			{
				operation: 'update',
				recordId: {
					__rl: true,
					mode: 'id',
					value: "={{ $fromAI('customerId', 'The Id (a GUID) of the customer', 'string') }}",
				},
				fieldsInput: 'json',
				jsonBody:
					"={{ JSON.stringify({ CreditLimit: { Value: $fromAI('creditLimit', 'The new credit limit amount', 'number'), Currency: $fromAI('currency', 'The currency code of the credit limit, e.g. BGN', 'string') } }) }}",
				options: {},
			},
			500,
		),
		tool(
			'Delete customer',
			{
				operation: 'delete',
				recordId: {
					__rl: true,
					mode: 'id',
					value: "={{ $fromAI('customerId', 'The Id (a GUID) of the customer', 'string') }}",
				},
				options: {},
			},
			700,
		),
	];
	const toAgent = (type: string) => ({ [type]: [[{ node: 'AI Agent', type, index: 0 }]] });
	return {
		id: WF_ID,
		name: 'AI Agent with ERP.net tools',
		nodes,
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': toAgent('ai_languageModel'),
			'Find customers': toAgent('ai_tool'),
			'Update customer': toAgent('ai_tool'),
			'Delete customer': toAgent('ai_tool'),
		},
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

/** The tool's answer as n8n passes it to the model: the node's output items as JSON text. */
function parseToolJson(text: string): Array<Record<string, unknown>> {
	const parsed = JSON.parse(text) as unknown;
	return (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
}

/**
 * The model: find C000001 → update it from the Id the tool returned → try to delete C000002 (by an Id the test
 * hands it) → summarise. Each step is chosen from the tool results already in the conversation.
 */
function creditLimitScript(secondCustomerId: string) {
	return (request: ChatRequest): ScriptedTurn => {
		const results = toolResults(request);
		const offered = (request.tools ?? []).map((t) => t.function.name);
		for (const name of [FIND, UPDATE, DELETE]) {
			if (!offered.includes(name)) throw new Error(`tool ${name} not offered; offered: ${offered.join(', ')}`);
		}
		const found = results.find((r) => r.name === FIND);
		if (!found) return { toolCalls: [{ name: FIND, arguments: { filter: "Number eq 'C000001'" } }] };
		const updated = results.find((r) => r.name === UPDATE);
		if (!updated) {
			const [customer] = parseToolJson(found.text);
			if (!customer?.Id) throw new Error(`the find tool returned no customer: ${found.text}`);
			return {
				toolCalls: [{ name: UPDATE, arguments: { customerId: customer.Id, creditLimit: 25000, currency: 'BGN' } }],
			};
		}
		const deleted = results.find((r) => r.name === DELETE);
		if (!deleted) return { toolCalls: [{ name: DELETE, arguments: { customerId: secondCustomerId } }] };
		const [record] = parseToolJson(updated.text);
		const limit = record.CreditLimit as { Value: number; Currency: string };
		return {
			text: `Customer ${String(record.Number)} now has a credit limit of ${limit.Value} ${limit.Currency}. Delete result: ${deleted.text}`,
		};
	};
}

describe('AI Agent with the ERP.net tool in a real n8n (scripted OpenAI-compatible model)', () => {
	let sandbox: Sandbox;
	let model: ModelServer;
	let n8n: N8nInstance;
	let first: Record<string, unknown>;
	let second: Record<string, unknown>;

	beforeAll(async () => {
		sandbox = await startE2eSandbox({ sizes: { customers: 30 } });
		const byNumber = (number: string) => sandbox.store.list(CUSTOMERS).find((c) => c.Number === number)!;
		[first, second] = [byNumber('C000001'), byNumber('C000002')];
		expect(first).toBeDefined();
		expect(second).toBeDefined();
		model = await startModelServer(creditLimitScript(String(second.Id)));
		n8n = N8nInstance.create('agent');
		await n8n.importCredentials([
			{ ...sandboxCredential(sandbox, ERP_CRED.erpNetApi.id, ERP_CRED.erpNetApi.name) },
			{ ...OPENAI_CRED, type: 'openAiApi', data: { apiKey: 'sk-e2e-not-a-real-key', url: model.baseUrl } },
		]);
		await n8n.importWorkflows([agentWorkflow()]);
	});

	afterAll(async () => {
		// E2E_AGENT_DUMP=<file>: the model's requests, to see what n8n sent it
		if (process.env.E2E_AGENT_DUMP)
			fs.writeFileSync(process.env.E2E_AGENT_DUMP, JSON.stringify(model?.requests, null, 1));
		await model?.close();
		await sandbox?.close();
		n8n?.remove();
	});

	test('the agent finds the customer, sets its credit limit, and cannot delete', async () => {
		const before = domainRequests(sandbox).length;
		const result = await n8n.execute(WF_ID);
		const context = `${result.error?.message ?? ''}\n${result.cli.stdout.slice(-3000)}\n${result.cli.stderr.slice(-3000)}`;
		expect(model.scriptErrors).toEqual([]);
		expect({ ok: result.ok, context }).toMatchObject({ ok: true });

		// the model saw the three tools, with the $fromAI parameters as their JSON schema
		const [firstRequest] = model.chatRequests();
		expect(firstRequest.messages.some((m) => m.role === 'user' && String(m.content).includes(PROMPT))).toBe(true);
		const tools = Object.fromEntries((firstRequest.tools ?? []).map((t) => [t.function.name, t.function]));
		expect(Object.keys(tools).sort()).toEqual([DELETE, FIND, UPDATE]);
		expect(tools[FIND].description).toBe('Get many records in ERP.net');
		expect(tools[UPDATE].description).toBe('Update a record in ERP.net');
		expect(tools[DELETE].description).toBe('Delete a record in ERP.net');
		const findSchema = tools[FIND].parameters as { properties: Record<string, { type: string; description?: string }> };
		expect(findSchema.properties.filter.type).toBe('string');
		expect(findSchema.properties.filter.description).toContain("Number eq 'C000001'");
		const updateSchema = tools[UPDATE].parameters as { properties: Record<string, { type: string }> };
		expect(Object.keys(updateSchema.properties).sort()).toEqual(['creditLimit', 'currency', 'customerId']);
		expect(updateSchema.properties.creditLimit.type).toBe('number');

		// n8n ran the node with the model's arguments: one filtered read, one PATCH, no DELETE
		const odata = domainRequests(sandbox, before).filter((r) => r.path.includes(CUSTOMERS));
		const reads = odata.filter((r) => r.method === 'GET');
		expect(new URLSearchParams(reads[0].query.replace(/^\?/, '')).get('$filter')).toBe("Number eq 'C000001'");
		const patches = odata.filter((r) => r.method === 'PATCH');
		expect(patches).toHaveLength(1);
		expect(patches[0].path).toContain(String(first.Id));
		expect(odata.filter((r) => r.method === 'DELETE')).toHaveLength(0);

		// the sandbox's data
		expect(sandbox.store.get(CUSTOMERS, String(first.Id))?.CreditLimit).toEqual({ Value: 25000, Currency: 'BGN' });
		expect(sandbox.store.get(CUSTOMERS, String(second.Id))).toBeDefined();

		// the delete tool's refusal reached the model, and the agent's answer reports both
		const last = model.chatRequests().at(-1)!;
		const deleteResult = toolResults(last).find((r) => r.name === DELETE);
		expect(deleteResult?.text).toContain('not allowed to delete');
		const output = String(result.items('AI Agent')[0].output);
		expect(output).toContain('Customer C000001 now has a credit limit of 25000 BGN.');
		expect(output).toContain('not allowed to delete');
		expect(model.requests.filter((r) => r.path !== '/v1/chat/completions')).toEqual([]);
	});
});
