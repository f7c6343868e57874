/**
 * The queue that executes WEBHOOK actions, as https://docs.erp.net/tech/advanced/user-business-rules/action-types/webhook.html
 * ("Key points and specific limitations") describes it: one FIFO queue per instance; a pause (1 s) after each webhook
 * before the next; at most 1,000 waiting (later ones are discarded; the first discard of a calendar day is logged as a
 * warning); a 10 s timeout for the response; any status outside 200-299 and timeouts are errors (at most 100 logged a
 * day); RetryLogic `Retry` repeats a failed webhook up to 3 times. Each webhook is an HTTP POST of the interpolated URL,
 * Headers (one `Name: value` per line) and Body.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { trackedSleep } from '../tracked-sleep';
import { createRandom, type Random } from '../seed/random';

export interface PushRequest {
	url: string;
	/** Header lines as written in the template (after interpolation), in order. */
	headers: Array<[string, string]>;
	body: string;
	/** RetryLogic `Retry`: up to 3 retries after a failure. */
	retry: boolean;
	webhookCode: string;
	ruleCode: string;
	eventType: string;
	repositoryName: string;
	/** Id of the object the event was raised for. */
	objectId: string;
}

export type PushOutcome = 'queued' | 'sending' | 'delivered' | 'failed' | 'discarded' | 'dropped';

export interface PushAttempt {
	startedAt: string;
	/** HTTP status of the answer, when one came. */
	status?: number;
	/** `timeout` or the network error's text, when no answer came. */
	error?: string;
	durationMs: number;
	/** `retry` after a failure (RetryLogic), `repeat` sent again by `repeatPushes`. */
	kind: 'first' | 'retry' | 'repeat';
}

export interface PushLogEntry extends PushRequest {
	/** 1, 2, 3, ... in the order the webhooks were queued. */
	sequence: number;
	enqueuedAt: string;
	outcome: PushOutcome;
	attempts: PushAttempt[];
}

export interface PushQueueSettings {
	/** Pause after each webhook (and between a failure and its retry); 1000 ms in ERP.net. */
	pauseMs: number;
	/** Time to wait for an answer; 10 000 ms in ERP.net. */
	timeoutMs: number;
	/** Webhooks that may wait in the queue; 1000 in ERP.net. */
	capacity: number;
}

export const ERPNET_PUSH_SETTINGS: PushQueueSettings = { pauseMs: 1000, timeoutMs: 10_000, capacity: 1000 };

/** Retries of RetryLogic `Retry` ("Retry up to 3 times", model page Systems.Config.WebHooks). */
const MAX_RETRIES = 3;
/** "There's a quota allowing logging up to 100 errors per calendar day." */
const ERRORS_PER_DAY = 100;

/** Which pushes a fault applies to: the next `next` pushes (default: all from now on), each with probability `fraction` (default 1). */
export interface PushFaultRule {
	next?: number;
	fraction?: number;
}

export interface ServerLogEntry {
	time: string;
	level: 'warning' | 'error';
	message: string;
}

interface ActiveFault {
	remaining: number;
	fraction: number;
	times: number;
}

export class PushQueue {
	readonly log: PushLogEntry[] = [];
	readonly serverLog: ServerLogEntry[] = [];
	settings: PushQueueSettings;
	private readonly waiting: PushLogEntry[] = [];
	private running = false;
	private paused = false;
	private closed = false;
	private drop?: ActiveFault;
	private repeat?: ActiveFault;
	private readonly random: Random;
	private readonly inFlight = new Set<ClientRequest>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private idleWaiters: Array<() => void> = [];
	private sequence = 0;
	private loggedDay = { discardWarning: '', errorsDay: '', errors: 0 };

	constructor(
		settings: PushQueueSettings,
		seed: number,
		private readonly now: () => number,
	) {
		this.settings = { ...settings };
		this.random = createRandom(seed, 'webhook-push-faults');
	}

	enqueue(request: PushRequest): PushLogEntry {
		const entry: PushLogEntry = {
			...request,
			sequence: ++this.sequence,
			enqueuedAt: this.isoNow(),
			outcome: 'queued',
			attempts: [],
		};
		this.log.push(entry);
		if (this.closed || this.waiting.length >= this.settings.capacity) {
			entry.outcome = 'discarded';
			this.logDiscard(entry);
			return entry;
		}
		this.waiting.push(entry);
		this.kick();
		return entry;
	}

	get queued(): number {
		return this.waiting.length;
	}

	pause(): void {
		this.paused = true;
	}

	resume(): void {
		this.paused = false;
		this.kick();
	}

	dropPushes(rule: PushFaultRule): void {
		this.drop = activeFault(rule, 1);
	}

	repeatPushes(rule: PushFaultRule & { times?: number }): void {
		this.repeat = activeFault(rule, rule.times ?? 1);
	}

	clearFaults(): void {
		this.drop = undefined;
		this.repeat = undefined;
	}

	/** Resolves once nothing waits and nothing is being sent (at once while paused with an empty queue). */
	idle(): Promise<void> {
		if (this.closed || (!this.running && (this.waiting.length === 0 || this.paused))) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	/** Stops the queue: waiting webhooks are discarded, requests in flight aborted. */
	close(): void {
		this.closed = true;
		for (const entry of this.waiting.splice(0)) entry.outcome = 'discarded';
		for (const request of this.inFlight) request.destroy(new Error('the sandbox closed'));
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const resolve of waiters) resolve();
	}

	private kick(): void {
		if (this.running || this.paused || this.closed || this.waiting.length === 0) return;
		this.running = true;
		void this.run();
	}

	private async run(): Promise<void> {
		try {
			while (!this.paused && !this.closed && this.waiting.length > 0) {
				const entry = this.waiting.shift() as PushLogEntry;
				await this.execute(entry);
				if (!this.closed) await this.sleep(this.settings.pauseMs);
			}
		} finally {
			this.running = false;
			this.notifyIdle();
		}
	}

	private async execute(entry: PushLogEntry): Promise<void> {
		if (this.applies(this.drop)) {
			entry.outcome = 'dropped';
			return;
		}
		entry.outcome = 'sending';
		const tries = 1 + (entry.retry ? MAX_RETRIES : 0);
		for (let attempt = 0; attempt < tries && !this.closed; attempt++) {
			if (attempt > 0) await this.sleep(this.settings.pauseMs);
			const result = await this.send(entry, attempt === 0 ? 'first' : 'retry');
			if (isSuccess(result)) {
				entry.outcome = 'delivered';
				break;
			}
			entry.outcome = 'failed';
			this.logError(entry, result);
		}
		const repeats = this.applies(this.repeat) ? (this.repeat?.times ?? 0) : 0;
		for (let repeat = 0; repeat < repeats && !this.closed; repeat++) {
			await this.sleep(this.settings.pauseMs);
			await this.send(entry, 'repeat');
		}
	}

	private applies(fault: ActiveFault | undefined): boolean {
		if (!fault || fault.remaining <= 0) return false;
		fault.remaining--;
		return fault.fraction >= 1 || this.random.next() < fault.fraction;
	}

	private send(entry: PushLogEntry, kind: PushAttempt['kind']): Promise<PushAttempt> {
		const started = Date.now();
		const attempt: PushAttempt = { startedAt: this.isoNow(), durationMs: 0, kind };
		entry.attempts.push(attempt);
		return new Promise((resolve) => {
			let settled = false;
			const pending: { timer?: NodeJS.Timeout } = {};
			const finish = (outcome: { status?: number; error?: string }) => {
				if (settled) return;
				settled = true;
				if (pending.timer) {
					clearTimeout(pending.timer);
					this.timers.delete(pending.timer);
				}
				Object.assign(attempt, outcome, { durationMs: Date.now() - started });
				resolve(attempt);
			};
			let request: ClientRequest;
			const body = Buffer.from(entry.body, 'utf8');
			try {
				const url = new URL(entry.url);
				const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
				request = send(url, {
					method: 'POST',
					headers: { ...headerObject(entry.headers), 'Content-Length': String(body.length) },
				});
			} catch (error) {
				finish({ error: (error as Error).message });
				return;
			}
			this.inFlight.add(request);
			pending.timer = setTimeout(() => {
				finish({ error: 'timeout' });
				request.destroy();
			}, this.settings.timeoutMs);
			this.timers.add(pending.timer);
			request.on('response', (response) => {
				response.resume();
				response.on('end', () => finish({ status: response.statusCode }));
				response.on('error', (error) => finish({ error: error.message }));
			});
			request.on('error', (error) => finish({ error: error.message }));
			request.on('close', () => {
				this.inFlight.delete(request);
				finish({ error: 'the connection closed without an answer' });
			});
			request.end(body);
		});
	}

	private sleep(ms: number): Promise<void> {
		return ms <= 0 ? Promise.resolve() : trackedSleep(this.timers, ms);
	}

	private notifyIdle(): void {
		if (this.running || (this.waiting.length > 0 && !this.paused && !this.closed)) return;
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const resolve of waiters) resolve();
	}

	private isoNow(): string {
		return new Date(this.now()).toISOString();
	}

	private logDiscard(entry: PushLogEntry): void {
		const day = this.isoNow().slice(0, 10);
		if (this.loggedDay.discardWarning === day) return;
		this.loggedDay.discardWarning = day;
		this.serverLog.push({
			time: this.isoNow(),
			level: 'warning',
			message: `The webhook queue is full (${this.settings.capacity}); webhook '${entry.webhookCode}' was discarded.`,
		});
	}

	private logError(entry: PushLogEntry, attempt: PushAttempt): void {
		const cause = attempt.status !== undefined ? `HTTP ${attempt.status}` : (attempt.error ?? 'no answer');
		this.reportError(`Webhook '${entry.webhookCode}' to ${entry.url} failed: ${cause}.`);
	}

	/** An error in the server log, within the quota of 100 a calendar day. */
	reportError(message: string): void {
		const day = this.isoNow().slice(0, 10);
		if (this.loggedDay.errorsDay !== day) this.loggedDay = { ...this.loggedDay, errorsDay: day, errors: 0 };
		if (this.loggedDay.errors >= ERRORS_PER_DAY) return;
		this.loggedDay.errors++;
		this.serverLog.push({ time: this.isoNow(), level: 'error', message });
	}

	clearLog(): void {
		this.log.length = 0;
		this.serverLog.length = 0;
	}
}

/** Header lines → request headers; a name given twice is sent twice. */
function headerObject(lines: Array<[string, string]>): Record<string, string | string[]> {
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of lines) {
		const existing = headers[name];
		headers[name] = existing === undefined ? value : ([] as string[]).concat(existing, value);
	}
	return headers;
}

function activeFault(rule: PushFaultRule, times: number): ActiveFault {
	return { remaining: rule.next ?? Infinity, fraction: rule.fraction ?? 1, times };
}

function isSuccess(attempt: PushAttempt): boolean {
	return attempt.status !== undefined && attempt.status >= 200 && attempt.status <= 299;
}
