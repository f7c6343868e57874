import type { ODataQuery } from './types';

/** A GUID in its 8-4-4-4-12 hex form, as a regular-expression source (the one GUID pattern of the package). */
export const GUID_REGEX = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

const GUID_PATTERN = new RegExp(`^${GUID_REGEX}$`);
const ENTITY_SET_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
/** `Set(guid)`, optionally preceded by a service-root URL; ERP.net keys are unquoted GUIDs. */
const ENTITY_ID_PATTERN = new RegExp(`(?:^|/)([A-Za-z][A-Za-z0-9_]*)\\((${GUID_REGEX})\\)/?$`);

export function isGuid(value: string): boolean {
	return GUID_PATTERN.test(value);
}

export function isEntitySetName(value: string): boolean {
	return ENTITY_SET_PATTERN.test(value);
}

/** Splits `Set(guid)` or a URL ending in it into its parts; undefined when it is neither. */
export function parseEntityId(value: string): { entitySet: string; id: string } | undefined {
	const end = value.search(/[?#]/);
	const path = (end >= 0 ? value.slice(0, end) : value).trim();
	const match = ENTITY_ID_PATTERN.exec(path);
	return match ? { entitySet: match[1], id: match[2].toLowerCase() } : undefined;
}

/** The relative id ERP.net uses in `@odata.id`: `Crm_Sales_Customers(<guid>)`. */
export function entityId(entitySet: string, id: string): string {
	return `${entitySet}(${id.toLowerCase()})`;
}

/** An OData string literal: single quotes doubled, as OData ABNF requires. */
export function stringLiteral(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

/** Extracts the entity set name from a pasted Domain API URL (`.../domain/odata/<Set>...`, any API address). */
export function entitySetFromUrl(url: string): string | undefined {
	const match = /\/domain\/odata\/([A-Za-z][A-Za-z0-9_]*)/.exec(url);
	return match?.[1];
}

/** The entity set a locator value names: a pasted Domain API URL or the name itself. */
export function entitySetOf(locatorValue: unknown): string {
	const raw = String(locatorValue ?? '').trim();
	return entitySetFromUrl(raw) ?? raw;
}

/**
 * Encodes query options as the Domain API expects them: each value percent-encoded as one
 * parameter (spaces as %20), the `$` of option names kept literal.
 */
export function encodeQuery(query: ODataQuery | Record<string, string | number | boolean | undefined>): string {
	return Object.entries(query)
		.filter(([, value]) => value !== undefined && value !== '')
		.map(([key, value]) => `${encodeURIComponent(key).replace(/^%24/, '$')}=${encodeURIComponent(String(value))}`)
		.join('&');
}

/** Joins a list option (`$select`, `$orderby`) given as an array or a comma-separated string. */
export function joinList(value: unknown): string | undefined {
	const parts = (Array.isArray(value) ? value.map(String) : String(value ?? '').split(','))
		.map((part) => part.trim())
		.filter((part) => part !== '');
	return parts.length > 0 ? parts.join(',') : undefined;
}

/** A `$search` value: ERP.net's docs quote the search term (`$search="015"`). */
export function searchTerm(text: string): string {
	const trimmed = text.trim();
	return trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length > 1
		? trimmed
		: `"${trimmed.replace(/"/g, '\\"')}"`;
}
