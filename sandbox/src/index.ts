import type express from 'express';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate as generateCertificate } from 'selfsigned';

import { createApiSiteApp, createApp } from './app';
import {
	createContext,
	emptyCounters,
	resolveOptions,
	type LicenseOptions,
	type ActiveFault,
	type AggregateTimeFilter,
	type ClockSettings,
	type Fault,
	type RateLimitOptions,
	type RequestListener,
	type RequestLogEntry,
	type ResolvedSandboxOptions,
	type SandboxContext,
	type SandboxOptions,
	type SandboxStore,
	type SiteType,
} from './context';
import { generateSigningKey, revokeAllTokens } from './identity';
import {
	issueReferenceToken,
	revokeAllReferenceTokens,
	revokeReferenceToken,
	type IssuedReferenceToken,
	type IssueReferenceTokenOptions,
} from './identity/reference-tokens';
import { openSessionCount } from './identity/sessions';
import { domainModel } from './schema';
import { DEFAULT_CLIENT_ID, generateSeed, SEEDED_TRUSTED_APPLICATIONS } from './seed';
import { createSandboxClock } from './store/clock';
import { createMemoryStore } from './store/memory-store';
import { exposeStoredAttributes } from './odata/model';
import type { StoredNotification } from './odata/operations';
import type { ChangesetFailureAnswer, DeniedAccessBySet } from './odata/request';
import { createWebhookEngine, type WebhookControl, type WebhookEngine } from './webhooks';

export type {
	AggregateTimeFilter,
	ClockSettings,
	DomainApiSite,
	Fault,
	RequestLogEntry,
	SandboxContext,
	SandboxOptions,
	SandboxStore,
	SiteType,
} from './context';
export type { IssuedReferenceToken, IssueReferenceTokenOptions, ReferenceTokenKind } from './identity/reference-tokens';
export type { StoredNotification } from './odata/operations';
export type { LicenseOptions } from './context';
export type { DeniedAccess, DeniedAccessBySet } from './odata/request';
export type {
	PushAttempt,
	PushFaultRule,
	PushLogEntry,
	PushOutcome,
	RegistrationCounts,
	ServerLogEntry,
	WebhookControl,
	WebhookSettings,
} from './webhooks';

/** A copy of the sandbox's counters (`sandbox.counters()`). */
export interface CountersSnapshot {
	tokenRequests: number;
	tokensIssued: number;
	sessionsOpened: number;
	/** Sessions holding a licence slot now. */
	openSessions: number;
	licenseRefusals: number;
	tooManyRequests: number;
	/** The most requests one session had in flight at once (0 before any request). */
	maxInFlightPerSession: number;
	/** Requests in flight now, all sessions together. */
	inFlight: number;
	sessions: Array<{
		sessionId: string;
		jti: string;
		clientId: string;
		requests: number;
		inFlight: number;
		maxInFlight: number;
	}>;
}

export interface SandboxControl {
	/** Every token issued so far (access and reference tokens) answers 401 from now on. */
	revokeAllTokens(): void;
	/**
	 * Issues a reference token (`enrt_…`), as an administrator would in the Instance Manager (SAT) or a user
	 * in the Profile site (PAT) (https://docs.erp.net/dev/auth/tokens/issuing-reference-tokens.html). The value is shown only here.
	 */
	issueReferenceToken(options?: IssueReferenceTokenOptions): IssuedReferenceToken;
	/** Revokes one reference token (by value or id) at once; false when unknown. */
	revokeReferenceToken(tokenOrId: string): boolean;
	/** `/sys/auto-discovery` on (default) or off (404). */
	setAutoDiscovery(enabled: boolean): void;
	/** The `Status` auto-discovery reports for a site ('Working' by default). */
	setSiteStatus(site: SiteType, status: string): void;
	setTokenLifetime(seconds: number): void;
	setLegacy(legacy: boolean): void;
	setLatency(ms: number): void;
	setRateLimit(limits: Partial<RateLimitOptions>): void;
	/** Licence slots and session lifetimes (https://docs.erp.net/dev/auth/sessions/license-slot.html). */
	setLicenses(licenses: Partial<LicenseOptions>): void;
	/** Zeroes the counters (open sessions stay open). */
	resetCounters(): void;
	/** Returns the fault's id. */
	injectFault(fault: Fault): string;
	clearFaults(): void;
	/** Called with each log entry before the request is answered; returns an unsubscribe function. */
	onRequest(listener: RequestListener): () => void;
	clearLog(): void;
	/** Regenerates the data from the seed (and forgets the notifications). */
	reset(): void;
	/** Changes the server clock (store/clock.ts): offset, timestamp step, late commits. */
	setClock(settings: ClockSettings): void;
	setAggregateTimeFilter(mode: AggregateTimeFilter): void;
	/** At most `rows` per page whatever `$top` asks (undefined: no cap), so tests page through few records. */
	setMaxPageSize(rows: number | undefined): void;
	/**
	 * How a failed `$batch` changeset is answered: `changeset` (default) as ERP.net's capture
	 * (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html), `response` as OData 4.0 also allows: one
	 * top-level response for the whole changeset, without Content-ID.
	 */
	setBatchChangesetFailure(answer: ChangesetFailureAnswer): void;
	/**
	 * Runs `action` once, just before the next Domain API request that continues a paged read
	 * (`$skiptoken` or `$skip`) is answered: writes that land between the pages of a running scan.
	 * Returns a function that cancels it if it has not run.
	 */
	beforeNextPage(action: () => void): () => void;
	/** Notifications created with CreateNotification (https://docs.erp.net/dev/domain-api/common-tasks/create-notification.html), oldest first. */
	notifications(): StoredNotification[];
	/**
	 * Rights the application's system user lacks, by entity set (a root covers its children): `write` refuses
	 * creating, modifying and deleting, `all` reading too; both answer 403 (odata/request/permissions.ts). `{}` grants all again.
	 */
	setDeniedAccess(denied: DeniedAccessBySet): void;
	/** Webhook pushes: registrations, queue, switches and the push log (webhooks/index.ts). */
	webhooks: WebhookControl;
}

export interface Sandbox {
	/** The instance URL, e.g. `http://127.0.0.1:5680`. */
	url: string;
	/** The Domain API's OData service root: `{url}/api/domain/odata/`, or on the separate API site. */
	odataRoot: string;
	/** The separate API site's URL (`domainApiSite: 'separate'`), else undefined. */
	apiSiteUrl?: string;
	clientId: string;
	clientSecret: string;
	requests: RequestLogEntry[];
	control: SandboxControl;
	readonly store: SandboxStore;
	context: SandboxContext;
	counters(): CountersSnapshot;
	/** PEM of the self-signed certificate when `tls` is on. */
	certificate?: string;
	close(): Promise<void>;
}

function createStore(options: ResolvedSandboxOptions): SandboxStore {
	const store = createMemoryStore(
		generateSeed({ seed: options.seed, sizes: options.sizes }),
		domainModel,
		createSandboxClock(options.clock),
	);
	exposeStoredAttributes(store);
	return store;
}

/** The default client: the seed's first trusted application (docs/ARCHITECTURE.md). */
function defaultClient(): { clientId: string; clientSecret: string } {
	const app = SEEDED_TRUSTED_APPLICATIONS.find((candidate) => candidate.applicationUri === DEFAULT_CLIENT_ID);
	if (!app) throw new Error(`The seed has no trusted application ${DEFAULT_CLIENT_ID}`);
	return { clientId: app.applicationUri, clientSecret: app.secret };
}

function countersSnapshot(context: SandboxContext): CountersSnapshot {
	const { sessions, ...totals } = context.counters;
	const perSession = [...sessions.values()].map((session) => ({ ...session }));
	return {
		...totals,
		openSessions: openSessionCount(context),
		maxInFlightPerSession: Math.max(0, ...perSession.map((session) => session.maxInFlight)),
		inFlight: perSession.reduce((sum, session) => sum + session.inFlight, 0),
		sessions: perSession,
	};
}

function createControl(context: SandboxContext): SandboxControl {
	let faultCount = 0;
	return {
		revokeAllTokens: () => {
			revokeAllTokens(context);
			revokeAllReferenceTokens(context);
		},
		issueReferenceToken: (options) => issueReferenceToken(context, defaultClient().clientId, options),
		revokeReferenceToken: (tokenOrId) => revokeReferenceToken(context, tokenOrId),
		setAutoDiscovery: (enabled) => {
			context.autoDiscovery = enabled;
		},
		setSiteStatus: (site, status) => {
			context.siteStatus[site] = status;
		},
		setTokenLifetime: (seconds) => {
			context.tokenLifetimeSeconds = seconds;
		},
		setLegacy: (legacy) => {
			context.legacy = legacy;
		},
		setLatency: (ms) => {
			context.latencyMs = ms;
		},
		setRateLimit: (limits) => {
			context.rateLimit = { ...context.rateLimit, ...limits };
		},
		setLicenses: (licenses) => {
			context.licenses = { ...context.licenses, ...licenses };
		},
		resetCounters: () => {
			context.counters = emptyCounters();
		},
		injectFault: (fault) => {
			const active: ActiveFault = { ...fault, id: `fault-${++faultCount}`, matched: 0, fired: 0 };
			context.faults.push(active);
			return active.id;
		},
		clearFaults: () => {
			context.faults = [];
		},
		onRequest: (listener) => {
			context.requestListeners.push(listener);
			return () => {
				context.requestListeners = context.requestListeners.filter((candidate) => candidate !== listener);
			};
		},
		clearLog: () => {
			context.requests.length = 0;
		},
		reset: () => {
			context.store.reset();
			exposeStoredAttributes(context.store);
			context.notifications.length = 0;
		},
		setClock: (settings) => {
			Object.assign(context.store.clock, settings);
		},
		setAggregateTimeFilter: (mode) => {
			context.aggregateTimeFilter = mode;
		},
		setMaxPageSize: (rows) => {
			context.maxPageSize = rows;
		},
		setBatchChangesetFailure: (answer) => {
			context.batchChangesetFailure = answer;
		},
		beforeNextPage: (action) => {
			const listener = (entry: RequestLogEntry) => {
				if (!entry.path.includes('/odata/') || !/[?&](%24|\$)skip(token)?=/i.test(entry.query)) return;
				context.requestListeners = context.requestListeners.filter((candidate) => candidate !== listener);
				action();
			};
			context.requestListeners.push(listener);
			return () => {
				context.requestListeners = context.requestListeners.filter((candidate) => candidate !== listener);
			};
		},
		notifications: () => [...context.notifications],
		setDeniedAccess: (denied) => {
			context.deniedAccess = { ...denied };
		},
		webhooks: (context.webhooks as WebhookEngine).control,
	};
}

async function selfSignedCertificate(host: string): Promise<{ key: string; cert: string }> {
	const pems = await generateCertificate([{ name: 'commonName', value: 'localhost' }], {
		keySize: 2048,
		algorithm: 'sha256',
		extensions: [
			{ name: 'basicConstraints', cA: false },
			{
				name: 'subjectAltName',
				altNames: [
					{ type: 2, value: 'localhost' },
					{ type: 7, ip: '127.0.0.1' },
					...(host.includes(':') || host === '127.0.0.1' ? [] : [{ type: 2 as const, value: host }]),
				],
			},
		],
	});
	return { key: pems.private, cert: pems.cert };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(server.address() as AddressInfo);
		});
	});
}

/** The host part of the instance URL: wildcard binds are reached through loopback. */
function urlHost(host: string): string {
	if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
	return host.includes(':') ? `[${host}]` : host;
}

interface RunningServer {
	url: string;
	close(): Promise<void>;
}

async function serve(
	app: express.Express,
	port: number,
	host: string,
	tls: { key: string; cert: string } | undefined,
): Promise<RunningServer> {
	const server: Server = tls ? createHttpsServer(tls, app) : createHttpServer(app);
	const sockets = new Set<Socket>();
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	const address = await listen(server, port, host);
	return {
		url: `${tls ? 'https' : 'http'}://${urlHost(host)}:${address.port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			}),
	};
}

/**
 * Starts the Instance ID + Domain API sandbox on its own HTTP(S) server; with `domainApiSite: 'separate'` the
 * Domain API runs on a second server (another origin, a free port) that auto-discovery points to.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const resolved = resolveOptions(options);
	const context = createContext(resolved, createStore(resolved), await generateSigningKey());
	const webhooks = createWebhookEngine(context);
	webhooks.control.configure(options.webhooks ?? {});
	context.webhooks = webhooks;
	context.commitObserver = webhooks.observer;
	const separate = resolved.domainApiSite === 'separate';
	const tls = resolved.tls ? await selfSignedCertificate(resolved.host) : undefined;
	const instance = await serve(createApp(context, { servesDomainApi: !separate }), resolved.port, resolved.host, tls);
	context.instanceUrl = instance.url;
	const apiSite = separate ? await serve(createApiSiteApp(context), 0, resolved.host, tls) : undefined;
	context.apiSiteUrl = apiSite?.url;
	const close = async () => {
		webhooks.close();
		for (const timer of context.timers) clearTimeout(timer);
		context.timers.clear();
		await Promise.all([instance.close(), apiSite?.close()]);
	};
	return {
		url: instance.url,
		odataRoot: apiSite ? `${apiSite.url}/domain/odata/` : `${instance.url}/api/domain/odata/`,
		apiSiteUrl: apiSite?.url,
		...defaultClient(),
		requests: context.requests,
		control: createControl(context),
		get store() {
			return context.store;
		},
		context,
		counters: () => countersSnapshot(context),
		certificate: tls?.cert,
		close,
	};
}
