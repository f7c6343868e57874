import type { ICredentialTestRequest, IDataObject } from 'n8n-workflow';

import { INSTANCE_URL_EXPRESSION } from '../instanceUrl';

/**
 * What the user can fix when ERP.net refuses the test read; the wording depends on how the credential authenticates.
 */
export interface CredentialTestRefusals {
	/** HTTP 401: the token was rejected. */
	unauthorized: string;
	/** HTTP 403: the token's user may not read General_Currencies_Currencies. */
	forbidden: string;
}

/**
 * The test both credential types run: one cheap authenticated Domain API read, with a message saying what to fix
 * for each refusal. `headers` are added to `Accept: application/json`.
 */
export function domainApiCredentialTest(
	refusals: CredentialTestRefusals,
	headers: IDataObject = {},
): ICredentialTestRequest {
	return {
		request: {
			baseURL: INSTANCE_URL_EXPRESSION,
			url: '/api/domain/odata/General_Currencies_Currencies?$top=1&$select=Id',
			method: 'GET',
			headers: { Accept: 'application/json', ...headers },
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: refusals.unauthorized } },
			{ type: 'responseCode', properties: { value: 403, message: refusals.forbidden } },
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The ERP.net Domain API was not found under this Instance URL (HTTP 404). Check the Instance URL, e.g. ' +
						'https://demodb.my.erp.net. If the instance serves its Domain API on another address and does not ' +
						'publish it through auto-discovery, set Domain API Root.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'ERP.net is rate limiting this client (HTTP 429). Try the test again in a minute.',
				},
			},
		],
	};
}
