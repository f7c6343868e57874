/**
 * One Domain API OData request → one response, independent of express so that $batch parts run through
 * the same code as top-level requests.
 */
import type { EntityRecord } from '../../store/memory-store';
import { NotFoundError, ODataRequestError } from '../errors';
import type { EntitySetInfo } from '../model';
import { findMethod, invokeBoundOperation } from '../operations';
import {
	collectionPayload,
	compileFilter,
	compileSearch,
	createProjector,
	entityPayload,
	evaluateApply,
	nextLink,
	parseQuery,
	queryCollection,
	splitQueryString,
	type ParsedQuery,
} from '../query';
import { checkObjectVersion, createEntity, deleteEntity, topLevelPatchAction, updateEntity } from '../write';
import { evaluationContext, serializationContext, writeContext } from './contexts';
import { ForbiddenError, MethodNotAllowedError } from './errors';
import { errorResponse, jsonResponse } from './json';
import { checkPermission } from './permissions';
import { resolveResourcePath, unsupportedPath, type ResourcePath } from './resource-path';
import { WRITE_METHODS, type ODataRequest, type ODataResponse, type RequestEnvironment } from './types';

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
