import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isGuid } from '../odata/syntax';

/** The language and ERP.net context parameters a request runs with. */
export interface ContextOptions {
	language?: string;
	enterpriseCompanyId?: string;
	enterpriseCompanyLocationId?: string;
	roleId?: string;
}

/**
 * `Accept-Language` and the ERP.net context parameters, one `Prefer` header each
 * (https://docs.erp.net/dev/domain-api/common-tasks/context-parameters.html).
 */
export function contextHeaders(node: INode, options: ContextOptions, itemIndex?: number): IDataObject {
	const headers: IDataObject = {};
	if (options.language) headers['Accept-Language'] = acceptLanguage(node, options.language, itemIndex);
	const preferences: string[] = [];
	const context: Array<[string, string | undefined]> = [
		['CurrentEnterpriseCompanyId', options.enterpriseCompanyId],
		['CurrentEnterpriseCompanyLocationId', options.enterpriseCompanyLocationId],
		['CurrentRoleId', options.roleId],
	];
	for (const [name, value] of context) {
		const id = (value ?? '').trim();
		if (id === '') continue;
		if (!isGuid(id)) {
			throw new NodeOperationError(node, `${name} must be a GUID, not "${id}"`, { itemIndex });
		}
		preferences.push(`${name}=${id}`);
	}
	if (preferences.length === 1) headers.Prefer = preferences[0];
	if (preferences.length > 1) headers.Prefer = preferences;
	return headers;
}

/**
 * Language codes and `Accept-Language` lists (`en`, `bg-BG`, `en-US,en;q=0.8`); a line break is refused, never
 * stripped.
 */
const ACCEPT_LANGUAGE = /^[A-Za-z0-9*_,;=. -]*$/;

function acceptLanguage(node: INode, language: string, itemIndex: number | undefined): string {
	const value = String(language).trim();
	if (/[\r\n]/.test(String(language)) || !ACCEPT_LANGUAGE.test(value)) {
		throw new NodeOperationError(
			node,
			`Language "${JSON.stringify(String(language)).slice(1, -1)}" is not a language code`,
			{
				itemIndex,
				description: 'Give a language code such as en or bg-BG, on one line: it is sent as the Accept-Language header.',
			},
		);
	}
	return value;
}
