import type { SandboxContext } from '../context';
import type { ApiSession } from './api-session';
import { randomHexId } from './keys';

/**
 * The text ERP.net reports when no licence slot is free (https://docs.erp.net/dev/auth/faq.html). The docs give only this name;
 * status and body are the sandbox's choice (DECISIONS.md, "Sessions and licences").
 */
export const LICENSE_EXHAUSTED_CODE = 'MaximumLicenseCountExceeded';

export class LicenseExhaustedError extends Error {
	constructor(readonly licenseCount: number) {
		super(
			`${LICENSE_EXHAUSTED_CODE}: all ${licenseCount} licenses are in use. A new session can be opened when a license becomes free.`,
		);
	}
}

/**
 * The session a token's request runs in https://docs.erp.net/dev/auth/sessions/token-session-relationship.html: opened on the
 * token's first API call, kept while requests keep coming, reopened on the next call after it closed. Opening
 * one takes a licence slot (https://docs.erp.net/dev/auth/sessions/license-slot.html); with every slot held by an open session it
 * throws `LicenseExhaustedError`.
 */
export function useSession(context: SandboxContext, jti: string, clientId: string, now = Date.now()): ApiSession {
	const current = context.sessions.get(jti);
	if (current && isOpen(context, current, now)) {
		current.lastActivityAt = now;
		return current;
	}
	if (openSessionCount(context, now) >= context.licenses.count) {
		context.counters.licenseRefusals += 1;
		throw new LicenseExhaustedError(context.licenses.count);
	}
	const session: ApiSession = { id: randomHexId(), jti, clientId, createdAt: now, lastActivityAt: now };
	context.sessions.set(jti, session);
	context.counters.sessionsOpened += 1;
	return session;
}

/** Sessions holding a licence slot now: neither inactive too long nor past their absolute lifetime. */
export function openSessionCount(context: SandboxContext, now = Date.now()): number {
	let open = 0;
	for (const session of context.sessions.values()) if (isOpen(context, session, now)) open += 1;
	return open;
}

function isOpen(context: SandboxContext, session: ApiSession, now: number): boolean {
	const { inactivityMs, absoluteMs } = context.licenses;
	return now - session.lastActivityAt < inactivityMs && now - session.createdAt < absoluteMs;
}
