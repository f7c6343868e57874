/**
 * `/api/domain/standardmodel` and `/api/domain/currentmodel` in the field names of
 * https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html: compact repositories (null properties omitted), or detailed ones with
 * Attributes (BaseInfo, enumValues), References, ChildCollections and Methods (nulls kept).
 * The current model adds the stored attributes (`IsCustomProperty`, https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html
 * "The current model may contain instance-specific extensions ... custom properties"); the standard model has none.
 */
import type { AttributeDefinition, ChildCollectionDefinition, ReferenceDefinition } from '../../schema/types';
import { entityTypeOfSet, parameterEdmType, returnEdmType } from './method-types';
import { EDM_NAMESPACE, isSystemAttributeName, type EntitySetInfo, type ModelIndex } from './model-index';

export type ModelJson = Record<string, unknown>;

const EDM_TYPES: Record<Exclude<AttributeDefinition['type'], 'Enum'>, string> = {
	String: 'Edm.String',
	MultilanguageString: `${EDM_NAMESPACE}.MultilanguageString`,
	Boolean: 'Edm.Boolean',
	Int16: 'Edm.Int16',
	Int32: 'Edm.Int32',
	Int64: 'Edm.Int64',
	Decimal: 'Edm.Decimal',
	DateTime: 'Edm.DateTimeOffset',
	Date: 'Edm.DateTimeOffset',
	Time: 'Edm.TimeOfDay',
	Guid: 'Edm.Guid',
	Binary: 'Edm.Binary',
	Amount: `${EDM_NAMESPACE}.Amount`,
	Quantity: `${EDM_NAMESPACE}.Quantity`,
	CustomPropertyValue: `${EDM_NAMESPACE}.CustomPropertyValue`,
};

export function edmTypeOf(index: ModelIndex, set: EntitySetInfo, attribute: AttributeDefinition): string {
	if (attribute.type === 'Enum') return `${EDM_NAMESPACE}.${index.enumTypeName(set, attribute)}`;
	return EDM_TYPES[attribute.type];
}

/** `SalesOrders` → `Sales Orders`: the sandbox has no translations, so names are spelled out in English. */
export function spellOut(name: string): string {
	let text = '';
	for (let position = 0; position < name.length; position++) {
		const character = name[position];
		const previous = name[position - 1];
		const next = name[position + 1];
		const startsWord =
			position > 0 &&
			character >= 'A' &&
			character <= 'Z' &&
			((previous >= 'a' && previous <= 'z') ||
				(next !== undefined && next >= 'a' && next <= 'z' && previous >= 'A' && previous <= 'Z'));
		text += (startsWord ? ' ' : '') + character;
	}
	return text.replace(/_/g, ' ');
}

export function modelList(index: ModelIndex, detailed: boolean, current = false): ModelJson[] {
	return index.sets.map((set) => (detailed ? repositoryDetails(index, set, current) : repositorySummary(index, set)));
}

export function repositorySummary(index: ModelIndex, set: EntitySetInfo): ModelJson {
	return withoutNulls(repositoryHeader(index, set));
}

function repositoryHeader(index: ModelIndex, set: EntitySetInfo): ModelJson {
	const definition = set.definition;
	const lastSegment = definition.repository.split('.').pop() ?? definition.name;
	return {
		Name: definition.name,
		TableName: definition.table ?? null,
		RepositoryName: definition.repository,
		LocalizedName: spellOut(lastSegment),
		LocalizedDescription: definition.description ?? null,
		IsAggregateRoot: definition.aggregateRoot,
		AggregateParent: definition.aggregateParent ? underscored(definition.aggregateParent) : null,
		AggregateRoot: underscored(aggregateRootOf(index, set)),
		ObjectType: set.qualifiedType,
		Category: definition.category ?? null,
		UIVisibility: 'ShownByDefault',
	};
}

function underscored(name: string): string {
	return name.replace(/\./g, '_');
}

function aggregateRootOf(index: ModelIndex, set: EntitySetInfo): string {
	let current = set;
	for (let depth = 0; depth < 16 && !current.definition.aggregateRoot && current.ownerReference; depth++) {
		const owner = index.getSet(current.ownerReference.targetSet);
		if (!owner) return current.ownerReference.targetSet;
		current = owner;
	}
	return current.name;
}

export function repositoryDetails(index: ModelIndex, set: EntitySetInfo, current = false): ModelJson {
	const attributes = current ? set.attributes : set.attributes.filter((attribute) => !attribute.storedAttribute);
	return {
		...repositoryHeader(index, set),
		Attributes: attributes.map((attribute, position) => attributeJson(index, set, attribute, position)),
		References: set.definition.references.map((reference) => referenceJson(index, set, reference)),
		ChildCollections: set.definition.children.map((child, position) => childJson(index, child, position)),
		Methods: methodsOf(index, set),
	};
}

function withoutNulls(json: ModelJson): ModelJson {
	return Object.fromEntries(Object.entries(json).filter(([, value]) => value !== null && value !== undefined));
}

function attributeJson(
	index: ModelIndex,
	set: EntitySetInfo,
	attribute: AttributeDefinition,
	position: number,
): ModelJson {
	const json: ModelJson = {
		Name: attribute.name,
		ColumnName: null,
		Type: edmTypeOf(index, set, attribute),
		LocalizedName: spellOut(attribute.name),
		LocalizedDescription: attribute.description || null,
		IsCustomProperty: attribute.storedAttribute !== undefined,
		IsCalculatedDataAttribute: false,
		SupportsAllowedValues: attribute.type === 'Enum' || supportsAllowedValues(attribute),
		LimitToAllowedValues: attribute.type === 'Enum' || attribute.storedAttribute?.limitToAllowedValues === true,
		CategoryId: null,
		CategoryLocalizedName: null,
		IsBlob: attribute.type === 'Binary',
		SupportsSet: !attribute.readOnly,
		ReadOnly: attribute.readOnly,
		IsPersistent: attribute.name !== 'DisplayText',
		BaseInfo: baseInfo(set, attribute, position),
	};
	if (attribute.type === 'Enum') {
		json.enumValues = (attribute.enumValues ?? []).map((member) => ({
			Value: Number.isFinite(Number(member.databaseValue)) ? Number(member.databaseValue) : member.databaseValue,
			Name: member.name,
			LocalizedName: spellOut(member.name),
			LocalizedDescription: null,
		}));
	}
	return json;
}

/** A stored attribute with allowed values: limited to them, or taken from another entity. */
function supportsAllowedValues(attribute: AttributeDefinition): boolean {
	const definition = attribute.storedAttribute;
	return (
		definition !== undefined && (definition.limitToAllowedValues || definition.allowedValuesEntityName !== undefined)
	);
}

/** BaseInfo.SupportedFilters is a flags enum written as .NET does: `Equals, Like, EqualsIn`. */
export function supportedFilters(attribute: AttributeDefinition): string {
	const filters = new Set(attribute.filters);
	const flags: string[] = [];
	if (filters.has('eq') || filters.has('multi eq')) flags.push('Equals');
	if (filters.has('ge') || filters.has('le')) flags.push('GreaterThanOrLessThan');
	if (filters.has('like')) flags.push('Like');
	if (filters.has('multi eq')) flags.push('EqualsIn');
	return flags.length > 0 ? flags.join(', ') : 'NotFilterable';
}

/** The model pages' `Default(...)` text → BaseInfo.DefaultValueType (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html). */
export function defaultValueType(defaultValue: string | undefined): string {
	if (defaultValue === undefined) return 'None';
	const normalized = defaultValue.replace(/"/g, '');
	if (normalized === 'NewGuid') return 'NewGuid';
	if (normalized === 'Today') return 'CurrentDate';
	if (normalized === 'Now') return 'CurrentDateTime';
	if (normalized === 'UtcNow') return 'CurrentDateTimeUtc';
	return 'Constant';
}

function subtypeOf(set: EntitySetInfo, attribute: AttributeDefinition): string {
	if (attribute.type === 'Amount') return 'Decimal_Amount';
	if (attribute.type === 'Quantity') return 'Decimal_Quantity';
	if (attribute.type === 'MultilanguageString') return 'String_MultilanguageString';
	if (attribute.name === set.definition.codeMember) return 'String_Code';
	return 'NonSpecific';
}

function baseInfo(set: EntitySetInfo, attribute: AttributeDefinition, position: number): ModelJson {
	const isDate = attribute.type === 'Date' || attribute.type === 'DateTime';
	return {
		RepositoryName: `${set.definition.repository}.${attribute.name}`,
		LogicalOrder: (position + 1) * 10,
		Internal: false,
		Nullable: attribute.nullable,
		IsDelayLoading: false,
		Orderable: attribute.orderable,
		Indexed: attribute.orderable,
		MaxLength: attribute.maxLength ?? 0,
		Precision: attribute.precision ?? 0,
		Scale: attribute.scale ?? 0,
		DateTimeStorageType: isDate ? (attribute.type === 'Date' ? 'Date' : 'DateTime') : 'None',
		DateTimeUtc: attribute.name.endsWith('Utc'),
		SupportedFilters: supportedFilters(attribute),
		IsFilterableReference: false,
		SecurityCrucial: false,
		AllowTrackChanges: !isSystemAttributeName(attribute.name),
		DefaultValueType: defaultValueType(attribute.defaultValue),
		BaseTableName: set.definition.table ?? null,
		BaseColumnName: null,
		Description: attribute.description || null,
		DisplayType: 'Inline',
		SummaryType: 'None',
		WidthType: 'Default',
		RequiresUserInput: attribute.required && attribute.defaultValue === undefined && !attribute.readOnly,
		Obsolete: false,
		DefaultFormat: null,
		UIVisibility: 'ShownByDefault',
		Options: 'None',
		Subtype: subtypeOf(set, attribute),
		UnitExpression: attribute.unitExpression ?? null,
		OpenExchangeAttributeName: null,
		ExportInOpenExchange: true,
	};
}

function typeOfSet(index: ModelIndex, entitySet: string): string {
	return entityTypeOfSet(index, entitySet);
}

function referenceJson(index: ModelIndex, set: EntitySetInfo, reference: ReferenceDefinition): ModelJson {
	const type = typeOfSet(index, reference.targetSet);
	return {
		Name: reference.name,
		ColumnName: null,
		Type: type,
		LocalizedName: spellOut(reference.name),
		LocalizedDescription: reference.description || null,
		ReferencedEntitySet: reference.targetSet,
		ReferencedType: type,
		CategoryId: null,
		CategoryLocalizedName: null,
		ReadOnly: reference.readOnly,
		IsOwnership: reference.owner,
		IsFilterable: reference.filterable || reference.owner,
		IsAggregateParent: reference.owner && set.definition.aggregateParent !== undefined,
		BaseInfo: {
			RepositoryName: `${set.definition.repository}.${reference.name}`,
			Internal: false,
			Nullable: reference.nullable,
			Orderable: false,
			SupportedFilters: 'Equals, EqualsIn',
			IsFilterableReference: reference.filterable || reference.owner,
			RequiresUserInput: !reference.nullable && !reference.readOnly,
			Description: reference.description || null,
		},
	};
}

function childJson(index: ModelIndex, child: ChildCollectionDefinition, position: number): ModelJson {
	return {
		Name: child.name,
		LocalizedName: spellOut(child.name),
		LocalizedDescription: null,
		ReadOnly: false,
		DefaultVisibleIndex: position,
		ChildObjectType: typeOfSet(index, child.childSet),
		ChildEntitySet: child.childSet,
	};
}

/** The model page's "API Methods" (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html "Method structure"), the binding parameter first. */
function methodsOf(index: ModelIndex, set: EntitySetInfo): ModelJson[] {
	return (set.definition.methods ?? []).map((method) => ({
		Name: method.name,
		Namespace: EDM_NAMESPACE,
		EntitySetPath: null,
		ReturnType: returnEdmType(index, set, method),
		IsAction: method.isAction,
		Parameters: [
			{ Name: 'bindingParameter', Type: set.qualifiedType },
			...method.parameters.map((parameter) => ({ Name: parameter.name, Type: parameterEdmType(index, parameter) })),
		],
	}));
}
