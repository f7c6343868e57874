/** A loosely typed value (a credential field, a field of a JSON answer) as text: `undefined`/`null` become `''`. */
export function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return typeof value === 'string' ? value : String(value);
}
