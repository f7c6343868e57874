import { sleep } from 'n8n-workflow';

/** A token as the token endpoint issued it. */
export interface ObtainedToken {
	accessToken: string;
	/** `expires_in` of the token response, in seconds, when the server sent one. */
	expiresInSeconds?: number;
	/** The `scope` the token response granted, when it said. */
	grantedScope?: string;
}

export type TokenFetcher = () => Promise<ObtainedToken>;

export interface SessionToken {
	value: string;
	obtainedAt: number;
	/** When ERP.net stops accepting it; undefined when unknown (then only a 401 replaces it). */
	expiresAt?: number;
	grantedScope?: string;
}

export interface SessionLimits {
	/** `SessionRpm`, https://docs.erp.net/tech/advanced/web-sites/rate-limits.html: 600. */
	requestsPerWindow: number;
	/** 60 s plus a second of margin for latency differences between sending and arrival. */
	windowMs: number;
	/** How long a request may wait for a free session before it fails. */
	maxWaitMs: number;
	/** After ERP.net refused a session for want of licences, requests on it fail at once for this long. */
	licenseBackoffMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
	requestsPerWindow: 600,
	windowMs: 61_000,
	maxWaitMs: 5 * 60_000,
	licenseBackoffMs: 30_000,
};

/** Replaced tokens kept for redaction per session: a slow answer may echo the one its request sent. */
const RETIRED_TOKENS_KEPT = 2;

/** The longest time before `expires_in` runs out at which a token is renewed. */
const MAX_RENEWAL_MARGIN_MS = 60_000;

/** Renew when a tenth of the lifetime (at most a minute) is left: "After this time elapses, request a new token". */
export function renewalDue(token: SessionToken, now: number): boolean {
	if (token.expiresAt === undefined) return false;
	const margin = Math.min(MAX_RENEWAL_MARGIN_MS, (token.expiresAt - token.obtainedAt) / 10);
	return now >= token.expiresAt - margin;
}

/**
 * One ERP.net session of this n8n process: its token (requested once, shared by every request that waits for
 * it, renewed shortly before it expires) and the pacing of its requests. Requests take turns on it through
 * the pool's gate, so at most one is in flight.
 */
export class ErpNetSession {
	token?: SessionToken;
	/** The token of the request running on this session through the gate, until it is answered. */
	inFlightToken?: string;
	/** The tokens this session held before its current one, newest first: an answer may still echo them. */
	readonly retiredTokens: string[] = [];
	licenseRefusedAt?: number;
	private pending?: Promise<SessionToken>;
	/** Send times within the current window, oldest first. */
	private readonly sent: number[] = [];

	constructor(
		readonly index: number,
		private readonly limits: () => SessionLimits,
	) {}

	/** The session's token: the current one, or one fresh request shared by every caller waiting for it. */
	async accessToken(fetch: TokenFetcher): Promise<string> {
		return (await this.currentToken(fetch)).value;
	}

	async currentToken(fetch: TokenFetcher): Promise<SessionToken> {
		if (this.token && !this.pending && !renewalDue(this.token, Date.now())) return this.token;
		return await this.renew(fetch);
	}

	/** Replaces `rejected` (answered 401) unless another caller already did. */
	async replaceToken(rejected: string | undefined, fetch: TokenFetcher): Promise<SessionToken> {
		if (rejected !== undefined && this.token?.value === rejected) {
			this.retire(rejected);
			this.token = undefined;
		}
		return await this.currentToken(fetch);
	}

	/** A token request of this session is under way. */
	get renewing(): boolean {
		return this.pending !== undefined;
	}

	/** Takes over a token this process did not request (a stored one); ignored while the session has its own. */
	adopt(token: SessionToken): void {
		if (!this.token && !this.pending) this.token = token;
	}

	renew(fetch: TokenFetcher): Promise<SessionToken> {
		if (!this.pending) {
			const requestedAt = Date.now();
			this.pending = fetch()
				.then((obtained) => {
					const expiresIn = Number(obtained.expiresInSeconds);
					if (this.token) this.retire(this.token.value);
					this.token = {
						value: obtained.accessToken,
						obtainedAt: requestedAt,
						expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? requestedAt + expiresIn * 1000 : undefined,
						grantedScope: obtained.grantedScope,
					};
					return this.token;
				})
				.finally(() => {
					this.pending = undefined;
				});
		}
		return this.pending;
	}

	private retire(token: string): void {
		if (this.retiredTokens.includes(token)) return;
		this.retiredTokens.unshift(token);
		this.retiredTokens.length = Math.min(this.retiredTokens.length, RETIRED_TOKENS_KEPT);
	}

	/** Every token this session holds, sends or recently held. */
	knownTokens(): string[] {
		return [this.token?.value, this.inFlightToken, ...this.retiredTokens].filter((token): token is string => !!token);
	}

	/** Waits until one more request keeps the session within `requestsPerWindow`, then counts it. */
	async pace(): Promise<void> {
		const { requestsPerWindow, windowMs } = this.limits();
		for (;;) {
			const now = Date.now();
			while (this.sent.length > 0 && now - this.sent[0] >= windowMs) this.sent.shift();
			if (this.sent.length < requestsPerWindow) {
				this.sent.push(now);
				return;
			}
			await sleep(this.sent[0] + windowMs - now);
		}
	}

	/** True while a recent licence refusal makes another attempt pointless. */
	licenseBackoffActive(now = Date.now()): boolean {
		return this.licenseRefusedAt !== undefined && now - this.licenseRefusedAt < this.limits().licenseBackoffMs;
	}
}
