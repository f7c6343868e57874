/**
 * One Domain API OData request → one response, independent of express so that $batch parts run through
 * the same code as top-level requests.
 */
import { keys as parseKeyPredicate } from '@odata/parser/lib/parser';

import { isGuid } from '../store/guid-order';
import type { EntityRecord, MemoryStore } from '../store/memory-store';
import {
	ForbiddenError,
	HttpError,
	MethodNotAllowedError,
	NotFoundError,
	ODataRequestError,
	toHttpError,
} from './errors';
import { compileFilter, compileSearch, type EvaluationContext } from './evaluate';
import type { EntitySetInfo, ModelIndex } from './model-index';
import { parseQuery, splitQueryString, type ParsedQuery } from './parse-query';
import { nextLink, queryCollection } from './query-collection';
import {
	collectionPayload,
	createProjector,
	entityPayload,
	ODATA_JSON_CONTENT_TYPE,
	type JsonObject,
	type SerializationContext,
} from './serialize';
import { evaluateApply } from './apply';
import { deleteEntity } from './delete-entity';
import {
	checkObjectVersion,
	createEntity,
	renamedEntitySetError,
	topLevelPatchAction,
	updateEntity,
	type WriteContext,
} from './write';
import { findMethod, invokeBoundOperation } from './operations';
import type { StoredNotification } from './operations/notifications';
import { checkPermission, type DeniedAccessBySet } from './permissions';

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

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): ODataResponse {
	return { status, headers: { 'Content-Type': ODATA_JSON_CONTENT_TYPE, 'OData-Version': '4.0', ...headers }, body };
}

export function errorResponse(error: unknown): ODataResponse {
	const httpError = toHttpError(error);
	return {
		status: httpError.status,
		headers: { 'Content-Type': 'application/json', ...httpError.headers },
		body: httpError.toEnvelope(),
	};
}

export function handleODataRequest(request: ODataRequest, environment: RequestEnvironment): ODataResponse {
	const run = () => {
		try {
			return dispatch(request, environment);
		} catch (error) {
			return errorResponse(error);
		}
	};
	const observer = environment.commitObserver;
	if (!observer || !WRITE_METHODS.has(request.method)) return run();
	return observer.transaction(run, (response) => response.status < 400, environment);
}

interface ResourcePath {
	set: EntitySetInfo;
	/** The name as written in the URL. */
	setName: string;
	key?: string;
	/** `$count` or a child collection name. */
	tail?: string;
}

function dispatch(request: ODataRequest, environment: RequestEnvironment): ODataResponse {
	// `GetVersion`, `GetVersion()` or, with parameters, `GetRepositoryEvents(repositoryName='...')`.
	const functionName = request.resourcePath.endsWith(')') ? request.resourcePath.split('(')[0] : request.resourcePath;
	const unboundFunction = environment.functions?.[functionName];
	if (unboundFunction) return unboundFunction(request, environment);
	const path = resolveResourcePath(request.resourcePath, environment);
	if (WRITE_METHODS.has(request.method)) checkWriteAccess(path.set, environment);
	else checkReadAccess(environment);
	checkPermission(path.set, environment.deniedAccess, WRITE_METHODS.has(request.method), environment.currentUser);
	const query = parseQuery(splitQueryString(request.query));
	if (path.key === undefined) return handleCollection(request, path, query, environment);
	if (path.tail !== undefined && findMethod(path.set, path.tail)) {
		return invokeBoundOperation(request, path.set, findRecord(path, environment), path.tail, environment);
	}
	if (path.tail !== undefined) return handleChildCollection(request, path, environment);
	return handleEntity(request, path, query, environment);
}

/** https://docs.erp.net/dev/auth/concepts/scopes.html: "APIs automatically validate scopes on every request"; a read needs `read`. */
function checkReadAccess(environment: RequestEnvironment): void {
	if (!environment.scopes.includes('read')) {
		throw new ForbiddenError("The access token does not have the scope 'read', which is required to read data.");
	}
}

function checkWriteAccess(set: EntitySetInfo, environment: RequestEnvironment): void {
	if (!environment.scopes.includes('update')) {
		throw new ForbiddenError(
			"The access token does not have the scope 'update', which is required to create, modify or delete data.",
		);
	}
	if (set.definition.apiAccess === 'ReadOnly') {
		throw new ODataRequestError(`The entity set '${set.name}' is read-only in the Domain API.`);
	}
}

/** `Set`, `Set/$count`, `Set(guid)`, `Set(guid)/Child`, or `$1`, `$1/Child` inside a changeset. */
export function resolveResourcePath(resourcePath: string, environment: RequestEnvironment): ResourcePath {
	const slash = resourcePath.indexOf('/');
	const head = slash < 0 ? resourcePath : resourcePath.slice(0, slash);
	const tail = slash < 0 ? undefined : resourcePath.slice(slash + 1);
	// A slash may occur inside a function's parameter list: `Set(id)/F(search='a/b')`.
	if (tail !== undefined && tail.split('(')[0].includes('/')) throw unsupportedPath(resourcePath);
	const contentId = head.startsWith('$') ? environment.contentIds?.get(head) : undefined;
	if (contentId) return { ...resolveEntitySet(contentId.entitySet, environment), key: contentId.id, tail };
	const open = head.indexOf('(');
	const setName = open < 0 ? head : head.slice(0, open);
	const resolved = resolveEntitySet(setName, environment);
	if (open < 0) {
		if (tail !== undefined && tail !== '$count') throw unsupportedPath(resourcePath);
		return { ...resolved, tail };
	}
	return { ...resolved, key: parseKey(head.slice(open), resourcePath), tail };
}

function unsupportedPath(resourcePath: string): ODataRequestError {
	// https://docs.erp.net/dev/domain-api/querying-data/url-components.html: "REST style sub-entities are not supported"; use $expand.
	return new ODataRequestError(
		`The resource path '${resourcePath}' is not supported. Only one entity set per resource path is supported; use $expand for related entities.`,
	);
}

export function resolveEntitySet(
	setName: string,
	environment: RequestEnvironment,
): { set: EntitySetInfo; setName: string } {
	const set = environment.model.getSet(setName);
	if (set) return { set, setName };
	const renamed = environment.model.resolveRename(setName);
	if (renamed) throw renamedEntitySetError(setName, renamed, environment);
	throw new NotFoundError(`Resource not found for the segment '${setName}'.`);
}

/** The key is an unquoted GUID (https://docs.erp.net/dev/domain-api/data-manipulation/update.html, https://docs.erp.net/dev/domain-api/data-manipulation/delete.html); parsed with @odata/parser's key predicate rule. */
function parseKey(predicate: string, resourcePath: string): string {
	const key = guidOfKeyPredicate(predicate);
	if (!key || !isGuid(key)) {
		throw new ODataRequestError(
			`The key in '${resourcePath}' is not valid. The key of an entity is an unquoted GUID, e.g. 'Crm_Sales_Customers(f3fe442a-d5fe-49a9-8bda-00c895d630bb)'.`,
		);
	}
	return key.toLowerCase();
}

interface KeyValueToken {
	value?: string;
	raw?: string;
}

/** `(guid)` or the named form `(Id=guid)`. */
function guidOfKeyPredicate(predicate: string): string | undefined {
	let token;
	try {
		token = parseKeyPredicate(predicate);
	} catch {
		return undefined;
	}
	const value = token.value as { value?: KeyValueToken } | Array<{ value: { value: KeyValueToken } }>;
	const literal = Array.isArray(value) ? (value.length === 1 ? value[0].value.value : undefined) : value.value;
	return literal?.value === 'Edm.Guid' ? literal.raw : undefined;
}

export function evaluationContext(environment: RequestEnvironment): EvaluationContext {
	return {
		model: environment.model,
		language: environment.language,
		truncateAggregateTimeFilter: environment.aggregateTimeFilter === 'date',
		resolveReference: (value) => resolveReference(environment.store, value),
	};
}

function resolveReference(store: MemoryStore, value: unknown): EntityRecord | undefined {
	if (!value || typeof value !== 'object' || !('@odata.id' in value)) return undefined;
	const odataId = String((value as { '@odata.id': unknown })['@odata.id']);
	const open = odataId.lastIndexOf('(');
	const id = open >= 0 ? odataId.slice(open + 1, -1) : '';
	return isGuid(id) ? store.locate(id)?.record : undefined;
}

export function serializationContext(environment: RequestEnvironment, query: ParsedQuery): SerializationContext {
	return {
		...evaluationContext(environment),
		store: environment.store,
		serviceRoot: environment.serviceRoot,
		skipNulls: query.skipNulls,
	};
}

function writeContext(environment: RequestEnvironment): WriteContext {
	return {
		...evaluationContext(environment),
		store: environment.store,
		serviceRoot: environment.serviceRoot,
		currentEnterpriseCompanyId: environment.currentEnterpriseCompanyId,
		currentUser: environment.currentUser,
		resolveContentId: (reference) => environment.contentIds?.get(reference),
	};
}

// ---------------------------------------------------------------------------------------------------------
// Collections

function handleCollection(
	request: ODataRequest,
	path: ResourcePath,
	query: ParsedQuery,
	environment: RequestEnvironment,
): ODataResponse {
	if (path.tail === '$count') {
		if (request.method !== 'GET') throw new MethodNotAllowedError(request.method, request.resourcePath);
		return countResponse(path.set, query, environment);
	}
	if (request.method === 'GET') return readCollection(path, query, environment);
	if (request.method === 'POST') return createInCollection(request, path.set, query, environment);
	throw new MethodNotAllowedError(request.method, request.resourcePath);
}

function readCollection(path: ResourcePath, query: ParsedQuery, environment: RequestEnvironment): ODataResponse {
	const context = serializationContext(environment, query);
	if (query.apply) {
		const rows = evaluateApply(query.apply, query, path.set, environment.store, context);
		return jsonResponse(200, collectionPayload(environment.serviceRoot, path.set.name, rows));
	}
	const project = createProjector(path.set, query.select, query.expand, context);
	const cap = environment.maxPageSize;
	const pageQuery = cap !== undefined && query.top !== undefined && query.top > cap ? { ...query, top: cap } : query;
	const page = queryCollection(environment.store, path.set, pageQuery, context);
	const link =
		page.next && !environment.legacy
			? nextLink(environment.serviceRoot, path.setName, query.options, page.next)
			: undefined;
	const payload = collectionPayload(environment.serviceRoot, path.set.name, page.records.map(project), {
		count: page.count,
		nextLink: link,
	});
	return jsonResponse(200, payload);
}

/** `/$count` is a plain-text integer (the .NET client parses it with long.Parse). */
function countResponse(set: EntitySetInfo, query: ParsedQuery, environment: RequestEnvironment): ODataResponse {
	const context = evaluationContext(environment);
	const filter = query.filter ? compileFilter(query.filter, set, context) : undefined;
	const search = query.search ? compileSearch(query.search, set, context) : undefined;
	let count = 0;
	if (!filter && !search) count = environment.store.count(set.name);
	else
		for (const record of environment.store.scan(set.name))
			if ((!filter || filter(record)) && (!search || search(record))) count++;
	return {
		status: 200,
		headers: { 'Content-Type': 'text/plain;charset=utf-8', 'OData-Version': '4.0' },
		body: String(count),
	};
}

function createInCollection(
	request: ODataRequest,
	set: EntitySetInfo,
	query: ParsedQuery,
	environment: RequestEnvironment,
	owner?: { reference: string; entitySet: string; id: string },
): ODataResponse {
	const context = writeContext(environment);
	const result = createEntity(set, request.body, context, owner);
	return writtenEntityResponse(
		request,
		result.entitySet,
		result.record,
		result.created ? 201 : 200,
		query,
		environment,
	);
}

function writtenEntityResponse(
	request: ODataRequest,
	entitySet: string,
	record: EntityRecord,
	status: number,
	query: ParsedQuery,
	environment: RequestEnvironment,
): ODataResponse {
	const location = `${environment.serviceRoot}${entitySet}(${String(record.Id)})`;
	const headers = { Location: location, 'OData-EntityId': location };
	if (preference(request, 'return') === 'minimal') {
		return { status: 204, headers: { 'OData-Version': '4.0', 'Preference-Applied': 'return=minimal', ...headers } };
	}
	const set = environment.model.getSet(entitySet) as EntitySetInfo;
	const project = createProjector(set, query.select, query.expand, serializationContext(environment, query));
	return jsonResponse(status, entityPayload(environment.serviceRoot, entitySet, project(record)), headers);
}

function preference(request: ODataRequest, name: string): string | undefined {
	for (const part of (request.headers.prefer ?? '').split(',')) {
		const [key, value] = part.trim().split('=');
		if (key?.trim().toLowerCase() === name) return value?.trim().toLowerCase();
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Single entities

function findRecord(path: ResourcePath, environment: RequestEnvironment): EntityRecord {
	const record = environment.store.peek(path.set.name, path.key as string);
	if (!record) throw new NotFoundError(`The entity '${path.set.name}(${String(path.key)})' was not found.`);
	return record;
}

function handleEntity(
	request: ODataRequest,
	path: ResourcePath,
	query: ParsedQuery,
	environment: RequestEnvironment,
): ODataResponse {
	const record = findRecord(path, environment);
	switch (request.method) {
		case 'GET': {
			const project = createProjector(path.set, query.select, query.expand, serializationContext(environment, query));
			return jsonResponse(200, entityPayload(environment.serviceRoot, path.set.name, project(record)));
		}
		case 'PATCH': {
			if (topLevelPatchAction(request.body) === 'delete') {
				const version = (request.body as { ObjectVersion?: unknown }).ObjectVersion;
				if (version !== undefined) checkObjectVersion(path.set, record, Number(version));
				deleteEntity(environment.store, path.set, record);
				return { status: 204, headers: { 'OData-Version': '4.0' } };
			}
			const result = updateEntity(path.set, record, request.body, writeContext(environment));
			if (preference(request, 'return') === 'representation') {
				return writtenEntityResponse(request, result.entitySet, result.record, 200, query, environment);
			}
			return { status: 204, headers: { 'OData-Version': '4.0' } };
		}
		case 'DELETE':
			deleteEntity(environment.store, path.set, record);
			return { status: 204, headers: { 'OData-Version': '4.0' } };
		default:
			throw new MethodNotAllowedError(request.method, request.resourcePath);
	}
}

/** `POST Set(guid)/Lines` and, in https://docs.erp.net/dev/domain-api/data-manipulation/batch.html, `POST $1/Prices`: a new child of an existing entity. */
function handleChildCollection(
	request: ODataRequest,
	path: ResourcePath,
	environment: RequestEnvironment,
): ODataResponse {
	const record = findRecord(path, environment);
	const located = environment.store.locate(String(record.Id));
	const ownerSet = (located && environment.model.getSet(located.entitySet)) || path.set;
	const child = ownerSet.childByName.get(path.tail as string);
	if (!child) throw unsupportedPath(request.resourcePath);
	const childSet = environment.model.getSet(child.childSet);
	if (!childSet) throw new NotFoundError(`Resource not found for the segment '${child.childSet}'.`);
	if (request.method !== 'POST') throw new MethodNotAllowedError(request.method, request.resourcePath);
	checkWriteAccess(childSet, environment);
	checkPermission(childSet, environment.deniedAccess, true, environment.currentUser);
	const owner = { reference: child.ownerReference, entitySet: ownerSet.name, id: String(record.Id) };
	return createInCollection(request, childSet, parseQuery(splitQueryString(request.query)), environment, owner);
}

export function isHttpError(error: unknown): error is HttpError {
	return error instanceof HttpError;
}

export type { JsonObject };
