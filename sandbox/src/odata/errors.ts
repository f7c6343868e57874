/**
 * Domain API errors. The body is the envelope of the real capture in https://docs.erp.net/dev/domain-api/data-manipulation/batch.html:
 * `{"error":{"message","code","type","info","messageFormat","parameters"}}`. https://docs.erp.net/dev/domain-api/data-manipulation/error-handling.html: "When an
 * error occurs during a Domain API operation, the service returns an HTTP status code 500", so everything
 * that the server raises while processing a request is 500; only protocol-level conditions (401, 403, 404,
 * 405, 413) use other statuses.
 */
export const ERP_SERVER_EXCEPTION = 'Aloe.EnterpriseOne.Server.ServerAPI.Exceptions.EnterpriseOneServerException';
export const ODATA_EXCEPTION = 'Microsoft.OData.ODataException';
/** https://docs.erp.net/dev/domain-api/querying-data/grouping.html shows the unqualified name for unsupported query features. */
export const NOT_SUPPORTED_EXCEPTION = 'NotSupportedException';

/** The code of the real R17342 validation failure in https://docs.erp.net/dev/domain-api/data-manipulation/batch.html. */
export const BUSINESS_RULE_CODE = 2029;

export interface ErrorEnvelope {
	error: {
		message: string;
		code: number;
		type: string;
		info: string;
		messageFormat: string | null;
		parameters: string[] | null;
	};
}

export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly code: number = 0,
		readonly type: string = ERP_SERVER_EXCEPTION,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = new.target.name;
	}

	toEnvelope(): ErrorEnvelope {
		return {
			error: {
				message: this.message,
				code: this.code,
				type: this.type,
				info: `${this.type}: ${this.message}`,
				messageFormat: null,
				parameters: null,
			},
		};
	}
}

/** A request the OData layer cannot parse or resolve (bad query option, unknown property, bad key, bad JSON). */
export class ODataRequestError extends HttpError {
	constructor(message: string) {
		super(500, message, 0, ODATA_EXCEPTION);
	}
}

/** A documented limitation of the Domain API, e.g. `or` in $filter (https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html). */
export class NotSupportedError extends HttpError {
	constructor(message: string) {
		super(500, message, 0, NOT_SUPPORTED_EXCEPTION);
	}
}

/** A validation or business-rule failure raised by the ERP.net server (HTTP 500, code 2029). */
export class BusinessRuleError extends HttpError {
	constructor(message: string, code = BUSINESS_RULE_CODE) {
		super(500, message, code, ERP_SERVER_EXCEPTION);
	}
}

export class NotFoundError extends HttpError {
	constructor(message: string) {
		super(404, message, 0, ERP_SERVER_EXCEPTION);
	}
}

export function toHttpError(error: unknown): HttpError {
	if (error instanceof HttpError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new HttpError(500, message, 0, 'System.Exception');
}

/** A JSON value that is not of the attribute's Edm type, worded as the OData library words it. */
export function conversionError(value: unknown, edmType: string): ODataRequestError {
	return new ODataRequestError(
		`Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${edmType}'.`,
	);
}
