/**
 * Runs a webhook trigger node (webhookMethods + webhook(), and trigger() for its schedule) through n8n-core's own
 * contexts (`HookContext`, `WebhookContext`, `TriggerContext`) the way the n8n CLI drives them (2.41):
 * - `activate()`: `checkExists`, then `create` when it answers false (`createWebhookIfNotExists`); static data
 *   saved afterwards; then `trigger()` with `registerCron` captured (`tick()` runs the registered job);
 * - `push()`: one call of the production (or test) URL: a new `Workflow` loaded with the persisted static data,
 *   `webhook()`, static data saved after it, and an execution recorded when it returns workflow data;
 * - `emit` of `trigger()` records an execution and saves the trigger's (activation-time) workflow's static data,
 *   as n8n's ActiveWorkflowManager does;
 * - `listen()` serves the URLs on 127.0.0.1 so that the sandbox can push to them.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';

import { HookContext, TriggerContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ErpNetApi } from '../../credentials/ErpNetApi.credentials';
import type { HarnessCredentialOptions } from './n8n';
import {
	CredentialStore,
	CredentialTypeRegistry,
	createAdditionalData,
	PACKAGE_NAME,
	TestCredentialsHelper,
	TestNodeTypes,
} from './n8n';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value ?? {})) as T;

export interface WebhookRunnerOptions extends HarnessCredentialOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	workflowId?: string;
	workflowName?: string;
	/** The node's static data as an earlier run left it in the database. */
	staticData?: IDataObject;
	/** The node's id (and webhook id): keep it to play the same workflow after a restart. */
	nodeId?: string;
	webhookId?: string;
}

export interface PushAnswer {
	status: number;
	body: unknown;
	items: INodeExecutionData[] | undefined;
	error?: unknown;
}

export interface Execution {
	source: 'webhook' | 'trigger';
	items: INodeExecutionData[];
}

interface CapturedCron {
	expression: string;
	onTick: (date: Date) => unknown;
}

/** What `res` of express offers to webhook(): status, json, send, end, setHeader. */
class RecordedResponse {
	statusCode = 200;
	body: unknown;
	sent = false;
	headers: Record<string, string> = {};

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	json(body: unknown): this {
		this.body = body;
		this.sent = true;
		return this;
	}

	send(body: unknown): this {
		return this.json(body);
	}

	end(): this {
		this.sent = true;
		return this;
	}

	setHeader(name: string, value: string): this {
		this.headers[name.toLowerCase()] = value;
		return this;
	}
}

export class WebhookRunner {
	readonly credentialStore: CredentialStore;

	readonly executions: Execution[] = [];

	readonly crons: CapturedCron[] = [];

	/** Errors of trigger() jobs (`emitError` / `saveFailedExecution`). */
	readonly triggerErrors: unknown[] = [];

	readonly nodeId: string;

	readonly webhookId: string;

	private persisted: IDataObject;

	private readonly credentialsHelper: TestCredentialsHelper;

	private readonly nodeTypes: TestNodeTypes;

	private readonly node: INode;

	private server?: Server;

	private baseUrl = 'http://localhost:5678';

	constructor(private readonly options: WebhookRunnerOptions) {
		this.credentialStore = options.credentialStore ?? new CredentialStore();
		for (const [type, data] of Object.entries(options.credentials ?? {})) this.credentialStore.upsert(type, data);
		this.credentialsHelper = new TestCredentialsHelper(
			this.credentialStore,
			new CredentialTypeRegistry(options.credentialTypes ?? [new ErpNetApi()]),
		);
		const typeName = `${PACKAGE_NAME}.${options.nodeType.description.name}`;
		this.nodeTypes = new TestNodeTypes().register(typeName, options.nodeType);
		this.nodeId = options.nodeId ?? randomUUID();
		this.webhookId = options.webhookId ?? randomUUID();
		this.node = {
			id: this.nodeId,
			name: String(options.nodeType.description.defaults.name),
			type: typeName,
			typeVersion: 1,
			position: [0, 0],
			parameters: clone(options.parameters),
			credentials: this.credentialStore.nodeCredentials(),
			webhookId: this.webhookId,
		};
		this.persisted = clone(options.staticData ?? {});
	}

	get staticData(): IDataObject {
		return clone(this.persisted);
	}

	get workflowId(): string {
		return this.options.workflowId ?? 'instant-wf-1';
	}

	/** Production URL of the node, as n8n builds it. */
	get productionUrl(): string {
		return `${this.baseUrl}/webhook/${this.webhookId}/webhook`;
	}

	get testUrl(): string {
		return `${this.baseUrl}/webhook-test/${this.webhookId}/webhook`;
	}

	setParameters(parameters: INodeParameters): void {
		this.node.parameters = clone(parameters);
	}

	/** Serves the production and test URLs on 127.0.0.1 (for pushes from the sandbox). */
	async listen(): Promise<void> {
		this.server = createServer((request, response) => {
			void this.serve(request).then(
				(answer) => {
					response.writeHead(answer.status, { 'content-type': 'application/json' });
					response.end(JSON.stringify(answer.body ?? {}));
				},
				() => {
					response.writeHead(500);
					response.end();
				},
			);
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		const address = this.server.address();
		if (address && typeof address === 'object') this.baseUrl = `http://127.0.0.1:${address.port}`;
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private async serve(request: IncomingMessage): Promise<PushAnswer> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// n8n hands an unparsed body over as it came
		}
		const test = (request.url ?? '').startsWith('/webhook-test/');
		return await this.push({
			headers: request.headers as Record<string, string>,
			body,
			mode: test ? 'manual' : 'webhook',
		});
	}

	private additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		return createAdditionalData(this.credentialsHelper, {
			workflowId: this.workflowId,
			webhookBaseUrl: `${this.baseUrl}/webhook`,
			webhookTestBaseUrl: `${this.baseUrl}/webhook-test`,
			...extra,
		});
	}

	private workflow(): Workflow {
		this.node.credentials = this.credentialStore.nodeCredentials();
		return new Workflow({
			id: this.workflowId,
			name: this.options.workflowName ?? 'Instant trigger test',
			nodes: [clone(this.node)],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			settings: { executionOrder: 'v1' },
			staticData: { [`node:${this.node.name}`]: clone(this.persisted) },
		});
	}

	/** n8n's `saveStaticData`: written only when the node changed it. */
	private save(workflow: Workflow): void {
		const data = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (data.__dataChanged !== true) return;
		this.persisted = clone(data[`node:${this.node.name}`] as IDataObject);
		data.__dataChanged = false;
	}

	private webhookData(workflow: Workflow, node: INode, test: boolean): IWebhookData {
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const description = nodeType.description.webhooks?.[0];
		if (!description) throw new Error('The node declares no webhook');
		return {
			httpMethod: 'POST',
			node: node.name,
			path: `${this.webhookId}/webhook`,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: this.additionalData(),
			webhookId: this.webhookId,
			isTest: test,
		};
	}

	private async hook(
		method: 'checkExists' | 'create' | 'delete',
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
		workflow: Workflow,
	) {
		const node = workflow.getNode(this.node.name) as INode;
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const test = mode === 'manual';
		const context = new HookContext(
			workflow,
			node,
			this.additionalData(),
			mode,
			activation,
			this.webhookData(workflow, node, test),
		);
		const fn = nodeType.webhookMethods?.default?.[method];
		if (!fn) throw new Error(`No webhook method ${method}`);
		return await fn.call(context);
	}

	/**
	 * Publishing (mode 'trigger') or "Listen for test event" (mode 'manual'): checkExists, create when it says
	 * false, static data saved; for 'trigger' also trigger() with its cron captured.
	 */
	async activate(
		options: { mode?: 'trigger' | 'manual'; activation?: WorkflowActivateMode } = {},
	): Promise<{ created: boolean }> {
		const mode = options.mode === 'manual' ? 'manual' : 'trigger';
		const activation = options.activation ?? (mode === 'manual' ? 'manual' : 'activate');
		const workflow = this.workflow();
		const exists = await this.hook('checkExists', mode, activation, workflow);
		if (!exists) await this.hook('create', mode, activation, workflow);
		if (mode === 'manual') return { created: !exists };
		this.save(workflow);
		await this.startTrigger(activation);
		return { created: !exists };
	}

	private async startTrigger(activation: WorkflowActivateMode): Promise<void> {
		const workflow = this.workflow();
		const node = workflow.getNode(this.node.name) as INode;
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (!nodeType.trigger) return;
		const context = new TriggerContext(
			workflow,
			node,
			this.additionalData(),
			'trigger',
			activation,
			(data) => {
				this.save(workflow);
				this.executions.push({ source: 'trigger', items: data[0] ?? [] });
			},
			(error) => this.triggerErrors.push(error),
			(error) => this.triggerErrors.push(error),
			{ registerCron: (cron, onTick) => this.crons.push({ expression: cron.expression, onTick }) },
		);
		await nodeType.trigger.call(context);
	}

	/** Runs every registered cron job once, as the scheduler would at its next tick, and waits for it. */
	async tick(): Promise<void> {
		for (const cron of this.crons) await cron.onTick(new Date());
	}

	/** Unpublishing (or the end of "Listen for test event"): the webhook's delete; the crons are dropped. */
	async deactivate(options: { mode?: 'trigger' | 'manual' } = {}): Promise<void> {
		const mode = options.mode === 'manual' ? 'manual' : 'trigger';
		const workflow = this.workflow();
		await this.hook('delete', mode, mode === 'manual' ? 'manual' : 'activate', workflow);
		if (mode !== 'manual') {
			this.save(workflow);
			this.crons.length = 0;
		}
	}

	/** One HTTP call of the node's URL ('webhook': production; 'manual': the test URL). */
	async push(request: {
		headers?: Record<string, string>;
		body?: unknown;
		mode?: 'webhook' | 'manual';
	}): Promise<PushAnswer> {
		const mode = request.mode ?? 'webhook';
		const workflow = this.workflow();
		const node = workflow.getNode(this.node.name) as INode;
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const response = new RecordedResponse();
		const headers = Object.fromEntries(
			Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
		);
		const additionalData = this.additionalData({
			httpRequest: { headers, body: request.body, params: {}, query: {} } as never,
			httpResponse: response as never,
		});
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			mode,
			this.webhookData(workflow, node, mode === 'manual'),
			[],
			null,
		);
		let error: unknown;
		let items: INodeExecutionData[] | undefined;
		try {
			const result = await nodeType.webhook?.call(context);
			items = result?.workflowData?.[0];
		} catch (thrown) {
			error = thrown;
		}
		this.save(workflow);
		if (items && items.length > 0 && mode === 'webhook') this.executions.push({ source: 'webhook', items });
		return { status: error && !response.sent ? 500 : response.statusCode, body: response.body, items, error };
	}

	/** Every emitted record Id, in emission order. */
	emittedIds(): string[] {
		return this.executions.flatMap((execution) =>
			execution.items.map((item) => String((item.json.erpnet as IDataObject)?.id)),
		);
	}

	/** The trigger's manual run after a test push ("Listen for test event"): what the node outputs. */
	async manualOutput(): Promise<INodeExecutionData[][]> {
		const workflow = this.workflow();
		const node = workflow.getNode(this.node.name) as INode;
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		let emitted: INodeExecutionData[][] = [];
		const context = new TriggerContext(workflow, node, this.additionalData(), 'manual', 'manual', (data) => {
			emitted = data;
		});
		const response = await nodeType.trigger?.call(context);
		await response?.manualTriggerFunction?.();
		return emitted;
	}
}
