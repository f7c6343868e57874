/** The body's own shape and its `@erpnet.action` (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html). */
import { ODataRequestError } from '../errors';
import type { EntitySetInfo } from '../model';
import type { JsonObject } from './types';

const ACTIONS = [
	'create',
	'update',
	'delete',
	'find',
	'findOrNull',
	'findOrCreate',
	'findSingle',
	'findSingleOrNull',
	'merge',
];

export function requireObject(body: unknown, set: EntitySetInfo): JsonObject {
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new ODataRequestError(`The request body must be a JSON object describing '${set.qualifiedType}'.`);
	}
	return body as JsonObject;
}

export function actionOf(object: JsonObject): string | undefined {
	const action = object['@erpnet.action'];
	if (action === undefined) return undefined;
	if (typeof action !== 'string' || !ACTIONS.includes(action)) {
		throw new ODataRequestError(
			`'${String(action)}' is not a valid @erpnet.action. Valid values: ${ACTIONS.join(', ')}.`,
		);
	}
	return action;
}

export function withoutAnnotations(object: JsonObject): JsonObject {
	return Object.fromEntries(Object.entries(object).filter(([name]) => !name.startsWith('@')));
}
