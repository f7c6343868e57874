/** What ERP.net answers when every licence slot is in use: https://docs.erp.net/dev/auth/faq.html */
export const LICENSE_EXHAUSTED_CODE = 'MaximumLicenseCountExceeded';

/**
 * Whether an error (or a response body, or anything nested in it) carries ERP.net's licence-exhausted code.
 * The docs give only the code, not the status or body, so every string reachable in a few levels counts.
 */
export function mentionsLicenseExhausted(value: unknown): boolean {
	const seen = new Set<unknown>();
	const visit = (current: unknown, depth: number): boolean => {
		if (typeof current === 'string') return current.includes(LICENSE_EXHAUSTED_CODE);
		if (Buffer.isBuffer(current)) return current.toString('utf8').includes(LICENSE_EXHAUSTED_CODE);
		if (current === null || typeof current !== 'object' || depth > 6 || seen.has(current)) return false;
		seen.add(current);
		const record = current as Record<string, unknown>;
		const keys = new Set([...Object.keys(record), 'message', 'description', 'cause', 'response', 'data', 'body']);
		for (const key of keys) {
			// request options hold the outgoing request, not the server's answer
			if (key === 'config' || key === 'request' || key === 'options') continue;
			let child: unknown;
			try {
				child = record[key];
			} catch {
				continue;
			}
			if (visit(child, depth + 1)) return true;
		}
		return false;
	};
	return visit(value, 0);
}
