/**
 * DisplayText from a repository's "Display Format" (model pages, "## Visualization"), e.g.
 * `{Party.PartyName:T}` or `{Name} <{Login}> [{UserType:DB}]`. `:T` picks the text of a
 * multi-language value, `:DB` the database value of an enum member.
 */
import { attribute, getEntitySet } from '../schema';
import type { WireRecord, WireValue } from './wire';
import { isReferenceValue } from './wire';

/** Finds the record a reference points to, with the set it is stored in. */
export type ReferenceResolver = (odataId: string) => { setName: string; record: WireRecord } | undefined;

const PLACEHOLDER = /\{([A-Za-z0-9_.]+)(?::([A-Za-z]+))?\}/g;
const DISPLAY_LANGUAGES = ['EN', 'BG'];

type FormatPart = string | { path: string[]; modifier?: string };

const compiledFormats = new Map<string, FormatPart[]>();

/** Splits a format once into literal text and `{Path:Modifier}` placeholders. */
function compile(format: string): FormatPart[] {
	let parts = compiledFormats.get(format);
	if (parts) return parts;
	parts = [];
	let last = 0;
	for (const match of format.matchAll(PLACEHOLDER)) {
		if (match.index > last) parts.push(format.slice(last, match.index));
		parts.push({ path: match[1].split('.'), modifier: match[2] });
		last = match.index + match[0].length;
	}
	if (last < format.length) parts.push(format.slice(last));
	compiledFormats.set(format, parts);
	return parts;
}

export function formatDisplayText(
	setName: string,
	record: WireRecord,
	resolve: ReferenceResolver,
	format = getEntitySet(setName)?.displayFormat,
): string {
	if (!format) return '';
	let text = '';
	for (const part of compile(format)) {
		text += typeof part === 'string' ? part : formatValue(valueAt(setName, record, part.path, resolve), part.modifier);
	}
	return text.trim();
}

interface ResolvedValue {
	value: WireValue | undefined;
	setName: string;
	name: string;
}

function valueAt(setName: string, record: WireRecord, path: string[], resolve: ReferenceResolver): ResolvedValue {
	let currentSet = setName;
	let current: WireRecord | undefined = record;
	for (const [index, name] of path.entries()) {
		const value: WireValue | undefined = current?.[name];
		if (index === path.length - 1) return { value, setName: currentSet, name };
		if (!isReferenceValue(value)) break;
		const target = resolve(value['@odata.id']);
		currentSet = target?.setName ?? currentSet;
		current = target?.record;
	}
	return { value: undefined, setName: currentSet, name: path[path.length - 1] };
}

function formatValue({ value, setName, name }: ResolvedValue, modifier: string | undefined): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return formatScalar(value, setName, name, modifier);
	if ('Currency' in value) return `${value.Value} ${value.Currency}`;
	if ('Unit' in value) return `${value.Value} ${value.Unit}`;
	if (isReferenceValue(value)) return '';
	const texts = value as Record<string, string>;
	const language = DISPLAY_LANGUAGES.find((code) => texts[code]) ?? Object.keys(texts)[0];
	return language ? texts[language] : '';
}

function formatScalar(
	value: string | number | boolean,
	setName: string,
	name: string,
	modifier: string | undefined,
): string {
	const definition = attribute(setName, name);
	if (modifier === 'DB' && definition?.enumValues) {
		return definition.enumValues.find((member) => member.name === value)?.databaseValue.trim() ?? String(value);
	}
	if (definition?.type === 'Date' && typeof value === 'string') return value.slice(0, 10);
	return String(value);
}
