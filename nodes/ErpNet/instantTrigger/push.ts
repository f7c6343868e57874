/**
 * Only ERP.net gets in: a push must carry the registration's secret header and a body that this registration's
 * template renders (its code, its repository, a record Id). Nothing of the secret is echoed.
 */
import type { IDataObject } from 'n8n-workflow';

import { pushedGuid } from './interpolation';
import type { Registration } from './registration';
import { PUSH_HEADER, secretMatches } from './registration';

export type PushCheck = { accepted: true; id: string } | { accepted: false; status: 400 | 401; message: string };

function bodyObject(body: unknown): IDataObject | undefined {
	let parsed = body;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		try {
			parsed = JSON.parse(body.toString());
		} catch {
			return undefined;
		}
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDataObject) : undefined;
}

export function checkPush(
	headers: Record<string, unknown>,
	body: unknown,
	registration: Registration | undefined,
): PushCheck {
	if (!registration) return { accepted: false, status: 401, message: 'This trigger has no push registration' };
	const presented = headers[PUSH_HEADER];
	if (!secretMatches(Array.isArray(presented) ? presented[0] : presented, registration.secretDigest)) {
		return { accepted: false, status: 401, message: 'Missing or wrong push secret' };
	}
	const event = bodyObject(body);
	if (!event || event.registration !== registration.webhookCode) {
		return { accepted: false, status: 400, message: 'The body is not an event of this registration' };
	}
	if (event.repository !== registration.repository) {
		return { accepted: false, status: 400, message: 'The event is for another repository' };
	}
	const id = pushedGuid(event.id);
	if (!id) return { accepted: false, status: 400, message: 'The event names no record Id' };
	return { accepted: true, id };
}
