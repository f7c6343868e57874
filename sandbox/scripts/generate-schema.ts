/**
 * Generates sandbox/src/schema/model.json from the ERP.net data-model pages
 * (../shared/reference/erpnet-model/entities/*.md and reference/renames.md).
 *
 * Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/model), licensed CC BY 4.0.
 *
 * Usage: tsx sandbox/scripts/generate-schema.ts [--model-dir <dir>] [--out <file>] [--check] [--quiet]
 *   --check  regenerate in memory and exit 1 when the committed model.json differs.
 *
 * Decisions the pages do not state explicitly (each logged as a note when it applies):
 * - An entity set is abstract when another page inherits from it and its key is not `Id` but
 *   `<Name>Id` ("Gets the Id of the party row, related to the domain object"): Parties (PartyId) and
 *   Documents (DocumentId). [dev:domain-api/data-manipulation/erpnet-action.md] confirms Parties is abstract.
 * - References and child collections whose target set has no page are dropped and listed.
 * - The "System Attributes" table shows no nullability; ExternalId, ExternalSystem,
 *   AggregateLastUpdateTimeUtc and AdditionalDataJson are null when unknown, so they are nullable.
 * - Where the backtick tags and the "Attribute Details" lines disagree on filters, the tags win
 *   (system attributes say `[Filter(multi eq)]` in the table but "NotFilterable" in the details).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { lexer } from 'marked';
import type { Token, Tokens } from 'marked';
import { parseApiMethods } from './api-methods';
import type {
	AttributeDefinition,
	AttributeType,
	ChildCollectionDefinition,
	DefaultValueType,
	DomainModel,
	EntitySetDefinition,
	EnumMember,
	FilterKind,
	MethodDefinition,
	ReferenceDefinition,
	RenameDefinition,
} from '../src/schema/types';

export const ATTRIBUTION = 'Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/model), licensed CC BY 4.0.';

const REPO_ROOT = resolve(__dirname, '..', '..');
const DEFAULT_MODEL_DIR = resolve(REPO_ROOT, '..', 'shared', 'reference', 'erpnet-model');
const DEFAULT_OUT_FILE = resolve(REPO_ROOT, 'sandbox', 'src', 'schema', 'model.json');

/** System attributes the server maintains; the pages do not tag them `ReadOnly`. */
const READ_ONLY_SYSTEM_ATTRIBUTES = new Set(['ObjectVersion', 'DisplayText', 'AggregateLastUpdateTimeUtc']);
const NULLABLE_SYSTEM_ATTRIBUTES = new Set([
	'ExternalId',
	'ExternalSystem',
	'AggregateLastUpdateTimeUtc',
	'AdditionalDataJson',
]);

// ---------------------------------------------------------------------------------------------
// Page-level parsing: markdown → sections → rows
// ---------------------------------------------------------------------------------------------

interface Cell {
	text: string;
	tokens: Token[];
}

interface ParsedRow {
	name: string;
	typeCell: Cell;
	descriptionCell: Cell;
}

interface DetailBlock {
	fields: Map<string, string>;
	enumMembers?: EnumMember[];
	enumTypeName?: string;
}

/** A page's content before cross-page resolution (targets are still repository names). */
interface ParsedPage {
	repository: string;
	setName: string;
	typeName: string;
	table?: string;
	description: string;
	baseRepository?: string;
	apiAccess: 'ReadWrite' | 'ReadOnly';
	introducedInVersion?: string;
	displayFormat?: string;
	searchMembers: string[];
	codeMember?: string;
	nameMember?: string;
	category?: string;
	aggregateParentRepository?: string;
	aggregateRootRepository?: string;
	attributes: AttributeDefinition[];
	references: Array<ReferenceDefinition & { targetRepository: string; ownerTag: boolean }>;
	children: Array<ChildCollectionDefinition & { childRepository: string }>;
	methods: MethodDefinition[];
	keyAttribute: string;
}

export interface GenerationLog {
	notes: string[];
	/** System attributes tagged `[Filter(...)]` whose details say "NotFilterable". */
	systemFilterConflicts: Set<string>;
	droppedReferences: string[];
	droppedChildren: string[];
}

export function repositoryToSetName(repository: string): string {
	return repository.replace(/\./g, '_');
}

function stripFrontMatter(markdown: string): string {
	return markdown.replace(/^\uFEFF?---\n[\s\S]*?\n---\n/, '');
}

function decodeEntities(text: string): string {
	return text
		.replace(/&quot;/g, '"')
		.replace(/&apos;|&#39;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** Removes inline HTML (`<br />`, `<s>`) that the pages use for line wrapping and strike-through. */
function stripHtml(text: string): string {
	return text.replace(/<\/?[a-zA-Z][^>]*>/g, '');
}

function plain(text: string): string {
	return decodeEntities(stripHtml(text)).replace(/\s+/g, ' ').trim();
}

/** Splits the token stream at headings of the given depth: title → tokens until the next such heading. */
function splitByHeading(tokens: Token[], depth: number): Map<string, Token[]> {
	const sections = new Map<string, Token[]>();
	let current: Token[] | undefined;
	for (const token of tokens) {
		if (token.type === 'heading' && (token as Tokens.Heading).depth <= depth) {
			const heading = token as Tokens.Heading;
			current = heading.depth === depth ? [] : undefined;
			if (current) sections.set(plain(heading.text), current);
			continue;
		}
		current?.push(token);
	}
	return sections;
}

/** Reads `Key: value` lines from the paragraphs of a section; a value may sit on the next line. */
function fieldsOf(tokens: Token[] = []): Map<string, string> {
	const fields = new Map<string, string>();
	const lines = tokens
		.filter((token) => token.type === 'paragraph')
		.flatMap((token) => token.raw.split('\n'))
		.map((line) => line.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim());
	for (let index = 0; index < lines.length; index++) {
		const match = /^([A-Za-z][A-Za-z -]*?):\s*(.*)$/.exec(lines[index]);
		if (!match) continue;
		let value = match[2];
		if (value === '' && lines[index + 1] && !/^[A-Za-z][A-Za-z -]*?:/.test(lines[index + 1])) {
			value = lines[++index];
		}
		if (!fields.has(match[1])) fields.set(match[1], plain(value.replace(/\*\*/g, '')));
	}
	return fields;
}

function tableRows(tokens: Token[] = []): Cell[][] {
	const table = tokens.find((token) => token.type === 'table') as Tokens.Table | undefined;
	return table ? table.rows.map((row) => row.map((cell) => ({ text: cell.text, tokens: cell.tokens }))) : [];
}

function firstLink(cell: Cell): Tokens.Link | undefined {
	return cell.tokens.find((token) => token.type === 'link') as Tokens.Link | undefined;
}

function repositoryOfHref(href: string): string {
	return basename(href.split('#')[0], '.md');
}

function memberRows(tokens: Token[] = []): ParsedRow[] {
	return tableRows(tokens).map(([nameCell, typeCell, descriptionCell]) => ({
		name: plain(firstLink(nameCell)?.text ?? nameCell.text),
		typeCell,
		descriptionCell,
	}));
}

// ---------------------------------------------------------------------------------------------
// Tags inside a description cell: `Required` `Default(x)` `Filter(eq;ge)` `ORD` `ReadOnly` ...
// ---------------------------------------------------------------------------------------------

interface Tags {
	required: boolean;
	readOnly: boolean;
	orderable: boolean;
	owner: boolean;
	obsolete: boolean;
	filters?: FilterKind[];
	defaultValue?: string;
	unitExpression?: string;
	introducedInVersion?: string;
}

function tagTexts(cell: Cell): string[] {
	const codeSpans = cell.tokens
		.filter((token) => token.type === 'codespan')
		.map((token) => (token as Tokens.Codespan).text);
	// System attribute rows write their tags in square brackets: [Filter(multi eq)] [ORD].
	const bracketed = [
		...cell.text.matchAll(/\[((?:Filter|Introduced in version|ORD|ReadOnly|Required)[^\]]*)\](?!\()/g),
	].map((match) => match[1]);
	return [...codeSpans, ...bracketed].map((tag) => plain(tag));
}

/** `multi eq` (`in`) always comes with `eq`: the details list every EqualsIn together with Equals. */
function parseFilterList(list: string): FilterKind[] {
	const known: FilterKind[] = ['eq', 'ge', 'le', 'like', 'multi eq'];
	const kinds = list
		.split(';')
		.map((item) => item.trim())
		.filter((item): item is FilterKind => (known as string[]).includes(item));
	return sortFilters([...new Set<FilterKind>(kinds.includes('multi eq') ? ['eq', ...kinds] : kinds)]);
}

function parseTags(cell: Cell): Tags {
	const tags: Tags = { required: false, readOnly: false, orderable: false, owner: false, obsolete: false };
	for (const tag of tagTexts(cell)) {
		if (tag === 'Required') tags.required = true;
		else if (tag === 'ReadOnly') tags.readOnly = true;
		else if (tag === 'ORD') tags.orderable = true;
		else if (tag === 'Owner') tags.owner = true;
		else if (tag === 'Obsolete') tags.obsolete = true;
		else if (tag.startsWith('Filter(')) tags.filters = parseFilterList(tag.slice(7, -1));
		else if (tag.startsWith('Default(')) tags.defaultValue = tag.slice(8, -1);
		else if (/^(Currency|Unit):/.test(tag)) tags.unitExpression = tag.replace(/^(Currency|Unit):\s*/, '');
		else if (tag.startsWith('Introduced in version ')) tags.introducedInVersion = tag.slice(21).trim();
	}
	return tags;
}

function inheritedFromOf(cell: Cell): string | undefined {
	const match = /\(Inherited from \[[^\]]*\]\(([^)]+)\)\)/.exec(cell.text);
	return match ? repositoryToSetName(repositoryOfHref(match[1])) : undefined;
}

function descriptionOf(cell: Cell): string {
	const text = cell.text
		.replace(/`[^`]*`/g, ' ')
		.replace(/\[(?:Filter|Introduced in version|ORD|ReadOnly|Required)[^\]]*\](?!\()/g, ' ')
		.replace(/\(Inherited from \[[^\]]*\]\([^)]+\)\)/g, ' ')
		.replace(/\*\*OBSOLETE! Do not use!\*\*/g, ' ')
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
	return plain(text);
}

// ---------------------------------------------------------------------------------------------
// Attribute Details / Reference Details blocks
// ---------------------------------------------------------------------------------------------

function parseEnumMembers(tokens: Token[]): EnumMember[] | undefined {
	const table = tokens.find((token) => token.type === 'table') as Tokens.Table | undefined;
	if (!table || plain(table.header[0]?.text ?? '') !== 'Value') return undefined;
	return table.rows.map(([valueCell, descriptionCell]) => enumMemberOf(valueCell.text, descriptionCell.text));
}

function enumMemberOf(valueText: string, descriptionText: string): EnumMember {
	const quoted = (label: string) => {
		const match = new RegExp(`${label}:\\s*('([^']*)'|[^<\\s]+)`).exec(descriptionText);
		return match ? (match[2] ?? match[1]) : undefined;
	};
	const stored = /Stored as ('([^']*)'|[^.\s]+)/.exec(descriptionText);
	const modelValue = quoted('Model Value');
	const member: EnumMember = {
		name: quoted('Domain API Value') ?? plain(valueText),
		databaseValue: quoted('Database Value') ?? stored?.[2] ?? stored?.[1] ?? plain(valueText),
	};
	if (modelValue !== undefined && /^-?\d+$/.test(modelValue)) member.modelValue = Number(modelValue);
	const description = plain(descriptionText.split(/\(?Stored as|<br \/>|Database Value:|Model Value:/)[0]);
	if (description) member.description = description;
	return member;
}

function parseDetailBlocks(tokens: Token[] = []): Map<string, DetailBlock> {
	const blocks = new Map<string, DetailBlock>();
	for (const [name, blockTokens] of splitByHeading(tokens, 3)) {
		const block: DetailBlock = { fields: fieldsOf(blockTokens) };
		const enumMembers = parseEnumMembers(blockTokens);
		if (enumMembers) {
			block.enumMembers = enumMembers;
			const enumType = blockTokens
				.map((token) => /Allowed Values \(([\w.]+) Enum Members\)/.exec(token.raw)?.[1])
				.find(Boolean);
			if (enumType) block.enumTypeName = enumType;
		}
		blocks.set(name, block);
	}
	return blocks;
}

const DETAIL_FILTERS: Record<string, FilterKind[]> = {
	Equals: ['eq'],
	GreaterThanOrLessThan: ['ge', 'le'],
	Like: ['like'],
	EqualsIn: ['multi eq'],
};

function filtersOfDetails(block: DetailBlock | undefined): FilterKind[] | undefined {
	const text = block?.fields.get('Supported Filters');
	if (text === undefined) return undefined;
	const kinds = text.split(',').flatMap((item) => DETAIL_FILTERS[item.trim()] ?? []);
	return sortFilters([...new Set(kinds)]);
}

function sortFilters(filters: FilterKind[]): FilterKind[] {
	const order: FilterKind[] = ['eq', 'ge', 'le', 'like', 'multi eq'];
	return [...filters].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

// ---------------------------------------------------------------------------------------------
// Attribute types
// ---------------------------------------------------------------------------------------------

interface ParsedType {
	type: AttributeType;
	nullable: boolean;
	maxLength?: number;
	precision?: number;
	scale?: number;
}

const PRIMITIVE_TYPES: Record<string, AttributeType> = {
	string: 'String',
	boolean: 'Boolean',
	int16: 'Int16',
	int32: 'Int32',
	int64: 'Int64',
	decimal: 'Decimal',
	datetime: 'DateTime',
	date: 'Date',
	time: 'Time',
	guid: 'Guid',
	'byte[]': 'Binary',
};

function parseTypeCell(cell: Cell, pageRepository: string): ParsedType | undefined {
	const nullable = /__nullable__/.test(cell.text);
	const link = firstLink(cell);
	if (link && !link.href.startsWith('../data-types.md') && repositoryOfHref(link.href) === pageRepository) {
		return { type: 'Enum', nullable };
	}
	const text = plain((link ? link.text : cell.text).replace(/__nullable__/g, ''));
	const match = /^([A-Za-z0-9[\]]+)\s*(?:\(([^)]*)\))?$/.exec(text);
	if (!match) return undefined;
	const [, baseName, size] = match;
	const type: AttributeType | undefined =
		baseName === 'MultilanguageString' || baseName === 'Amount' || baseName === 'Quantity'
			? baseName
			: PRIMITIVE_TYPES[baseName];
	if (!type) return undefined;
	return { type, nullable, ...sizeOf(type, size) };
}

function sizeOf(type: AttributeType, size: string | undefined): Partial<ParsedType> {
	if (!size || size === 'max') return {};
	const numbers = size.split(',').map((part) => Number(part.trim()));
	if (type === 'String' || type === 'MultilanguageString') return { maxLength: numbers[0] };
	return { precision: numbers[0], scale: numbers[1] };
}

// ---------------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------------

const DEFAULT_VALUE_TYPES: Record<string, DefaultValueType> = {
	NewGuid: 'NewGuid',
	CurrentDate: 'CurrentDate',
	CurrentDateTime: 'CurrentDateTime',
	CurrentDateTimeUtc: 'CurrentDateTimeUtc',
	Today: 'CurrentDate',
	Now: 'CurrentDateTime',
	NowUtc: 'CurrentDateTimeUtc',
};

function defaultValueTypeOf(raw: string | undefined, detailValue: string | undefined): DefaultValueType {
	if (raw !== undefined) return DEFAULT_VALUE_TYPES[raw] ?? 'Constant';
	if (detailValue !== undefined) return DEFAULT_VALUE_TYPES[detailValue] ?? 'Constant';
	return 'None';
}

function unquote(raw: string): string {
	return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
}

/** Converts `Default(...)` to the value a client sees, e.g. `Default("P")` on PartyType → `Person`. */
function defaultApiValueOf(
	raw: string,
	type: AttributeType,
	enumValues: EnumMember[] | undefined,
): string | number | boolean | undefined {
	if (DEFAULT_VALUE_TYPES[raw]) return undefined;
	const value = unquote(raw);
	switch (type) {
		case 'Boolean':
			return value.toLowerCase() === 'true';
		case 'Int16':
		case 'Int32':
		case 'Int64':
		case 'Decimal':
		case 'Amount':
		case 'Quantity':
			return Number.isFinite(Number(value)) ? Number(value) : undefined;
		case 'Enum':
			return enumValues?.find((member) => member.databaseValue.trim() === value.trim())?.name;
		default:
			return value;
	}
}

// ---------------------------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------------------------

function parseAttribute(
	row: ParsedRow,
	block: DetailBlock | undefined,
	page: { repository: string; setName: string },
	isSystem: boolean,
	log: GenerationLog,
): AttributeDefinition | undefined {
	const parsedType = parseTypeCell(row.typeCell, page.repository);
	if (!parsedType) {
		log.notes.push(`${page.setName}.${row.name}: unknown type "${plain(row.typeCell.text)}", skipped`);
		return undefined;
	}
	const tags = parseTags(row.descriptionCell);
	const detailFilters = filtersOfDetails(block);
	const filters = tags.filters ?? detailFilters ?? [];
	if (isSystem && tags.filters && detailFilters?.length === 0) {
		log.systemFilterConflicts.add(row.name);
	} else if (tags.filters && detailFilters && filters.join(';') !== detailFilters.join(';')) {
		log.notes.push(
			`${page.setName}.${row.name}: tags say Filter(${filters.join(';')}), details say "${block?.fields.get('Supported Filters')}"; using the tags`,
		);
	}
	const description = descriptionOf(row.descriptionCell);
	const attribute: AttributeDefinition = {
		name: row.name,
		type: parsedType.type,
		nullable: isSystem ? NULLABLE_SYSTEM_ATTRIBUTES.has(row.name) : parsedType.nullable,
		required: tags.required,
		readOnly: tags.readOnly || (isSystem && READ_ONLY_SYSTEM_ATTRIBUTES.has(row.name)),
		filters,
		orderable: tags.orderable || block?.fields.get('Supports Order By') === 'True',
		description,
	};
	addSizes(attribute, parsedType, block, description);
	addDefaults(attribute, tags, block);
	addAttributeExtras(attribute, row, block, tags, isSystem);
	return attribute;
}

function addSizes(
	attribute: AttributeDefinition,
	parsedType: ParsedType,
	block: DetailBlock | undefined,
	description: string,
) {
	const detailMaxLength = block?.fields.get('Maximum Length');
	const describedMaxLength = /Maximum length: ([\d,]+) characters/.exec(description)?.[1];
	const maxLength =
		parsedType.maxLength ??
		(detailMaxLength
			? Number(detailMaxLength)
			: describedMaxLength
				? Number(describedMaxLength.replace(/,/g, ''))
				: undefined);
	if (maxLength !== undefined && Number.isFinite(maxLength)) attribute.maxLength = maxLength;
	if (parsedType.precision !== undefined) attribute.precision = parsedType.precision;
	if (parsedType.scale !== undefined) attribute.scale = parsedType.scale;
}

function addDefaults(attribute: AttributeDefinition, tags: Tags, block: DetailBlock | undefined) {
	const detailDefault = block?.fields.get('Default Value');
	// Without a tag only the system defaults (NewGuid on Id) are meaningful; "Constant" hides the value.
	const raw = tags.defaultValue ?? (detailDefault && DEFAULT_VALUE_TYPES[detailDefault] ? detailDefault : undefined);
	if (raw !== undefined) attribute.defaultValue = raw;
	const defaultValueType = defaultValueTypeOf(raw, undefined);
	if (defaultValueType !== 'None') attribute.defaultValueType = defaultValueType;
	if (raw !== undefined) {
		const apiValue = defaultApiValueOf(raw, attribute.type, block?.enumMembers);
		if (apiValue !== undefined) attribute.defaultApiValue = apiValue;
	}
}

function addAttributeExtras(
	attribute: AttributeDefinition,
	row: ParsedRow,
	block: DetailBlock | undefined,
	tags: Tags,
	isSystem: boolean,
) {
	if (attribute.type === 'Enum') {
		attribute.enumValues = block?.enumMembers ?? [];
		if (block?.enumTypeName) attribute.enumTypeName = block.enumTypeName;
	}
	if (tags.unitExpression) attribute.unitExpression = tags.unitExpression;
	if (isSystem) attribute.system = true;
	if (block?.fields.get('Category') === 'Calculated Attributes') attribute.calculated = true;
	if (tags.obsolete) attribute.obsolete = true;
	const inheritedFrom = inheritedFromOf(row.descriptionCell);
	if (inheritedFrom) attribute.inheritedFrom = inheritedFrom;
	if (block?.fields.get('Indexed') === 'True') attribute.indexed = true;
	if (tags.introducedInVersion) attribute.introducedInVersion = tags.introducedInVersion;
}

function parseReference(
	row: ParsedRow,
	block: DetailBlock | undefined,
): (ReferenceDefinition & { targetRepository: string; ownerTag: boolean }) | undefined {
	const link = firstLink(row.typeCell);
	if (!link) return undefined;
	const tags = parseTags(row.descriptionCell);
	const targetRepository = repositoryOfHref(link.href);
	const reference: ReferenceDefinition & { targetRepository: string; ownerTag: boolean } = {
		name: row.name,
		targetSet: repositoryToSetName(targetRepository),
		targetRepository,
		nullable: /\(nullable\)/.test(row.typeCell.text),
		filterable: block?.fields.get('Filterable Reference') === 'True',
		owner: tags.owner,
		ownerTag: tags.owner,
		readOnly: tags.readOnly,
		description: descriptionOf(row.descriptionCell),
	};
	if (tags.required) reference.required = true;
	const filters = tags.filters ?? filtersOfDetails(block);
	if (filters) reference.filters = filters;
	if (tags.obsolete) reference.obsolete = true;
	const inheritedFrom = inheritedFromOf(row.descriptionCell);
	if (inheritedFrom) reference.inheritedFrom = inheritedFrom;
	if (tags.introducedInVersion) reference.introducedInVersion = tags.introducedInVersion;
	return reference;
}

function parseChildCollection(cells: Cell[]): (ChildCollectionDefinition & { childRepository: string }) | undefined {
	const [nameCell, typeCell, descriptionCell] = cells;
	const link = firstLink(typeCell);
	if (!link) return undefined;
	const backReference = descriptionCell.tokens
		.filter((token) => token.type === 'codespan')
		.map((token) => plain((token as Tokens.Codespan).text))
		.find((text) => /^[\w.]+\.\w+$/.test(text) && text.split('.').length > 2);
	const childRepository = repositoryOfHref(link.href);
	const child: ChildCollectionDefinition & { childRepository: string } = {
		name: plain(nameCell.text),
		childSet: repositoryToSetName(childRepository),
		childRepository,
		ownerReference: backReference ? backReference.slice(backReference.lastIndexOf('.') + 1) : '',
	};
	const inheritedFrom = inheritedFromOf(descriptionCell);
	if (inheritedFrom) child.inheritedFrom = inheritedFrom;
	return child;
}

// ---------------------------------------------------------------------------------------------
// A whole page
// ---------------------------------------------------------------------------------------------

function pageDescription(tokens: Token[]): string {
	const titleIndex = tokens.findIndex((token) => token.type === 'heading' && (token as Tokens.Heading).depth === 1);
	const paragraphs: string[] = [];
	for (const token of tokens.slice(titleIndex + 1)) {
		if (token.type === 'heading') break;
		if (token.type === 'paragraph') paragraphs.push(plain((token as Tokens.Paragraph).text));
	}
	return paragraphs.join('\n\n');
}

function aggregateLinks(tokens: Token[] = []): { parent?: string; root?: string } {
	const raw = tokens.map((token) => token.raw).join('');
	const linkAfter = (label: string) => new RegExp(`${label}:\\s*\\n\\s*\\[[^\\]]*\\]\\(([^)]+)\\)`).exec(raw)?.[1];
	const parent = linkAfter('Aggregate Parent');
	const root = linkAfter('Aggregate Root');
	return { parent: parent && repositoryOfHref(parent), root: root && repositoryOfHref(root) };
}

export function parsePage(fileName: string, markdown: string, log: GenerationLog): ParsedPage | undefined {
	const tokens = lexer(stripFrontMatter(markdown));
	const sections = splitByHeading(tokens, 2);
	const general = fieldsOf(sections.get('General'));
	const repository = general.get('Repository');
	if (!repository) {
		log.notes.push(`${fileName}: no "Repository" in "## General" (rename stub?), skipped`);
		return undefined;
	}
	const setName = repositoryToSetName(repository);
	const api = fieldsOf(sections.get('API'));
	if (api.get('Domain API Entity Set') && api.get('Domain API Entity Set') !== setName) {
		log.notes.push(`${setName}: the API section names the set "${api.get('Domain API Entity Set')}"`);
	}
	const visualization = fieldsOf(sections.get('Visualization'));
	const aggregate = aggregateLinks(sections.get('Aggregate'));
	const attributeDetails = parseDetailBlocks(sections.get('Attribute Details'));
	const referenceDetails = parseDetailBlocks(sections.get('Reference Details'));
	const pageRef = { repository, setName };

	const systemAttributes = memberRows(sections.get('System Attributes'))
		.map((row) => parseAttribute(row, attributeDetails.get(row.name), pageRef, true, log))
		.filter((attribute): attribute is AttributeDefinition => attribute !== undefined);
	const attributes = memberRows(sections.get('Attributes'))
		.map((row) => parseAttribute(row, attributeDetails.get(row.name), pageRef, false, log))
		.filter((attribute): attribute is AttributeDefinition => attribute !== undefined);
	const references = memberRows(sections.get('References'))
		.map((row) => parseReference(row, referenceDetails.get(row.name)))
		.filter((reference): reference is NonNullable<typeof reference> => reference !== undefined);
	const children = tableRows(sections.get('Child Collections'))
		.map(parseChildCollection)
		.filter((child): child is NonNullable<typeof child> => child !== undefined);

	const searchMembers = (visualization.get('Search Members') ?? '')
		.split(';')
		.map((member) => member.trim())
		.filter(Boolean);
	const page: ParsedPage = {
		repository,
		setName,
		typeName: api.get('Domain API Entity Type') ?? setName.replace(/s$/, ''),
		description: pageDescription(tokens),
		apiAccess: general.get('API access') === 'ReadOnly' ? 'ReadOnly' : 'ReadWrite',
		searchMembers,
		attributes: [...systemAttributes, ...attributes],
		references,
		children,
		methods: parseApiMethods(markdown),
		keyAttribute: systemAttributes.find((attribute) => attribute.type === 'Guid')?.name ?? 'Id',
	};
	assignDefined(page, {
		table: general.get('Base Table'),
		baseRepository: general.get('Inherited From'),
		introducedInVersion: general.get('Introduced In Version'),
		displayFormat: visualization.get('Display Format'),
		codeMember: visualization.get('Code Member') || undefined,
		nameMember: visualization.get('Name Member') || undefined,
		category: visualization.get('Category'),
		aggregateParentRepository: aggregate.parent,
		aggregateRootRepository: aggregate.root,
	});
	return page;
}

function assignDefined<T extends object>(target: T, values: Partial<T>) {
	for (const [key, value] of Object.entries(values)) {
		if (value !== undefined) (target as Record<string, unknown>)[key] = value;
	}
}

// ---------------------------------------------------------------------------------------------
// Cross-page resolution
// ---------------------------------------------------------------------------------------------

function buildEntitySet(page: ParsedPage, pages: Map<string, ParsedPage>, log: GenerationLog): EntitySetDefinition {
	const isBase = [...pages.values()].some((other) => other.baseRepository === page.repository);
	const abstract = isBase && page.keyAttribute !== 'Id';
	if (abstract) log.notes.push(`${page.setName}: abstract (base of other pages, key ${page.keyAttribute})`);
	const set: EntitySetDefinition = {
		name: page.setName,
		repository: page.repository,
		typeName: page.typeName,
		abstract,
		aggregateRoot: page.aggregateParentRepository === undefined,
		searchMembers: page.searchMembers,
		apiAccess: page.apiAccess,
		attributes: page.attributes,
		references: resolveReferences(page, pages, log),
		children: resolveChildren(page, pages, log),
	};
	assignDefined(set, {
		table: page.table,
		baseSet: page.baseRepository && repositoryToSetName(page.baseRepository),
		aggregateParent: page.aggregateParentRepository && repositoryToSetName(page.aggregateParentRepository),
		aggregateRootSet: page.aggregateRootRepository && repositoryToSetName(page.aggregateRootRepository),
		displayFormat: page.displayFormat,
		codeMember: page.codeMember,
		nameMember: page.nameMember,
		keyAttribute: page.keyAttribute === 'Id' ? undefined : page.keyAttribute,
		description: page.description || undefined,
		category: page.category,
		introducedInVersion: page.introducedInVersion,
		methods: page.methods.length > 0 ? page.methods : undefined,
	});
	return set;
}

function resolveReferences(
	page: ParsedPage,
	pages: Map<string, ParsedPage>,
	log: GenerationLog,
): ReferenceDefinition[] {
	const kept: ReferenceDefinition[] = [];
	for (const { targetRepository, ownerTag, ...reference } of page.references) {
		if (!pages.has(targetRepository)) {
			log.droppedReferences.push(`${page.setName}.${reference.name} → ${reference.targetSet}`);
			continue;
		}
		const owner = ownerTag || isOwnerByBackReference(page, reference.name, targetRepository, pages);
		kept.push({ ...reference, owner, filterable: reference.filterable || owner });
	}
	return kept;
}

/** A reference is the ownership reference when the aggregate parent's child collection is based on it. */
function isOwnerByBackReference(
	page: ParsedPage,
	referenceName: string,
	targetRepository: string,
	pages: Map<string, ParsedPage>,
): boolean {
	if (page.aggregateParentRepository !== targetRepository) return false;
	const parent = pages.get(targetRepository);
	return (parent?.children ?? []).some(
		(child) => child.childRepository === page.repository && child.ownerReference === referenceName,
	);
}

function resolveChildren(
	page: ParsedPage,
	pages: Map<string, ParsedPage>,
	log: GenerationLog,
): ChildCollectionDefinition[] {
	const kept: ChildCollectionDefinition[] = [];
	for (const { childRepository, ...child } of page.children) {
		if (!pages.has(childRepository)) {
			log.droppedChildren.push(`${page.setName}.${child.name} → ${child.childSet}`);
			continue;
		}
		kept.push(child);
	}
	return kept;
}

// ---------------------------------------------------------------------------------------------
// Renames
// ---------------------------------------------------------------------------------------------

export function parseRenames(markdown: string): RenameDefinition[] {
	const renames: RenameDefinition[] = [];
	for (const token of lexer(stripFrontMatter(markdown.replace(/^\uFEFF/, '')))) {
		if (token.type !== 'paragraph') continue;
		const fields = fieldsOf([token]);
		const oldName = fields.get('Old name');
		const newName = fields.get('New name');
		const version = fields.get('Version');
		if (!oldName || !newName || !version) continue;
		const rename: RenameDefinition = {
			oldName: repositoryToSetName(oldName),
			newName: repositoryToSetName(newName),
			version,
		};
		const caseNumber = fields.get('Case');
		if (caseNumber) rename.case = caseNumber;
		renames.push(rename);
	}
	return renames;
}

function crossCheckPageRenames(modelDir: string, renames: RenameDefinition[], log: GenerationLog) {
	for (const file of entityFiles(modelDir)) {
		const sections = splitByHeading(lexer(stripFrontMatter(readFileSync(file, 'utf8'))), 2);
		const fields = fieldsOf(sections.get('Renames'));
		const oldName = fields.get('Old name');
		if (!oldName) continue;
		const listed = renames.some(
			(rename) => rename.oldName === repositoryToSetName(oldName) && rename.version === fields.get('Version'),
		);
		if (!listed)
			log.notes.push(`${basename(file)}: page rename ${oldName} (${fields.get('Version')}) is not in renames.md`);
	}
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

function entityFiles(modelDir: string): string[] {
	const directory = join(modelDir, 'entities');
	return readdirSync(directory)
		.filter((file) => file.endsWith('.md'))
		.sort()
		.map((file) => join(directory, file));
}

function sourceOf(modelDir: string): string | undefined {
	const file = join(modelDir, 'SOURCE_COMMIT');
	if (!existsSync(file)) return undefined;
	return `ErpNetDocs/model@${readFileSync(file, 'utf8').trim().split(/\s+/)[0].slice(0, 12)}`;
}

export function generateDomainModel(modelDir: string = DEFAULT_MODEL_DIR): { model: DomainModel; log: GenerationLog } {
	const log: GenerationLog = {
		notes: [],
		systemFilterConflicts: new Set(),
		droppedReferences: [],
		droppedChildren: [],
	};
	const pages = new Map<string, ParsedPage>();
	for (const file of entityFiles(modelDir)) {
		const page = parsePage(basename(file), readFileSync(file, 'utf8'), log);
		if (page) pages.set(page.repository, page);
	}
	const entitySets = [...pages.values()]
		.map((page) => buildEntitySet(page, pages, log))
		.sort((a, b) => a.name.localeCompare(b.name));
	const renames = parseRenames(readFileSync(join(modelDir, 'reference', 'renames.md'), 'utf8'));
	crossCheckPageRenames(modelDir, renames, log);
	const model: DomainModel = { entitySets, renames, attribution: ATTRIBUTION };
	const source = sourceOf(modelDir);
	if (source) model.source = source;
	return { model, log };
}

export function serializeModel(model: DomainModel): string {
	return `${JSON.stringify(model, null, '\t')}\n`;
}

function argumentValue(args: string[], name: string): string | undefined {
	const index = args.indexOf(name);
	return index >= 0 ? args[index + 1] : undefined;
}

function printLog(log: GenerationLog) {
	for (const note of log.notes) console.error(`note: ${note}`);
	if (log.systemFilterConflicts.size > 0) {
		const names = [...log.systemFilterConflicts].join(', ');
		console.error(
			`note: system attributes ${names}: tagged [Filter(...)] but "NotFilterable" in the details; using the tags`,
		);
	}
	console.error(`dropped ${log.droppedReferences.length} references whose target set has no page:`);
	for (const dropped of log.droppedReferences) console.error(`  ${dropped}`);
	console.error(`dropped ${log.droppedChildren.length} child collections whose child set has no page:`);
	for (const dropped of log.droppedChildren) console.error(`  ${dropped}`);
}

function main(args: string[]): number {
	const modelDir = resolve(argumentValue(args, '--model-dir') ?? DEFAULT_MODEL_DIR);
	const outFile = resolve(argumentValue(args, '--out') ?? DEFAULT_OUT_FILE);
	const { model, log } = generateDomainModel(modelDir);
	if (!args.includes('--quiet')) printLog(log);
	const json = serializeModel(model);
	if (args.includes('--check')) {
		const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
		if (current !== json) {
			console.error(`${outFile} is out of date: run npm run generate:schema`);
			return 1;
		}
		console.log(`${outFile} is up to date (${model.entitySets.length} entity sets)`);
		return 0;
	}
	writeFileSync(outFile, json);
	console.log(`wrote ${outFile}: ${model.entitySets.length} entity sets, ${model.renames.length} renames`);
	return 0;
}

if (require.main === module) {
	process.exitCode = main(process.argv.slice(2));
}
