/** Token sources and waits shared by the session tests. */
import type { ObtainedToken, TokenFetcher } from '../../../core/session';
import { configureSessionLimits } from '../../../core/session';
import { DEFAULT_SESSION_LIMITS } from '../../../core/session/session';

export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A token endpoint stand-in: `token-1`, `token-2`, ... after a short delay, counting what it issued. */
export function tokenSource(expiresInSeconds?: number, grantedScope?: string) {
	let issued = 0;
	const fetch: TokenFetcher = async (): Promise<ObtainedToken> => {
		await wait(20);
		issued += 1;
		return { accessToken: `token-${issued}`, expiresInSeconds, grantedScope };
	};
	return {
		get issued() {
			return issued;
		},
		fetch,
	};
}

/** Every test starts with the default limits (a test that changes them must not leak into the next one). */
export function useDefaultSessionLimits(): void {
	beforeEach(() => configureSessionLimits(DEFAULT_SESSION_LIMITS));
	afterAll(() => configureSessionLimits(DEFAULT_SESSION_LIMITS));
}
