import type { SandboxContext } from '../context';
import { randomHexId } from './keys';

/** [dev:auth/sessions/overview.md]: 20 minutes sliding; service sessions also end 1 hour after creation. */
export const SESSION_INACTIVITY_MS = 20 * 60 * 1000;
export const SERVICE_SESSION_MAX_AGE_MS = 60 * 60 * 1000;

export interface ApiSession {
	id: string;
	jti: string;
	clientId: string;
	createdAt: number;
	lastActivityAt: number;
}

/** The session a token's request runs in: opened on the token's first API call, reopened after it ends. */
export function useSession(context: SandboxContext, jti: string, clientId: string, now = Date.now()): ApiSession {
	const current = context.sessions.get(jti);
	if (current && isOpen(current, now)) {
		current.lastActivityAt = now;
		return current;
	}
	const session: ApiSession = { id: randomHexId(), jti, clientId, createdAt: now, lastActivityAt: now };
	context.sessions.set(jti, session);
	return session;
}

function isOpen(session: ApiSession, now: number): boolean {
	return now - session.lastActivityAt < SESSION_INACTIVITY_MS && now - session.createdAt < SERVICE_SESSION_MAX_AGE_MS;
}
