/**
 * ERP.net's event push in the sandbox (https://docs.erp.net/dev/domain-api/data-sync/event-push.html): webhook templates
 * and user business rules stored like any entity, GetRepositoryEvents, the firing of WEBHOOK actions after each committed
 * write of a client application, the push queue, and `sandbox.control.webhooks` (docs/ARCHITECTURE.md).
 */
import type { CommitObserver, RequestEnvironment } from '../odata/request';
import { referenceId, type MemoryStore, type StoreChange } from '../store/memory-store';
import { pushesOfCommit, type CommitOrigin } from './firing';
import {
	ERPNET_PUSH_SETTINGS,
	PushQueue,
	type PushFaultRule,
	type PushLogEntry,
	type PushQueueSettings,
	type ServerLogEntry,
} from './push-queue';
import { registrationCounts, type RegistrationCounts } from './registrations';

export type { RegistrationCounts } from './registrations';
export type {
	PushAttempt,
	PushFaultRule,
	PushLogEntry,
	PushOutcome,
	PushQueueSettings,
	ServerLogEntry,
} from './push-queue';

/** `$dbname` of the sandbox. */
const DATABASE_NAME = 'sandbox';

export interface WebhookSettings extends PushQueueSettings {
	/** Write GUIDs without a format specifier in braces in the URL (`/{Id}` → `/{9b68c23b-...}`), as the URL example of https://docs.erp.net/tech/advanced/concepts/webhooks.html shows; default false (plain, as everywhere else in the docs). */
	braceGuidsInUrl: boolean;
}

/** `sandbox.control.webhooks` (docs/ARCHITECTURE.md, "Sandbox webhooks"). */
export interface WebhookControl {
	/** Templates, rules, and active rules with a WEBHOOK action, as stored now. */
	counts(): RegistrationCounts;
	/** Changes the queue (ERP.net: pauseMs 1000, timeoutMs 10000, capacity 1000) and `braceGuidsInUrl`. */
	configure(settings: Partial<WebhookSettings>): void;
	settings(): WebhookSettings;
	/** Holds the queue: webhooks wait (up to the capacity) until `resume()`. */
	pause(): void;
	resume(): void;
	/** Loses pushes: the next `next` (default all from now on), each with probability `fraction` (default 1). */
	dropPushes(rule?: PushFaultRule): void;
	/** Sends pushes again after they were answered (`times` more, default 1), as a lost answer and a retry would. */
	repeatPushes(rule?: PushFaultRule & { times?: number }): void;
	clearFaults(): void;
	/** Every webhook queued so far, oldest first: what was sent where, its attempts and outcome (copies). */
	pushes(): PushLogEntry[];
	/** Webhooks waiting in the queue. */
	queued(): number;
	/** Resolves when the queue is empty and nothing is being sent (at once while paused). */
	idle(): Promise<void>;
	/** The warnings and errors ERP.net logs (first discard of a day, failed pushes, missing templates). */
	serverLog(): ServerLogEntry[];
	clearLog(): void;
	/**
	 * Runs `action` (direct `sandbox.store` writes) as a change made by the server, not by a client application:
	 * COMMIT, COMMITTED, state and VOIDING rules fire; CLIENT* and AGGREGATECLIENT* rules do not. Store writes outside
	 * it fire nothing.
	 */
	serverChange<T>(action: () => T): T;
}

export interface WebhookEngine {
	observer: CommitObserver;
	control: WebhookControl;
	close(): void;
}

/** What the webhook engine reads of the sandbox context (context.ts), at each commit. */
export interface WebhookHost {
	store: MemoryStore;
	options: { seed: number };
	/** `$rooturl`. */
	instanceUrl?: string;
}

export function createWebhookEngine(context: WebhookHost): WebhookEngine {
	const store = () => context.store;
	const queue = new PushQueue(ERPNET_PUSH_SETTINGS, context.options.seed, () => store().clock.now());
	let braceGuidsInUrl = false;
	let depth = 0;

	const fire = (changes: StoreChange[], origin: CommitOrigin) => {
		const server = {
			now: store().clock.now(),
			rootUrl: context.instanceUrl ?? '',
			databaseName: DATABASE_NAME,
			guidFormat: braceGuidsInUrl ? ('B' as const) : undefined,
		};
		const pushes = pushesOfCommit(store(), changes, origin, server, (problem) => queue.reportError(problem.message));
		for (const push of pushes) queue.enqueue(push);
	};

	const transaction = <T>(action: () => T, committed: (result: T) => boolean, origin: () => CommitOrigin): T => {
		if (depth > 0) return action();
		depth++;
		try {
			const { result, changes } = store().captureChanges(action);
			if (committed(result) && changes.length > 0) fire(changes, origin());
			return result;
		} finally {
			depth--;
		}
	};

	const clientOrigin = (environment: RequestEnvironment): CommitOrigin => ({
		client: true,
		language: environment.language,
		userId: systemUserOf(store(), environment.currentUser),
		enterpriseCompanyId: environment.currentEnterpriseCompanyId,
	});

	const control: WebhookControl = {
		counts: () => registrationCounts(store()),
		configure: (settings) => {
			const { braceGuidsInUrl: braces, ...queueSettings } = settings;
			if (braces !== undefined) braceGuidsInUrl = braces;
			queue.settings = { ...queue.settings, ...queueSettings };
		},
		settings: () => ({ ...queue.settings, braceGuidsInUrl }),
		pause: () => queue.pause(),
		resume: () => queue.resume(),
		dropPushes: (rule = {}) => queue.dropPushes(rule),
		repeatPushes: (rule = {}) => queue.repeatPushes(rule),
		clearFaults: () => queue.clearFaults(),
		pushes: () => structuredClone(queue.log),
		queued: () => queue.queued,
		idle: () => queue.idle(),
		serverLog: () => structuredClone(queue.serverLog),
		clearLog: () => queue.clearLog(),
		serverChange: (action) =>
			transaction(
				action,
				() => true,
				() => ({ client: false, language: 'EN' }),
			),
	};

	return {
		observer: {
			transaction: (action, committed, environment) => transaction(action, committed, () => clientOrigin(environment)),
		},
		control,
		close: () => queue.close(),
	};
}

/** `$user`: the SystemUser of the trusted application the token was issued to. */
function systemUserOf(store: MemoryStore, clientId: string | undefined): string | undefined {
	if (!clientId) return undefined;
	for (const application of store.scan('Systems_Security_TrustedApplications')) {
		if (application.ApplicationUri === clientId) return referenceId(application.SystemUser);
	}
	return undefined;
}
