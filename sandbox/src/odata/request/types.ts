/** What the dispatcher and every stage below it exchange: one request, its environment, one response. */
import type { MemoryStore } from '../../store/memory-store';
import type { ModelIndex } from '../model';
import type { StoredNotification } from '../operations/stored-notification';
import type { DeniedAccessBySet } from './permissions';

export interface ODataRequest {
	method: string;
	/** Decoded path below the service root, without a leading `/`, e.g. `Crm_Sales_Customers(…)`. */
	resourcePath: string;
	/** Raw query string without `?`. */
	query: string;
	/** Parsed JSON body, when there is one. */
	body?: unknown;
	/** Lower-case header names. */
	headers: Record<string, string>;
}

export interface ODataResponse {
	status: number;
	headers: Record<string, string>;
	/** JSON value or plain text. */
	body?: unknown;
}

export interface RequestEnvironment {
	store: MemoryStore;
	model: ModelIndex;
	/** Absolute, ending in `/`. */
	serviceRoot: string;
	/** Pre-26.2 server: never a next link (https://docs.erp.net/dev/domain-api/querying-data/paging.html, whats-new 26.2). */
	legacy: boolean;
	/** How AggregateLastUpdateTimeUtc date-time literals are compared (sandbox/src/context.ts). */
	aggregateTimeFilter?: 'exact' | 'date';
	/** Test switch: a page holds at most this many rows, whatever `$top` asks (DECISIONS.md "Change tracking"). */
	maxPageSize?: number;
	scopes: string[];
	/** Two-letter, upper case. */
	language: string;
	currentEnterpriseCompanyId?: string;
	currentUser?: string;
	/** `$1` → the entity created by the changeset request with Content-ID 1. */
	contentIds?: Map<string, { entitySet: string; id: string }>;
	/** Where CreateNotification keeps what it creates (https://docs.erp.net/dev/domain-api/common-tasks/create-notification.html). */
	notifications?: StoredNotification[];
	/** Repositories the application's user has no rights on (`control.setDeniedAccess`, permissions.ts). */
	deniedAccess?: DeniedAccessBySet;
	/** Told about every write transaction, to fire the user business rules of what it committed (webhooks/). */
	commitObserver?: CommitObserver;
	/** Unbound functions (GetVersion, …) answered before entity sets are looked up. */
	functions?: Record<string, (request: ODataRequest, environment: RequestEnvironment) => ODataResponse>;
}

/** Sees write transactions: a top-level write request, or a `$batch` changeset with the requests inside it. */
export interface CommitObserver {
	/** Runs `action` as one transaction; `committed` tells from its result whether it committed. */
	transaction<T>(action: () => T, committed: (result: T) => boolean, environment: RequestEnvironment): T;
}

export const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'MERGE', 'DELETE']);
