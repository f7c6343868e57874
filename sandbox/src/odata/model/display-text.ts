/**
 * DisplayText: the repository's display format (model pages, "Display Format: {Party.PartyName:T}") applied
 * to a record. `:T` and other format suffixes are ignored except that multi-language values are shown in the
 * requested language. Also used by $search (https://docs.erp.net/dev/domain-api/querying-data/query-options/search.html) and `contains(NavigationProperty,'x')` (https://docs.erp.net/dev/domain-api/querying-data/query-options/filter.html).
 */
import type { EntityRecord } from '../../store/memory-store';
import { attributeValue, type EntitySetInfo, type ModelIndex } from './model-index';

export interface ValueResolver {
	model: ModelIndex;
	/** The record a reference value (`{"@odata.id":"Set(guid)"}`) points to. */
	resolveReference(value: unknown): EntityRecord | undefined;
	/** Two-letter language code, e.g. `EN`. */
	language?: string;
}

export function isMultilanguageValue(value: unknown): value is Record<string, string> {
	return (
		!!value && typeof value === 'object' && !Array.isArray(value) && !('@odata.id' in value) && !('Value' in value)
	);
}

/** The text of a multi-language value in `language`, falling back to English and then to any language. */
export function translate(value: Record<string, unknown>, language = 'EN'): string {
	const wanted = language.toUpperCase();
	const entries = Object.entries(value).filter(([, text]) => typeof text === 'string') as [string, string][];
	const match =
		entries.find(([key]) => key.toUpperCase() === wanted) ??
		entries.find(([key]) => key.toUpperCase() === 'EN') ??
		entries[0];
	return match ? match[1] : '';
}

/** Follows a dotted member path (`Party.PartyName`) from a record; references are resolved. */
export function readMemberPath(
	set: EntitySetInfo,
	record: EntityRecord,
	path: string[],
	resolver: ValueResolver,
): { value: unknown; set: EntitySetInfo } | undefined {
	const [head, ...rest] = path;
	const value = attributeValue(set, record, head);
	if (rest.length === 0) return { value, set };
	const reference = set.referenceByName.get(head);
	const target = reference ? resolver.model.getSet(reference.targetSet) : undefined;
	const referenced = target ? resolver.resolveReference(value) : undefined;
	if (!target || !referenced) return undefined;
	return readMemberPath(target, referenced, rest, resolver);
}

export function valueToText(value: unknown, resolver: ValueResolver, depth = 0): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value);
	if ('@odata.id' in value) {
		const located = resolver.resolveReference(value);
		const set = located ? findSetOf(value, resolver) : undefined;
		return located && set && depth < 4 ? displayText(set, located, resolver, depth + 1) : '';
	}
	if ('Value' in value) return String((value as { Value: unknown }).Value ?? '');
	return translate(value as Record<string, unknown>, resolver.language);
}

function findSetOf(reference: object, resolver: ValueResolver): EntitySetInfo | undefined {
	const odataId = (reference as { '@odata.id': string })['@odata.id'];
	const open = odataId.lastIndexOf('(');
	return resolver.model.getSet(open > 0 ? odataId.slice(odataId.lastIndexOf('/') + 1, open) : odataId);
}

export function displayText(set: EntitySetInfo, record: EntityRecord, resolver: ValueResolver, depth = 0): string {
	const format = set.definition.displayFormat;
	if (!format) return fallbackDisplayText(set, record, resolver, depth);
	let text = '';
	let position = 0;
	while (position < format.length) {
		const open = format.indexOf('{', position);
		if (open < 0) break;
		const close = format.indexOf('}', open);
		if (close < 0) break;
		text += format.slice(position, open);
		const placeholder = format.slice(open + 1, close);
		const colon = placeholder.indexOf(':');
		const path = (colon < 0 ? placeholder : placeholder.slice(0, colon)).split('.');
		const member = readMemberPath(set, record, path, resolver);
		text += member ? valueToText(member.value, resolver, depth) : '';
		position = close + 1;
	}
	return text + format.slice(position);
}

function fallbackDisplayText(set: EntitySetInfo, record: EntityRecord, resolver: ValueResolver, depth: number): string {
	if (typeof record.DisplayText === 'string') return record.DisplayText;
	const member = set.definition.nameMember ?? set.definition.codeMember;
	const value = member ? readMemberPath(set, record, member.split('.'), resolver) : undefined;
	return value ? valueToText(value.value, resolver, depth) : '';
}
