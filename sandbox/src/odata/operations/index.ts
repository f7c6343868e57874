/**
 * Bound operations, `POST|GET /api/domain/odata/<Set>(<id>)/<Operation>` (https://docs.erp.net/dev/domain-api/operations/index.html): the
 * "API Methods" the model page lists for the set. Actions are POST with a JSON body of parameters,
 * functions GET with OData function-parameter syntax. What each one does is in the files beside this one;
 * unbound-functions.ts holds the unbound ones (GetVersion, GetRenamedEntityTypes, GetRepositoryEvents).
 * Operations answer through the request stage's leaves (types, json, contexts), never through the dispatcher.
 */
import type { MethodDefinition } from '../../schema/types';
import type { EntityRecord } from '../../store/memory-store';
import { HttpError, NotFoundError, NotSupportedError, ODATA_EXCEPTION } from '../errors';
import type { EntitySetInfo } from '../model';
import type { ODataRequest, ODataResponse, RequestEnvironment } from '../request/types';
import { changeState, complete, makeVoid } from './documents';
import { createNotification } from './notifications';
import { actionArguments, checkParameters, functionArguments, splitOperationSegment } from './parameters';
import { getPrintout } from './printout';
import {
	getAllParentDocuments,
	getAllowedCustomPropertyValues,
	getPropertyAllowedValues,
	recalculate,
} from './queries';
import type { OperationHandler } from './types';

export { functionArguments, splitOperationSegment } from './parameters';
export type { StoredNotification } from './stored-notification';
export type { OperationCall } from './types';
export { LEGACY_VERSION, serverVersion, compareVersions, unboundFunctions } from './unbound-functions';

const HANDLERS: Record<string, OperationHandler> = {
	ChangeState: changeState,
	Complete: complete,
	MakeVoid: makeVoid,
	GetPrintout: getPrintout,
	CreateNotification: createNotification,
	GetPropertyAllowedValues: getPropertyAllowedValues,
	GetAllowedCustomPropertyValues: getAllowedCustomPropertyValues,
	GetAllParentDocuments: getAllParentDocuments,
	Recalculate: recalculate,
};

/** The model page's method of that name for the set (own or inherited), if any. */
export function findMethod(set: EntitySetInfo, segment: string): MethodDefinition | undefined {
	const { name } = splitOperationSegment(segment);
	return set.definition.methods?.find((method) => method.name === name);
}

export function invokeBoundOperation(
	request: ODataRequest,
	set: EntitySetInfo,
	record: EntityRecord,
	segment: string,
	environment: RequestEnvironment,
): ODataResponse {
	const { name, argumentText } = splitOperationSegment(segment);
	const method = set.definition.methods?.find((candidate) => candidate.name === name);
	if (!method) throw new NotFoundError(`Resource not found for the segment '${name}'.`);
	// https://docs.erp.net/dev/domain-api/operations/index.html: actions are invoked with POST, functions with GET.
	const expected = method.isAction ? 'POST' : 'GET';
	if (request.method !== expected) {
		throw new HttpError(
			405,
			`'${name}' is ${method.isAction ? 'an action' : 'a function'}; invoke it with HTTP ${expected}.`,
			0,
			ODATA_EXCEPTION,
		);
	}
	if (method.isAction && argumentText !== undefined && argumentText.trim() !== '') {
		throw new HttpError(
			405,
			`'${name}' is an action: send its parameters in the JSON body, not in the URL.`,
			0,
			ODATA_EXCEPTION,
		);
	}
	const raw = method.isAction ? actionArguments(request.body, method) : functionArguments(argumentText, request.query);
	const parameters = checkParameters(method, raw);
	const handler = HANDLERS[name];
	if (!handler) throw new NotSupportedError(`The operation '${name}' is not implemented by the sandbox.`);
	return handler({ request, set, record, method, parameters, environment });
}
