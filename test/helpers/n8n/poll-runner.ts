import { PollContext, PollTriggerExecutor } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, INodeParameters, WorkflowActivateMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { clone } from './clone';
import type { CredentialStore } from './credential-store';
import type { TestCredentialsHelper } from './credentials-helper';
import type { HarnessCredentialOptions } from './harness-credentials';
import { prepareCredentials } from './harness-credentials';
import type { AnyNodeType } from './node-types';
import { defaultVersionOf, nodeDescriptionOf, PACKAGE_NAME, TestNodeTypes } from './node-types';
import { runNode } from './run-node';

/** n8n-core's own dependency container (its nested @n8n/di, not the top-level copy another package pulled in). */
async function n8nCoreContainer(): Promise<{ get<T>(type: new (...args: never[]) => T): T }> {
	const diPath = require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] });
	return ((await import(diPath)) as { Container: Awaited<ReturnType<typeof n8nCoreContainer>> }).Container;
}

// Polling triggers: PollRunner (manual "Fetch Test Event" and active-workflow ticks)

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
