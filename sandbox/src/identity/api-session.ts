/**
 * An open Domain API session (https://docs.erp.net/dev/auth/sessions/token-session-relationship.html), as the sandbox context holds it
 * (`context.sessions`, by token jti); `identity/sessions.ts` opens and closes them.
 */
export interface ApiSession {
	id: string;
	jti: string;
	clientId: string;
	createdAt: number;
	lastActivityAt: number;
}
