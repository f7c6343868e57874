/** Everything a test may want to scan for leaked secrets: the error, its JSON and the run data. */
export function serializeForLeakCheck(...values: unknown[]): string {
	const seen = new WeakSet<object>();
	const parts: string[] = [];
	for (const value of values) {
		try {
			parts.push(
				JSON.stringify(value, (_key, inner: unknown) => {
					if (inner !== null && typeof inner === 'object') {
						if (seen.has(inner)) return '[circular]';
						seen.add(inner);
					}
					return inner;
				}) ?? '',
			);
		} catch {
			parts.push(String(value));
		}
		if (value instanceof Error) {
			const error = value as Error & { description?: unknown; messages?: unknown; cause?: unknown };
			parts.push(error.message, String(error.description ?? ''), String(error.stack ?? ''));
			parts.push(JSON.stringify(error.messages ?? []));
			if (error.cause instanceof Error) parts.push(serializeForLeakCheck(error.cause));
			else if (error.cause !== undefined) parts.push(serializeForLeakCheck(error.cause));
		}
	}
	return parts.join('\n');
}
