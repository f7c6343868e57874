import type { Response } from 'express';

/** The exception type of ERP.net's real error capture [dev:domain-api/data-manipulation/batch.md]. */
export const SERVER_EXCEPTION_TYPE = 'Aloe.EnterpriseOne.Server.ServerAPI.Exceptions.EnterpriseOneServerException';

export interface ErpNetError {
	message: string;
	code: number;
	type: string;
	info: string | null;
	messageFormat: string | null;
	parameters: unknown[] | null;
}

export interface ErpNetErrorBody {
	error: ErpNetError;
}

/** The Domain API error envelope, wrapped in `error` as in the real capture (docs/erpnet-api.md §4). */
export function erpNetErrorBody(
	message: string,
	details: Partial<Omit<ErpNetError, 'message'>> = {},
): ErpNetErrorBody {
	return {
		error: {
			message,
			code: details.code ?? 0,
			type: details.type ?? SERVER_EXCEPTION_TYPE,
			info: details.info ?? null,
			messageFormat: details.messageFormat ?? null,
			parameters: details.parameters ?? null,
		},
	};
}

export function sendErpNetError(
	res: Response,
	status: number,
	message: string,
	details?: Partial<Omit<ErpNetError, 'message'>>,
): void {
	res.status(status).json(erpNetErrorBody(message, details));
}
