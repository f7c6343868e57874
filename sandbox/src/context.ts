/**
 * The state shared by every part of the sandbox: options, test-controlled switches, the request log,
 * the data store and the token-signing key. One object per running sandbox; routers receive it and must
 * read the mutable fields (`legacy`, `latencyMs`, `rateLimit`, `tokenLifetimeSeconds`, ...) on each request
 * instead of copying them; `control` in index.ts changes them.
 */
import type { SigningKey } from './identity/keys';
import type { ReferenceTokenRecord } from './identity/reference-token-record';
import type { ApiSession } from './identity/api-session';
import type { SandboxClockSettings } from './store/clock';
import type { MemoryStore } from './store/memory-store';
import type { StoredNotification } from './odata/operations';
import type { ChangesetFailureAnswer, CommitObserver, DeniedAccessBySet } from './odata/request';
import type { WebhookEngine, WebhookSettings } from './webhooks';
import { trackedSleep } from './tracked-sleep';

export interface RateLimitOptions {
	/** `SessionConcurrentRequests` (https://docs.erp.net/tech/advanced/web-sites/rate-limits.html). */
	concurrentRequests: number;
	/** Requests of one session that may wait for a free slot; one more gets an immediate 429. */
	queue: number;
	/** `SessionRpm`: requests per session in any 60-second window. `Infinity` turns a limit off. */
	requestsPerMinute: number;
	/**
	 * Length of the `requestsPerMinute` window, 60 000 ms as ERP.net counts. Tests shorten it to run a
	 * rate-limited workload in seconds instead of minutes.
	 */
	windowMs?: number;
}

/**
 * Licence slots (https://docs.erp.net/dev/auth/sessions/license-slot.html): every open session holds one; a session closes after
 * `inactivityMs` without requests or `absoluteMs` after it opened (service sessions), freeing its slot.
 */
export interface LicenseOptions {
	/** Concurrent licence slots; `Infinity` (the default) never refuses a session. */
	count: number;
	/** 20 minutes in ERP.net; tests shorten it. */
	inactivityMs: number;
	/** 1 hour in ERP.net for client-credentials sessions; tests shorten it. */
	absoluteMs: number;
}

/** Running totals tests read through `sandbox.counters()`; `control.resetCounters()` zeroes them. */
export interface SandboxCounters {
	/** Requests to the token endpoint, answered or refused. */
	tokenRequests: number;
	/** Tokens the endpoint issued. */
	tokensIssued: number;
	sessionsOpened: number;
	/** Requests refused because every licence slot was taken. */
	licenseRefusals: number;
	/** 429 answers of the per-session limits. */
	tooManyRequests: number;
	/** Per session id: authenticated Domain API requests received, and how many were in flight at once. */
	sessions: Map<string, SessionCounters>;
}

export interface SessionCounters {
	sessionId: string;
	jti: string;
	clientId: string;
	requests: number;
	inFlight: number;
	maxInFlight: number;
}

export interface SandboxSizes {
	customers?: number;
	products?: number;
	salesOrders?: number;
}

export interface SandboxOptions {
	/** 0 picks a free port. */
	port?: number;
	host?: string;
	/** Seed of the deterministic data generator. */
	seed?: number;
	sizes?: SandboxSizes;
	/** Emulate a pre-26.2 server (no `@odata.nextLink`). */
	legacy?: boolean;
	tokenLifetimeSeconds?: number;
	rateLimit?: Partial<RateLimitOptions>;
	licenses?: Partial<LicenseOptions>;
	/** Added to every Domain API response. */
	latencyMs?: number;
	/** Serve https with a self-signed certificate. */
	tls?: boolean;
	/** Answer `GET /sys/auto-discovery` (default true); false answers 404, as older versions and proxies do. */
	autoDiscovery?: boolean;
	/**
	 * Where the Domain API site lives: `instance` (default, `{instance}/api/domain/odata/`) or `separate`: a
	 * second port (another origin) serving it at its root (`{api}/domain/odata/`, the https://docs.erp.net/dev/domain-api/querying-data/url-components.html
	 * example `https://erpapi.example.com/`), which auto-discovery points to; the instance then has no `/api`.
	 */
	domainApiSite?: DomainApiSite;
	/** Server clock settings (store/clock.ts): offset from the machine's clock, timestamp step, late commits. */
	clock?: ClockSettings;
	/** How `$filter` compares date-time literals with AggregateLastUpdateTimeUtc (DECISIONS.md, "Change tracking"). */
	aggregateTimeFilter?: AggregateTimeFilter;
	/** The push queue's settings at start (`control.webhooks.configure` later); ERP.net's by default. */
	webhooks?: Partial<WebhookSettings>;
}

export type ClockSettings = SandboxClockSettings;

/**
 * `exact`: AggregateLastUpdateTimeUtc literals keep their time (https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html's example);
 * `date`: truncated to the date like every other date-time literal (https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html's general rule).
 */
export type AggregateTimeFilter = 'exact' | 'date';

export type DomainApiSite = 'instance' | 'separate';

/** `WebSites[].Type` values of https://docs.erp.net/dev/auth/concepts/identity-server.html. */
export type SiteType = 'ID' | 'DomainAPI';

export interface ResolvedSandboxOptions {
	port: number;
	host: string;
	seed: number;
	sizes: SandboxSizes;
	legacy: boolean;
	tokenLifetimeSeconds: number;
	rateLimit: RateLimitOptions;
	licenses: LicenseOptions;
	latencyMs: number;
	tls: boolean;
	autoDiscovery: boolean;
	domainApiSite: DomainApiSite;
	clock: ClockSettings;
	aggregateTimeFilter: AggregateTimeFilter;
}

export interface RequestLogEntry {
	time: string;
	method: string;
	path: string;
	/** Raw search string including `?`, or ''. */
	query: string;
	/** Path and query as received. */
	url: string;
	/** Lower-case names; multi-valued headers joined with ', '. */
	headers: Record<string, string>;
	/** Raw request body ('' when none). */
	body: string;
	/** 0 until answered, and for requests that never got a response (reset, hang). */
	status: number;
	/** `jti` of the bearer token sent, read without verifying it. */
	tokenJti?: string;
	/** Body size of the response (its Content-Length), once answered. */
	responseBytes?: number;
	/** Origin the request was addressed to (`http://127.0.0.1:port`): the instance's or the API site's. */
	origin: string;
}

export type FaultKind = 'status' | 'reset' | 'hang' | 'delay' | 'rewrite' | 'trickle';

export interface Fault {
	method?: string;
	pathIncludes?: string;
	/** How many matching requests to fault (default 1; `Infinity` for all). */
	times?: number;
	/** Matching requests to let through before the first fault. */
	after?: number;
	kind: FaultKind;
	status?: number;
	/** Object → JSON (read when the answer is sent), string → sent as is; default: an ERP.net error envelope. */
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
	/**
	 * `rewrite`: the request is served normally and its answer body changed on the way out, as a broken proxy or
	 * a cut connection would (e.g. cut short, parts swapped); the status and headers stay.
	 */
	rewriteBody?: (body: string) => string;
	/** `trickle`: the status and headers at once, then the body one byte per this many ms (default 60 000). */
	trickleMs?: number;
}

export interface ActiveFault extends Fault {
	id: string;
	matched: number;
	fired: number;
}

export interface IssuedToken {
	jti: string;
	clientId: string;
	scopes: string[];
	issuedAt: number;
	expiresAt: number;
}

/** The Domain API developer's memory store (sandbox/src/store/memory-store.ts). */
export type SandboxStore = MemoryStore;

export type RequestListener = (entry: RequestLogEntry) => void;

export interface SandboxContext {
	options: ResolvedSandboxOptions;
	/** Current legacy switch (`control.setLegacy`). */
	legacy: boolean;
	latencyMs: number;
	tokenLifetimeSeconds: number;
	rateLimit: RateLimitOptions;
	/** Current `control.setAggregateTimeFilter` mode. */
	aggregateTimeFilter: AggregateTimeFilter;
	/** `control.setMaxPageSize`: rows per page at most (undefined = as `$top` asks). */
	maxPageSize?: number;
	/** `control.setBatchChangesetFailure`: how a failed `$batch` changeset is answered (default `changeset`). */
	batchChangesetFailure?: ChangesetFailureAnswer;
	licenses: LicenseOptions;
	counters: SandboxCounters;
	faults: ActiveFault[];
	/** Every access token issued, by jti. */
	issuedTokens: Map<string, IssuedToken>;
	revokedTokens: Set<string>;
	/** Open Domain API sessions, by token jti. */
	sessions: Map<string, ApiSession>;
	requests: RequestLogEntry[];
	requestListeners: RequestListener[];
	store: SandboxStore;
	/** Created by the CreateNotification action, oldest first. */
	notifications: StoredNotification[];
	signingKey: SigningKey;
	/** `control.setAutoDiscovery`: false → `/sys/auto-discovery` answers 404. */
	autoDiscovery: boolean;
	/** `WebSites[].Status` per site (`control.setSiteStatus`), 'Working' unless a test changes it. */
	siteStatus: Record<SiteType, string>;
	/** Reference tokens (PAT/SAT) by sha256 of the token. */
	referenceTokens: Map<string, ReferenceTokenRecord>;
	/** The instance URL once listening (`http://127.0.0.1:port`). */
	instanceUrl?: string;
	/** The API site URL when `domainApiSite` is `separate`, once listening. */
	apiSiteUrl?: string;
	/** Timers that `close()` must cancel so that a closed sandbox leaves nothing pending. */
	timers: Set<NodeJS.Timeout>;
	/** `control.setDeniedAccess`: repositories the application's user has no rights on (odata/request/permissions.ts). */
	deniedAccess: DeniedAccessBySet;
	/** Fires the user business rules of committed writes (webhooks/), set by startSandbox. */
	commitObserver?: CommitObserver;
	/** The webhook engine (push queue and `control.webhooks`), set by startSandbox. */
	webhooks?: WebhookEngine;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { concurrentRequests: 1, queue: 5, requestsPerMinute: 600 };

/** (https://docs.erp.net/dev/auth/sessions/license-slot.html): 20 minutes of inactivity, 1 hour absolute for service sessions. */
export const DEFAULT_LICENSES: LicenseOptions = {
	count: Infinity,
	inactivityMs: 20 * 60 * 1000,
	absoluteMs: 60 * 60 * 1000,
};

export function emptyCounters(): SandboxCounters {
	return {
		tokenRequests: 0,
		tokensIssued: 0,
		sessionsOpened: 0,
		licenseRefusals: 0,
		tooManyRequests: 0,
		sessions: new Map(),
	};
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
	return {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		seed: options.seed ?? 42,
		sizes: options.sizes ?? {},
		legacy: options.legacy ?? false,
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
		rateLimit: { ...DEFAULT_RATE_LIMIT, ...options.rateLimit },
		licenses: { ...DEFAULT_LICENSES, ...options.licenses },
		latencyMs: options.latencyMs ?? 0,
		tls: options.tls ?? false,
		autoDiscovery: options.autoDiscovery ?? true,
		domainApiSite: options.domainApiSite ?? 'instance',
		clock: options.clock ?? {},
		aggregateTimeFilter: options.aggregateTimeFilter ?? 'exact',
	};
}

export function createContext(
	options: ResolvedSandboxOptions,
	store: SandboxStore,
	signingKey: SigningKey,
): SandboxContext {
	return {
		options,
		legacy: options.legacy,
		latencyMs: options.latencyMs,
		tokenLifetimeSeconds: options.tokenLifetimeSeconds,
		rateLimit: { ...options.rateLimit },
		aggregateTimeFilter: options.aggregateTimeFilter,
		licenses: { ...options.licenses },
		counters: emptyCounters(),
		faults: [],
		issuedTokens: new Map(),
		revokedTokens: new Set(),
		sessions: new Map(),
		requests: [],
		requestListeners: [],
		store,
		notifications: [],
		signingKey,
		autoDiscovery: options.autoDiscovery,
		siteStatus: { ID: 'Working', DomainAPI: 'Working' },
		referenceTokens: new Map(),
		timers: new Set(),
		deniedAccess: {},
	};
}

/** setTimeout that `close()` can cancel. */
export function sleep(context: SandboxContext, ms: number): Promise<void> {
	return trackedSleep(context.timers, ms);
}

/** What the bearer middleware attaches to an authenticated Domain API request. */
export interface RequestAuth {
	clientId: string;
	scopes: string[];
	jti: string;
	sessionId: string;
}

declare module 'express-serve-static-core' {
	interface Request {
		auth?: RequestAuth;
		/** The request body exactly as received (UTF-8), '' when none. `req.body` holds the parsed JSON or form, else the text. */
		rawBodyText?: string;
	}
}
