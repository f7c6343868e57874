/**
 * Unbound functions of the OData service: GetVersion, GetRenamedEntityTypes
 * (https://docs.erp.net/dev/domain-api/common-tasks/handling-renames.html) and GetRepositoryEvents
 * (https://docs.erp.net/dev/domain-api/operations/get-repository-events.html).
 */
import { getRepositoryEvents } from '../../webhooks/get-repository-events';
import { HttpError } from '../errors';
import type { ModelIndex } from '../model';
import { jsonResponse } from '../request/json';
import type { ODataRequest, RequestEnvironment } from '../request/types';

type UnboundFunctions = NonNullable<RequestEnvironment['functions']>;

/** Newest version named in the model's rename list, at least 26.2 (the version with server-driven paging). */
const MODERN_VERSION_FLOOR = '26.2.0.0';
/** What GetVersion reports when the sandbox emulates a server older than 26.2. */
export const LEGACY_VERSION = '26.1.0.0';

/** The unbound functions, answered before entity sets are looked up (`RequestEnvironment.functions`). */
export function unboundFunctions(): UnboundFunctions {
	return {
		GetVersion: (request, environment) => {
			requireGet(request);
			return jsonResponse(200, {
				'@odata.context': `${environment.serviceRoot}$metadata#Erp.OpenObject`,
				version: serverVersion(environment.model, environment.legacy),
			});
		},
		GetRepositoryEvents: (request, environment) => {
			requireGet(request);
			return jsonResponse(200, getRepositoryEvents(request, environment.model));
		},
		GetRenamedEntityTypes: (request, environment) => {
			requireGet(request);
			const version = serverVersion(environment.model, environment.legacy);
			const renames = environment.model.model.renames.filter((rename) => compareVersions(rename.version, version) <= 0);
			return jsonResponse(200, {
				'@odata.context': `${environment.serviceRoot}$metadata#Collection(Erp.OpenObject)`,
				value: renames.map((rename) => ({ OldName: rename.oldName, NewName: rename.newName, Version: rename.version })),
			});
		},
	};
}

function requireGet(request: ODataRequest): void {
	if (request.method !== 'GET')
		throw new HttpError(405, `'${request.resourcePath}' is a function; use GET.`, 0, 'Microsoft.OData.ODataException');
}

export function serverVersion(model: ModelIndex, legacy: boolean): string {
	if (legacy) return LEGACY_VERSION;
	return model.model.renames.reduce(
		(newest, rename) => (compareVersions(rename.version, newest) > 0 ? rename.version : newest),
		MODERN_VERSION_FLOOR,
	);
}

export function compareVersions(left: string, right: string): number {
	const leftParts = left.split('.').map(Number);
	const rightParts = right.split('.').map(Number);
	for (let index = 0; index < Math.max(leftParts.length, rightParts.length); index++) {
		const difference = (leftParts[index] ?? 0) - (rightParts[index] ?? 0);
		if (difference !== 0) return difference;
	}
	return 0;
}
