/**
 * Reference access tokens (PAT/SAT) of https://docs.erp.net/dev/auth/tokens/reference-access-tokens.html: opaque `enrt_` strings,
 * issued by hand (here: `control.issueReferenceToken`, the test hook standing in for the Profile and Instance
 * Manager sites of https://docs.erp.net/dev/auth/tokens/issuing-reference-tokens.html), with an expiration time, revocable at once,
 * and stored only as a hash ("never stores them in plain text").
 */
import { createHash, randomBytes } from 'node:crypto';

import type { SandboxContext } from '../context';
import { randomHexId } from './keys';
import type { ReferenceTokenKind, ReferenceTokenRecord } from './reference-token-record';
import { InvalidTokenError } from './tokens';
import { findTrustedApplication } from './trusted-applications';

export type { ReferenceTokenKind, ReferenceTokenRecord } from './reference-token-record';

export const REFERENCE_TOKEN_PREFIX = 'enrt_';
/** `enrt_` and 64 upper-case hex characters, the shape of the documented example. */
export const REFERENCE_TOKEN_PATTERN = /^enrt_[0-9A-F]{64}$/;

export interface IssueReferenceTokenOptions {
	/** Default 'SAT' (an administrator's token for the trusted application's system user). */
	kind?: ReferenceTokenKind;
	/** Trusted application the token belongs to; default: the sandbox's default client. */
	clientId?: string;
	/** Default: every scope of the trusted application. Must be a subset of them. */
	scopes?: string[];
	/** Lifetime from now; default 30 days. Ignored when `expiresAt` is given. */
	lifetimeSeconds?: number;
	/** Absolute expiration time. */
	expiresAt?: Date;
}

export interface IssuedReferenceToken {
	token: string;
	id: string;
	expiresAt: Date;
}

const DEFAULT_LIFETIME_SECONDS = 30 * 24 * 3600;

export function hashReferenceToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function issueReferenceToken(
	context: SandboxContext,
	defaultClientId: string,
	options: IssueReferenceTokenOptions = {},
): IssuedReferenceToken {
	const clientId = options.clientId ?? defaultClientId;
	const app = findTrustedApplication(context, clientId);
	if (!app || !app.isEnabled)
		throw new Error(`No enabled trusted application '${clientId}' to issue a reference token for`);
	const kind = options.kind ?? 'SAT';
	if (kind === 'SAT' && !app.systemUserAllowed) {
		throw new Error(
			`A SAT needs SystemUserAllowed on '${clientId}' (https://docs.erp.net/dev/auth/tokens/reference-access-tokens.html)`,
		);
	}
	const scopes = options.scopes ?? app.scopes;
	const unknown = scopes.filter((scope) => !app.scopes.includes(scope));
	if (unknown.length > 0) throw new Error(`Scopes ${unknown.join(', ')} are not allowed for '${clientId}'`);
	const now = Math.floor(Date.now() / 1000);
	const expiresAt = options.expiresAt
		? Math.floor(options.expiresAt.getTime() / 1000)
		: now + (options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS);
	const token = `${REFERENCE_TOKEN_PREFIX}${randomBytes(32).toString('hex').toUpperCase()}`;
	const record: ReferenceTokenRecord = {
		id: randomHexId(),
		kind,
		clientId,
		scopes: [...scopes],
		createdAt: now,
		expiresAt,
		revoked: false,
	};
	context.referenceTokens.set(hashReferenceToken(token), record);
	return { token, id: record.id, expiresAt: new Date(expiresAt * 1000) };
}

/** Revokes by token value or by id; false when no such token exists. */
export function revokeReferenceToken(context: SandboxContext, tokenOrId: string): boolean {
	const record =
		context.referenceTokens.get(hashReferenceToken(tokenOrId)) ??
		[...context.referenceTokens.values()].find((candidate) => candidate.id === tokenOrId);
	if (!record) return false;
	record.revoked = true;
	return true;
}

export function revokeAllReferenceTokens(context: SandboxContext): void {
	for (const record of context.referenceTokens.values()) record.revoked = true;
}

/** Looks the token up "on each request" (https://docs.erp.net/dev/auth/concepts/identity-server.html); throws `InvalidTokenError`. */
export function verifyReferenceToken(context: SandboxContext, token: string, now = Date.now()): ReferenceTokenRecord {
	if (!REFERENCE_TOKEN_PATTERN.test(token)) throw new InvalidTokenError('The reference token is malformed');
	const record = context.referenceTokens.get(hashReferenceToken(token));
	if (!record) throw new InvalidTokenError('The reference token is unknown');
	if (record.revoked) throw new InvalidTokenError('The token has been revoked');
	if (now >= record.expiresAt * 1000) {
		throw new InvalidTokenError(`The token expired at '${new Date(record.expiresAt * 1000).toISOString()}'`);
	}
	record.lastUsedAt = now;
	return record;
}

/** The key a reference token's session is filed under (jti for JWTs). */
export function referenceTokenSessionKey(record: ReferenceTokenRecord): string {
	return `ref:${record.id}`;
}
