/**
 * The Domain API under `/api/domain`: the OData service at `/odata/` (entity sets, $metadata, $batch,
 * GetVersion, GetRenamedEntityTypes) and the JSON model at `/standardmodel` and `/currentmodel`
 * (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html). Authentication happens before this router (req.auth).
 * Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/model), licensed CC BY 4.0.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';

import type { RequestAuth } from './context';
import { HttpError, NotFoundError, ODataRequestError, toHttpError } from './odata/errors';
import { exposeStoredAttributes, metadataDocument, modelList, repositoryDetails, type ModelIndex } from './odata/model';
import { unboundFunctions, type StoredNotification } from './odata/operations';
import {
	errorResponse,
	handleBatch,
	handleODataRequest,
	serializeBody,
	serviceDocument,
	toErpJson,
	UnauthorizedError,
	type ChangesetFailureAnswer,
	type CommitObserver,
	type DeniedAccessBySet,
	type ODataRequest,
	type ODataResponse,
	type RequestEnvironment,
} from './odata/request';
import { isGuid } from './store/guid-order';
import type { MemoryStore } from './store/memory-store';

/** The parts of the sandbox context the Domain API reads, on every request (they change at run time). */
export interface DomainApiContext {
	/** Pre-26.2 behaviour: no `@odata.nextLink` (control.setLegacy). */
	legacy: boolean;
	/** A store made by createMemoryStore (typed loosely so that the sandbox context's store type fits). */
	store: object;
	/** How AggregateLastUpdateTimeUtc date-time literals are compared (context.ts); default `exact`. */
	aggregateTimeFilter?: 'exact' | 'date';
	/** Rows per page at most, whatever `$top` asks (test switch; undefined = no cap). */
	maxPageSize?: number;
	/** Notifications created with CreateNotification (control.notifications()). */
	notifications?: StoredNotification[];
	/** How a failed `$batch` changeset is answered (control.setBatchChangesetFailure); default as ERP.net's capture. */
	batchChangesetFailure?: ChangesetFailureAnswer;
	/** Repositories the application's user has no rights on (control.setDeniedAccess). */
	deniedAccess?: DeniedAccessBySet;
	/** Fires webhooks after committed writes (webhooks/). */
	commitObserver?: CommitObserver;
}

/** Set by the sandbox's bearer middleware (context.ts augments express's Request with `auth` and `rawBodyText`). */
type AuthenticatedRequest = Request & { auth?: RequestAuth };

export function createDomainApiRouter(context: DomainApiContext): Router {
	const router = Router();
	router.use('/standardmodel', modelRoutes(context, false));
	router.use('/currentmodel', modelRoutes(context, true));
	router.all('/reset', resetHandler(context));
	router.use('/odata', odataHandler(context));
	router.use((req, res) =>
		sendError(res, new NotFoundError(`No resource matches the request path '${req.originalUrl}'.`)),
	);
	return router;
}

/** The anonymous part (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html: "The standardmodel endpoint allows anonymous access"), for mounting before authentication. */
export function createStandardModelRouter(context: DomainApiContext): Router {
	const router = Router();
	router.use('/standardmodel', modelRoutes(context, false));
	return router;
}

function memoryStoreOf(context: DomainApiContext): MemoryStore {
	const store = context.store as Partial<MemoryStore>;
	if (typeof store.scan !== 'function' || !store.model) {
		throw new HttpError(
			500,
			'The Domain API needs the sandbox memory store (createMemoryStore).',
			0,
			'System.InvalidOperationException',
		);
	}
	return store as MemoryStore;
}

// ---------------------------------------------------------------------------------------------------------
// Model JSON

function modelRoutes(context: DomainApiContext, requiresAuthentication: boolean): Router {
	const router = Router();
	const guard: RequestHandler = (req, res, next) => {
		if (requiresAuthentication && !(req as AuthenticatedRequest).auth) sendError(res, new UnauthorizedError());
		else next();
	};
	router.get('/', guard, (req, res) => {
		const model = memoryStoreOf(context).model;
		const detailed = String(req.query.details ?? '').toLowerCase() === 'true';
		res
			.status(200)
			.type('application/json; charset=utf-8')
			.send(toErpJson(modelList(model, detailed, requiresAuthentication)));
	});
	router.get('/:entitySet', guard, (req, res) => {
		const model = memoryStoreOf(context).model;
		const set = model.getSet(String(req.params.entitySet).replace(/\./g, '_'));
		if (!set) {
			sendError(res, new NotFoundError(`The repository '${String(req.params.entitySet)}' was not found.`));
			return;
		}
		res
			.status(200)
			.type('application/json; charset=utf-8')
			.send(toErpJson(repositoryDetails(model, set, requiresAuthentication)));
	});
	router.use((_req, res) => sendError(res, new NotFoundError('Only GET is supported by the model endpoints.')));
	return router;
}

/**
 * `/api/domain/reset` (authenticated): refreshes the cached model, so that stored attributes created since are exposed
 * (https://docs.erp.net/dev/domain-api/complex-types/custom-property-value.html "Reset (refreshing the EDM model)").
 * The docs show no method or answer; the .NET client sends GET and expects `{"success":true}` (docs/erpnet-api.md 2.4).
 */
function resetHandler(context: DomainApiContext): RequestHandler {
	return (req, res) => {
		if (!(req as AuthenticatedRequest).auth) return sendError(res, new UnauthorizedError());
		if (req.method !== 'GET' && req.method !== 'POST') {
			return sendError(
				res,
				new HttpError(405, "The HTTP method is not supported for 'reset'.", 0, 'System.InvalidOperationException'),
			);
		}
		exposeStoredAttributes(memoryStoreOf(context));
		res
			.status(200)
			.type('application/json; charset=utf-8')
			.send(JSON.stringify({ success: true }));
	};
}

// ---------------------------------------------------------------------------------------------------------
// OData

function odataHandler(context: DomainApiContext): RequestHandler {
	return (req, res) => {
		const request = req as AuthenticatedRequest;
		try {
			if (!request.auth) throw new UnauthorizedError();
			const store = memoryStoreOf(context);
			const environment = requestEnvironment(request, context, store);
			const resourcePath = decodePath(req.path);
			if (resourcePath === '') return sendResponse(res, serviceDocument(environment));
			if (resourcePath === '$metadata') return sendMetadata(req, res, store.model);
			if (resourcePath === '$batch') return sendResponse(res, batchResponse(request, environment, context));
			const odataRequest: ODataRequest = {
				method: req.method,
				resourcePath,
				query: rawQuery(req),
				body: jsonBody(request),
				headers: lowerCaseHeaders(req),
			};
			sendResponse(res, handleODataRequest(odataRequest, environment));
		} catch (error) {
			sendResponse(res, errorResponse(error));
		}
	};
}

function decodePath(path: string): string {
	const trimmed = path.replace(/^\/+/, '');
	try {
		return decodeURIComponent(trimmed);
	} catch {
		throw new ODataRequestError(`The path '${path}' contains an invalid percent-encoding.`);
	}
}

function rawQuery(req: Request): string {
	const question = req.originalUrl.indexOf('?');
	return question < 0 ? '' : req.originalUrl.slice(question + 1);
}

function lowerCaseHeaders(req: Request): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function rawBody(req: AuthenticatedRequest): string {
	if (typeof req.rawBodyText === 'string') return req.rawBodyText;
	if (typeof req.body === 'string') return req.body;
	if (req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0) return JSON.stringify(req.body);
	return '';
}

function jsonBody(req: AuthenticatedRequest): unknown {
	if (req.method === 'GET' || req.method === 'DELETE') return undefined;
	const text = rawBody(req);
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new ODataRequestError(`The request body is not valid JSON: ${(error as Error).message}`);
	}
}

function serviceRootOf(req: Request): string {
	return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.baseUrl}/`;
}

function requestEnvironment(
	req: AuthenticatedRequest,
	context: DomainApiContext,
	store: MemoryStore,
): RequestEnvironment {
	const environment: RequestEnvironment = {
		store,
		model: store.model,
		serviceRoot: serviceRootOf(req),
		legacy: context.legacy,
		aggregateTimeFilter: context.aggregateTimeFilter ?? 'exact',
		maxPageSize: context.maxPageSize,
		scopes: req.auth?.scopes ?? [],
		language: requestLanguage(req),
		currentEnterpriseCompanyId: currentEnterpriseCompanyId(req, store),
		currentUser: req.auth?.clientId,
		notifications: context.notifications,
		deniedAccess: context.deniedAccess,
		commitObserver: context.commitObserver,
	};
	environment.functions = unboundFunctions();
	return environment;
}

/** https://docs.erp.net/dev/domain-api/common-tasks/change-language.html: `culture` URL parameter, then the `.AspNetCore.Culture` cookie, then Accept-Language; default English. */
export function requestLanguage(req: Request): string {
	const culture = typeof req.query.culture === 'string' ? req.query.culture : undefined;
	const cookie = cookieValue(req, '.AspNetCore.Culture');
	const cookieCulture =
		cookie
			?.split('|')
			.find((part) => part.startsWith('c='))
			?.slice(2) ?? cookie;
	const accepted = req.get('accept-language')?.split(',')[0]?.split(';')[0];
	const chosen = [culture, cookieCulture, accepted].find((candidate) => candidate && candidate.trim() !== '*');
	return (chosen ?? 'en').trim().slice(0, 2).toUpperCase();
}

function cookieValue(req: Request, name: string): string | undefined {
	for (const part of (req.get('cookie') ?? '').split(';')) {
		const equals = part.indexOf('=');
		if (equals > 0 && part.slice(0, equals).trim() === name) return decodeURIComponent(part.slice(equals + 1).trim());
	}
	return undefined;
}

/**
 * https://docs.erp.net/dev/domain-api/common-tasks/context-parameters.html: URL `CurrentEnterpriseCompanyId` or `ErpContextParameters=g1,g2,g3`, a `Prefer`
 * header of either form, or the `ErpContextParameters` cookie. Invalid or unknown values are ignored.
 */
export function currentEnterpriseCompanyId(req: Request, store: MemoryStore): string | undefined {
	const candidates: Array<string | undefined> = [
		typeof req.query.CurrentEnterpriseCompanyId === 'string' ? req.query.CurrentEnterpriseCompanyId : undefined,
		typeof req.query.ErpContextParameters === 'string' ? req.query.ErpContextParameters.split(',')[0] : undefined,
		...preferValues(req, 'CurrentEnterpriseCompanyId'),
		...preferValues(req, 'ErpContextParameters').map((value) => value.split(',')[0]),
		cookieValue(req, 'ErpContextParameters')?.split(',')[0],
	];
	return candidates
		.map((candidate) => candidate?.trim())
		.find(
			(candidate): candidate is string =>
				!!candidate && isGuid(candidate) && !!store.peek('General_EnterpriseCompanies', candidate),
		)
		?.toLowerCase();
}

function preferValues(req: Request, name: string): string[] {
	const header = req.headers.prefer;
	const values = Array.isArray(header) ? header : header ? [header] : [];
	return values
		.flatMap((value) => value.split(';').flatMap((part) => part.split(',')))
		.map((part) => part.trim())
		.filter((part) => part.toLowerCase().startsWith(`${name.toLowerCase()}=`))
		.map((part) => part.slice(name.length + 1));
}

function sendMetadata(req: Request, res: Response, model: ModelIndex): void {
	if (req.method !== 'GET') {
		sendError(
			res,
			new HttpError(405, "The HTTP method is not supported for '$metadata'.", 0, 'Microsoft.OData.ODataException'),
		);
		return;
	}
	res
		.status(200)
		.set({ 'Content-Type': 'application/xml;charset=utf-8', 'OData-Version': '4.0' })
		.send(metadataDocument(model));
}

function batchResponse(
	req: AuthenticatedRequest,
	environment: RequestEnvironment,
	context: DomainApiContext,
): ODataResponse {
	if (req.method !== 'POST')
		throw new HttpError(405, "Only POST is supported for '$batch'.", 0, 'Microsoft.OData.ODataException');
	return handleBatch(
		req.get('content-type') ?? '',
		rawBody(req),
		environment,
		serializeBody,
		context.batchChangesetFailure,
	);
}

// ---------------------------------------------------------------------------------------------------------
// Responses

function sendResponse(res: Response, response: ODataResponse): void {
	res.status(response.status).set(response.headers);
	const body = serializeBody(response);
	if (body === '') res.end();
	else res.send(Buffer.from(body, 'utf8'));
}

function sendError(res: Response, error: unknown): void {
	sendResponse(res, errorResponse(toHttpError(error)));
}
