import type { Response } from 'express';

import { ERP_SERVER_EXCEPTION, HttpError } from './odata/errors';
import { errorResponse, serializeBody } from './odata/request';

export { ERP_SERVER_EXCEPTION };

/** The Domain API's envelope (`{"error":{message,code,type,info,...}}`, odata/errors.ts) for errors raised outside it. */
export function sendErpNetError(res: Response, status: number, message: string, type = ERP_SERVER_EXCEPTION): void {
	sendHttpError(res, new HttpError(status, message, 0, type));
}

export function sendHttpError(res: Response, error: unknown): void {
	const response = errorResponse(error);
	res
		.status(response.status)
		.set(response.headers)
		.send(Buffer.from(serializeBody(response), 'utf8'));
}

export function erpNetErrorJson(message: string, status = 500): string {
	return serializeBody(errorResponse(new HttpError(status, message)));
}
