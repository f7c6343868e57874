/**
 * Values that come from input items are data, never ERP.net instructions: an `@erpnet.*` or `@odata.*` key
 * inside a mapped value would make ERP.net create, delete or re-target records
 * (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html). The JSON input mode, where the
 * user writes the request body on purpose, is not checked.
 */
const INSTRUCTION_KEY = /^@(erpnet|odata)\.|@(erpnet|odata)\./i;

/** The first instruction key inside a value (nested objects and arrays included), with its path. */
export function findInstructionKey(value: unknown, path = ''): string | undefined {
	if (Array.isArray(value)) {
		for (const [index, entry] of value.entries()) {
			const found = findInstructionKey(entry, `${path}[${index}]`);
			if (found) return found;
		}
		return undefined;
	}
	if (!value || typeof value !== 'object') return undefined;
	for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
		if (INSTRUCTION_KEY.test(key)) return path ? `${path}.${key}` : key;
		const found = findInstructionKey(entry, path ? `${path}.${key}` : key);
		if (found) return found;
	}
	return undefined;
}
