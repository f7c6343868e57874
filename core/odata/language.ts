/**
 * Multi-language values (https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html):
 * keyed by the two-letter ISO language name, and "all pairs are updated simultaneously", so changing one
 * language means sending every pair.
 */

/** The key ERP.net uses for a language option: `en-US`, `en_us`, `EN` → `EN`. Undefined when it is not a language. */
export function languageKey(language: string | undefined): string | undefined {
	const match = /^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9-]*)?\s*$/.exec(language ?? '');
	return match ? match[1].toUpperCase() : undefined;
}

/** The stored pairs with one language changed; an existing key of any case (`en`, `EN`) is replaced. */
export function withLanguage(current: unknown, key: string, text: string): Record<string, string> {
	const pairs: Record<string, string> = {};
	if (current && typeof current === 'object' && !Array.isArray(current)) {
		for (const [language, value] of Object.entries(current as Record<string, unknown>)) {
			if (language.toUpperCase() !== key && typeof value === 'string') pairs[language] = value;
		}
	}
	pairs[key] = text;
	return pairs;
}
