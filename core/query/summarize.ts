import { AMOUNT_OR_QUANTITY_TYPE, MULTILANGUAGE_TYPE } from '../odata/modelTypes';
import type { ModelAttribute, ModelReference, ModelRepositoryDetails } from '../odata/types';

/**
 * Grouped totals with `$apply` (https://docs.erp.net/dev/domain-api/querying-data/grouping.html): which fields may be
 * grouped or aggregated, the checks ERP.net makes (done here before any request), and the `$apply` text.
 * The docs describe dimensions and measures by kind: "references, dates, booleans, enum-like values, short strings"
 * and "amounts, quantities, and other numeric business values"; sandbox/src/odata/DECISIONS.md "Grouping" fixes them.
 */

export type AggregateFunction = 'count' | 'sum' | 'min' | 'max' | 'countdistinct';
export type GroupInterval = 'value' | 'yearmonth' | 'year' | 'date';

/** One "Group By" row. */
export interface GroupKeyRow {
	field: string;
	interval?: GroupInterval;
	/** Output name of an interval key; defaults to the field and interval, e.g. DocumentDateYearMonth. */
	alias?: string;
}

/** One "Aggregations" row. */
export interface AggregationRow {
	aggregation: AggregateFunction;
	field?: string;
	alias?: string;
}

export class SummarizeError extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
	}
}

/** A field of the model as the summary sees it: an attribute or a reference, possibly through references. */
export interface SummaryField {
	/** `Product`, `SalesOrder/Customer`, `SalesOrder/DocumentDate`. */
	path: string;
	attribute?: ModelAttribute;
	reference?: ModelReference;
}

/** Text longer than this is not a "short string" dimension. */
export const MAX_DIMENSION_TEXT_LENGTH = 256;
const DIMENSION_TYPE = /^Edm\.(Boolean|Date|DateTimeOffset|Guid|Byte|Int16|Int32|Int64)$/;
const MEASURE_TYPE = /^Edm\.(Byte|Int16|Int32|Int64|Decimal|Double|Single)$/;
const DATE_TYPE = /^Edm\.(Date|DateTimeOffset)$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;
export const GROUPING_DOCS = 'https://docs.erp.net/dev/domain-api/querying-data/grouping.html';

function isEnum(attribute: ModelAttribute): boolean {
	const type = attribute.Type ?? '';
	return (
		(attribute.enumValues?.length ?? 0) > 0 ||
		(type.startsWith('Erp.') && !AMOUNT_OR_QUANTITY_TYPE.test(type) && !MULTILANGUAGE_TYPE.test(type))
	);
}

/** A value that can identify a group: references, dates, booleans, enums, GUIDs, integers, short text. */
export function isDimension(field: SummaryField): boolean {
	const attribute = field.attribute;
	if (!attribute) return !!field.reference;
	const type = attribute.Type ?? '';
	if (type === 'Edm.String') {
		const length = attribute.BaseInfo?.MaxLength ?? 0;
		return length > 0 && length <= MAX_DIMENSION_TEXT_LENGTH;
	}
	return DIMENSION_TYPE.test(type) || isEnum(attribute);
}

/** A value that can be summed, or given its minimum or maximum: numbers, amounts, quantities. */
export function isMeasure(field: SummaryField): boolean {
	const type = field.attribute?.Type ?? '';
	return MEASURE_TYPE.test(type) || AMOUNT_OR_QUANTITY_TYPE.test(type);
}

export function isDate(field: SummaryField): boolean {
	return DATE_TYPE.test(field.attribute?.Type ?? '');
}

/** Whether `fn` accepts the field ("Groupable and aggregatable properties": sum numeric, min/max measures only). */
export function aggregatable(field: SummaryField, fn: AggregateFunction): boolean {
	if (fn === 'count') return true;
	if (fn === 'countdistinct') return isDimension(field) || isMeasure(field);
	return isMeasure(field);
}

/** A reference a key path may follow: ownership or filterable ("Paths through references"). */
export function isFollowable(reference: ModelReference): boolean {
	return (
		reference.IsOwnership === true ||
		reference.IsFilterable === true ||
		reference.BaseInfo?.Subtype === 'FilterableReference'
	);
}

/** The fields of one entity set, prefixed by the reference path that leads to it. */
export function fieldsOf(model: ModelRepositoryDetails, prefix = ''): SummaryField[] {
	const attributes = (model.Attributes ?? []).map((attribute) => ({ path: `${prefix}${attribute.Name}`, attribute }));
	const references = (model.References ?? []).map((reference) => ({ path: `${prefix}${reference.Name}`, reference }));
	return [...attributes, ...references];
}

/** Resolves a path through models; `modelOf` reads a referenced set's model. */
export async function resolveField(
	path: string,
	model: ModelRepositoryDetails,
	modelOf: (entitySet: string) => Promise<ModelRepositoryDetails>,
): Promise<SummaryField> {
	const trimmed = path.trim();
	if (!PATH.test(trimmed))
		throw new SummarizeError(
			`"${trimmed}" is not a field name or path`,
			'Write a field, or a path through references such as SalesOrder/Customer.',
		);
	const segments = trimmed.split('/');
	let current = model;
	for (let index = 0; index < segments.length; index++) {
		const name = segments[index];
		const attribute = current.Attributes?.find((candidate) => candidate.Name === name);
		const reference = current.References?.find((candidate) => candidate.Name === name);
		const last = index === segments.length - 1;
		if (last && (attribute || reference)) return { path: trimmed, attribute, reference };
		if (current.ChildCollections?.some((child) => child.Name === name)) {
			throw new SummarizeError(
				`"${trimmed}" goes through the child collection ${name}`,
				`ERP.net does not group or aggregate through child collections (${GROUPING_DOCS}).`,
			);
		}
		if (!reference)
			throw new SummarizeError(
				`${current.Name} has no field "${name}" (in "${trimmed}")`,
				'Pick a field from the list.',
			);
		if (!isFollowable(reference)) {
			throw new SummarizeError(
				`"${trimmed}" follows ${name}, which is neither an ownership nor a filterable reference`,
				`ERP.net groups only through ownership and filterable references (${GROUPING_DOCS}#paths-through-references).`,
			);
		}
		if (!reference.ReferencedEntitySet)
			throw new SummarizeError(`The model does not say which entity set ${name} points to`);
		current = await modelOf(reference.ReferencedEntitySet);
	}
	throw new SummarizeError(`"${trimmed}" is not a field`);
}

/** A summary checked against the model, ready to send. */
export interface SummaryPlan {
	apply: string;
	expandGroup?: string;
	/** Output names of the grouped keys (first path segment) and aggregates, for ordering on the client. */
	outputNames: string[];
}

export interface ResolvedKey {
	row: GroupKeyRow;
	field: SummaryField;
}

export interface ResolvedAggregation {
	row: AggregationRow;
	field?: SummaryField;
}

const INTERVAL_SUFFIX: Record<Exclude<GroupInterval, 'value'>, string> = {
	yearmonth: 'YearMonth',
	year: 'Year',
	date: 'Date',
};

/** Checks keys and aggregations as ERP.net would and builds `$apply` (and `expandgroup`). */
export function summaryPlan(keys: ResolvedKey[], aggregations: ResolvedAggregation[], expandGroup = ''): SummaryPlan {
	if (aggregations.length === 0 && keys.length === 0) {
		throw new SummarizeError(
			'Add at least one Group By field or one aggregation',
			'For example group by Customer and sum LineAmount.',
		);
	}
	const names = new Set<string>();
	const claim = (name: string, what: string) => {
		if (!IDENTIFIER.test(name))
			throw new SummarizeError(
				`"${name}" is not a valid output name (${what})`,
				'Use letters, digits and _, starting with a letter.',
			);
		if (names.has(name))
			throw new SummarizeError(
				`The output name "${name}" is used twice`,
				'Give each group key and aggregation its own output name.',
			);
		names.add(name);
	};
	const computes: string[] = [];
	const groupBy = keyTexts(keys, computes, claim);
	const aggregates = aggregateTexts(aggregations, claim);
	const aggregate = aggregates.length > 0 ? `aggregate(${aggregates.join(',')})` : '';
	const compute = computes.length > 0 ? `compute(${computes.join(',')})/` : '';
	const apply =
		keys.length > 0 ? `${compute}groupby((${groupBy.join(',')})${aggregate ? `,${aggregate}` : ''})` : aggregate;
	return { apply, expandGroup: checkExpandGroup(expandGroup, keys), outputNames: [...names] };
}

function keyTexts(keys: ResolvedKey[], computes: string[], claim: (name: string, what: string) => void): string[] {
	const used = new Set<string>();
	const heads = new Set<string>();
	return keys.map(({ row, field }) => {
		if (used.has(field.path)) throw onceOnly(field.path, 'Group By');
		used.add(field.path);
		const interval = row.interval ?? 'value';
		if (interval === 'value') {
			if (!isDimension(field)) {
				throw new SummarizeError(
					`${field.path} cannot be grouped: it is not a dimension`,
					'ERP.net groups by references, dates, booleans, enum values, GUIDs, integers and short text ' +
						`(${GROUPING_DOCS}#groupable-and-aggregatable-properties).`,
				);
			}
			const head = field.path.split('/')[0];
			if (!field.path.includes('/') || !heads.has(head)) claim(head, 'group key');
			if (field.path.includes('/')) heads.add(head);
			return field.path;
		}
		if (!isDate(field))
			throw new SummarizeError(
				`${field.path} is not a date: "${interval}" groups dates only`,
				'Choose "Value" for other fields.',
			);
		const alias = row.alias?.trim() || `${field.path.replace(/\//g, '')}${INTERVAL_SUFFIX[interval]}`;
		claim(alias, 'interval key');
		computes.push(`${interval}(${field.path}) as ${alias}`);
		return alias;
	});
}

function aggregateTexts(aggregations: ResolvedAggregation[], claim: (name: string, what: string) => void): string[] {
	const used = new Set<string>();
	return aggregations.map(({ row, field }) => {
		if (row.aggregation === 'count') {
			const alias = row.alias?.trim() || 'Count';
			claim(alias, 'aggregation');
			return `$count as ${alias}`;
		}
		if (!field) throw new SummarizeError(`Choose the field to ${row.aggregation}`);
		if (used.has(field.path)) throw onceOnly(field.path, 'Aggregations');
		used.add(field.path);
		if (!aggregatable(field, row.aggregation)) {
			const kinds = row.aggregation === 'countdistinct' ? 'dimensions and measures' : 'numbers, amounts and quantities';
			throw new SummarizeError(
				`${field.path} cannot be aggregated with ${row.aggregation}: ${row.aggregation} accepts ${kinds} only`,
				`See ${GROUPING_DOCS}#groupable-and-aggregatable-properties.`,
			);
		}
		const alias = row.alias?.trim() || `${field.path.replace(/\//g, '')}${capitalize(row.aggregation)}`;
		claim(alias, 'aggregation');
		return `${field.path} with ${row.aggregation} as ${alias}`;
	});
}

function capitalize(text: string): string {
	return text === 'countdistinct' ? 'CountDistinct' : `${text[0].toUpperCase()}${text.slice(1)}`;
}

function onceOnly(path: string, list: string): SummarizeError {
	return new SummarizeError(
		`${path} appears twice in ${list}`,
		'ERP.net accepts each field once in the grouping and once in the aggregations; ' +
			`run a second Summarize for another total of the same field (${GROUPING_DOCS}#one-use-per-source-property).`,
	);
}

/** `expandgroup` names grouped reference keys only, and only when there is a grouping. */
function checkExpandGroup(text: string, keys: ResolvedKey[]): string | undefined {
	const trimmed = text.trim();
	if (trimmed === '') return undefined;
	const references = keys.filter(
		(key) => (key.row.interval ?? 'value') === 'value' && key.field.reference && !key.field.attribute,
	);
	if (keys.length === 0) {
		throw new SummarizeError(
			'Expand Group needs a Group By reference',
			'A total without grouping has no grouped references to expand.',
		);
	}
	for (const item of splitItems(trimmed)) {
		const path = item.split('(')[0].trim();
		if (!references.some((key) => key.field.path === path)) {
			const grouped = references.map((key) => key.field.path).join(', ') || 'none';
			throw new SummarizeError(
				`Expand Group "${path}" is not a grouped reference`,
				`Expand only references listed in Group By (here: ${grouped}).`,
			);
		}
	}
	return trimmed;
}

function splitItems(text: string): string[] {
	const items: string[] = [];
	let depth = 0;
	let start = 0;
	for (let index = 0; index < text.length; index++) {
		if (text[index] === '(') depth++;
		else if (text[index] === ')') depth--;
		else if (text[index] === ',' && depth === 0) {
			items.push(text.slice(start, index));
			start = index + 1;
		}
	}
	items.push(text.slice(start));
	return items.filter((item) => item.trim() !== '');
}
