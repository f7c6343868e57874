/** OData JSON answers and the error envelope, and their text as ERP.net writes it. */
import { toHttpError } from '../errors';
import { ODATA_JSON_CONTENT_TYPE } from '../query';
import type { ODataResponse, RequestEnvironment } from './types';

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

/**
 * JSON with non-ASCII characters escaped as `\uXXXX`, as in the real capture (`"BG":"\u041c\u0438\u0442\u043e"`);
 * error envelopes also escape `'` (`\u0027PRD-005\u0027` in https://docs.erp.net/dev/domain-api/data-manipulation/batch.html), as System.Text.Json does.
 */
export function toErpJson(value: unknown, escapeHtmlSensitive = false): string {
	const json = JSON.stringify(value);
	const pattern = escapeHtmlSensitive ? /[\u007f-\uffff'<>&+]/g : /[\u007f-\uffff]/g;
	return json.replace(pattern, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function serializeBody(response: ODataResponse): string {
	if (response.body === undefined) return '';
	if (typeof response.body === 'string') return response.body;
	const isError = !!response.body && typeof response.body === 'object' && 'error' in response.body;
	return toErpJson(response.body, isError);
}

/** The service document: the entity sets at the service root (OData JSON Format 4.0, 5 "Service Document"). */
export function serviceDocument(environment: RequestEnvironment): ODataResponse {
	return jsonResponse(200, {
		'@odata.context': `${environment.serviceRoot}$metadata`,
		value: environment.model.sets.map((set) => ({ name: set.name, kind: 'EntitySet', url: set.name })),
	});
}
