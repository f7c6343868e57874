/**
 * Lookups over the sandbox's DomainModel used by the Domain API layers: entity sets by name and by type,
 * inheritance, members by name, the system attributes every entity has, renames.
 * Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/model), licensed CC BY 4.0.
 */
import type {
	AttributeDefinition,
	ChildCollectionDefinition,
	DomainModel,
	EntitySetDefinition,
	ReferenceDefinition,
} from '../../schema/types';

export const EDM_NAMESPACE = 'Erp';

/** The "System Attributes" table of every model page (which of them `$select` leaves out: isDefaultAttribute). */
export const SYSTEM_ATTRIBUTES: readonly AttributeDefinition[] = [
	systemAttribute('Id', 'Guid', { filters: ['eq', 'multi eq'], readOnly: false }),
	systemAttribute('ObjectVersion', 'Int32', { readOnly: false }),
	systemAttribute('ExternalId', 'String', { filters: ['multi eq'], orderable: true, maxLength: 64 }),
	systemAttribute('ExternalSystem', 'String', { filters: ['multi eq'], maxLength: 64 }),
	systemAttribute('AggregateLastUpdateTimeUtc', 'DateTime', { filters: ['ge', 'le'], orderable: true, readOnly: true }),
	systemAttribute('AdditionalDataJson', 'String', { maxLength: 32000 }),
	systemAttribute('DisplayText', 'String', { readOnly: true }),
];

const SYSTEM_ATTRIBUTE_NAMES = new Set(SYSTEM_ATTRIBUTES.map((attribute) => attribute.name));

function systemAttribute(
	name: string,
	type: AttributeDefinition['type'],
	overrides: Partial<AttributeDefinition>,
): AttributeDefinition {
	return {
		name,
		type,
		nullable: name !== 'Id' && name !== 'ObjectVersion',
		required: false,
		readOnly: false,
		filters: [],
		orderable: false,
		description: '',
		...overrides,
	};
}

export function isSystemAttributeName(name: string): boolean {
	return SYSTEM_ATTRIBUTE_NAMES.has(name);
}

export type MemberKind = 'attribute' | 'reference' | 'child';

export type EntityMember =
	| { kind: 'attribute'; definition: AttributeDefinition }
	| { kind: 'reference'; definition: ReferenceDefinition }
	| { kind: 'child'; definition: ChildCollectionDefinition };

export interface EntitySetInfo {
	definition: EntitySetDefinition;
	name: string;
	/** `Erp.<TypeName>`. */
	qualifiedType: string;
	/** Schema attributes plus the system attributes the schema left out. */
	attributes: AttributeDefinition[];
	/** Attributes returned without $select (https://docs.erp.net/dev/domain-api/querying-data/query-options/select.html): not system, custom or calculated ones. */
	defaultAttributes: AttributeDefinition[];
	/** The key attribute: `Id`, or e.g. `PartyId` on General_Contacts_Parties; its value is the record's Id. */
	keyAttribute: string;
	attributeByName: Map<string, AttributeDefinition>;
	referenceByName: Map<string, ReferenceDefinition>;
	childByName: Map<string, ChildCollectionDefinition>;
	/** The ownership reference of a child entity (e.g. SalesOrderLines.SalesOrder), if any. */
	ownerReference?: ReferenceDefinition;
	/**
	 * References through which this set appears as a child collection of another set: the ownership
	 * reference, and e.g. ProductPrices.Product for Products.Prices (an aggregate root of its own).
	 */
	parentReferences: string[];
	/** This set and every set deriving from it, transitively. */
	selfAndDescendants: string[];
	/** Base sets, nearest first. */
	ancestors: string[];
}

export interface ModelIndex {
	model: DomainModel;
	sets: EntitySetInfo[];
	getSet(name: string): EntitySetInfo | undefined;
	/** By `Erp.<TypeName>` or `<TypeName>`. */
	getSetByType(typeName: string): EntitySetInfo | undefined;
	/** The current name of a renamed entity set, following chains of renames (https://docs.erp.net/dev/domain-api/common-tasks/handling-renames.html). */
	resolveRename(name: string): string | undefined;
	member(set: EntitySetInfo, name: string): EntityMember | undefined;
	/** Name of the EDM enum type of an enum attribute, without namespace. */
	enumTypeName(set: EntitySetInfo, attribute: AttributeDefinition): string;
}

export function createModelIndex(model: DomainModel): ModelIndex {
	const definitions = new Map(model.entitySets.map((definition) => [definition.name, definition]));
	const sets = model.entitySets.map((definition) => describeSet(definition, definitions));
	for (const set of sets) set.parentReferences = parentReferencesOf(set, model);
	const setsByName = new Map(sets.map((set) => [set.name, set]));
	const setsByType = new Map(sets.map((set) => [set.definition.typeName, set]));
	const renames = new Map(model.renames.map((rename) => [rename.oldName, rename.newName]));

	return {
		model,
		sets,
		getSet: (name) => setsByName.get(name),
		getSetByType: (typeName) =>
			setsByType.get(typeName.startsWith(`${EDM_NAMESPACE}.`) ? typeName.slice(EDM_NAMESPACE.length + 1) : typeName),
		resolveRename: (name) => resolveRename(name, renames),
		member: findMember,
		enumTypeName: (set, attribute) => enumTypeName(set, attribute, setsByName),
	};
}

function describeSet(definition: EntitySetDefinition, definitions: Map<string, EntitySetDefinition>): EntitySetInfo {
	const keyAttribute = definition.keyAttribute ?? 'Id';
	const schemaNames = new Set(definition.attributes.map((attribute) => attribute.name));
	// https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html: AggregateLastUpdateTimeUtc "is available only for aggregate roots ... the attribute
	// will not be exposed" on other sets (the model pages of child entities do not list it either).
	const missingSystem = SYSTEM_ATTRIBUTES.filter(
		(attribute) =>
			!schemaNames.has(attribute.name) &&
			!(attribute.name === 'Id' && keyAttribute !== 'Id') &&
			!(attribute.name === 'AggregateLastUpdateTimeUtc' && !definition.aggregateRoot),
	);
	const attributes = [...definition.attributes, ...missingSystem];
	return {
		definition,
		name: definition.name,
		qualifiedType: `${EDM_NAMESPACE}.${definition.typeName}`,
		attributes,
		defaultAttributes: attributes.filter((attribute) => isDefaultAttribute(attribute, keyAttribute)),
		keyAttribute,
		attributeByName: new Map(attributes.map((attribute) => [attribute.name, attribute])),
		referenceByName: new Map(definition.references.map((reference) => [reference.name, reference])),
		childByName: new Map(definition.children.map((child) => [child.name, child])),
		ownerReference: definition.references.find((reference) => reference.owner),
		parentReferences: [],
		selfAndDescendants: descendantsOf(definition.name, definitions),
		ancestors: ancestorsOf(definition, definitions),
	};
}

function parentReferencesOf(set: EntitySetInfo, model: DomainModel): string[] {
	const names = new Set<string>(set.ownerReference ? [set.ownerReference.name] : []);
	for (const parent of model.entitySets) {
		for (const child of parent.children) {
			if (child.childSet === set.name && set.referenceByName.has(child.ownerReference)) names.add(child.ownerReference);
		}
	}
	return [...names];
}

/**
 * https://docs.erp.net/dev/domain-api/querying-data/query-options/select.html leaves out only "the 'Id' attribute", custom attributes, child lists and calculated attributes
 * (DisplayText is calculated); https://docs.erp.net/dev/domain-api/data-sync/object-version.html and https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html say ObjectVersion and
 * AggregateLastUpdateTimeUtc "must be explicitly selected". ExternalId, ExternalSystem and AdditionalDataJson
 * are stored attributes that none of these pages leaves out, so they are default attributes.
 */
const NOT_DEFAULT_SYSTEM_ATTRIBUTES = new Set(['Id', 'ObjectVersion', 'AggregateLastUpdateTimeUtc']);

function isDefaultAttribute(attribute: AttributeDefinition, keyAttribute: string): boolean {
	if (attribute.name === keyAttribute || NOT_DEFAULT_SYSTEM_ATTRIBUTES.has(attribute.name)) return false;
	return !attribute.calculated;
}

/** An attribute's value in a record; the key attribute (`PartyId`) is the record's `Id`. */
export function attributeValue(set: EntitySetInfo, record: Record<string, unknown>, name: string): unknown {
	return name === set.keyAttribute ? record.Id : record[name];
}

function descendantsOf(name: string, definitions: Map<string, EntitySetDefinition>): string[] {
	const result = [name];
	for (const candidate of definitions.values()) {
		if (candidate.baseSet === name) result.push(...descendantsOf(candidate.name, definitions));
	}
	return result;
}

function ancestorsOf(definition: EntitySetDefinition, definitions: Map<string, EntitySetDefinition>): string[] {
	const result: string[] = [];
	let base = definition.baseSet ? definitions.get(definition.baseSet) : undefined;
	while (base && !result.includes(base.name)) {
		result.push(base.name);
		base = base.baseSet ? definitions.get(base.baseSet) : undefined;
	}
	return result;
}

function findMember(set: EntitySetInfo, name: string): EntityMember | undefined {
	const attribute = set.attributeByName.get(name);
	if (attribute) return { kind: 'attribute', definition: attribute };
	const reference = set.referenceByName.get(name);
	if (reference) return { kind: 'reference', definition: reference };
	const child = set.childByName.get(name);
	if (child) return { kind: 'child', definition: child };
	return undefined;
}

function resolveRename(name: string, renames: Map<string, string>): string | undefined {
	let current = renames.get(name);
	const seen = new Set<string>();
	while (current && renames.has(current) && !seen.has(current)) {
		seen.add(current);
		current = renames.get(current);
	}
	return current;
}

const DOCUMENT_STATE_MEMBERS = ['New', 'Adjustment', 'Planned', 'FirmPlanned', 'Released', 'Completed', 'Closed'];

/**
 * The model page's enum type (`General.Documents.DocumentState`) in EDM form (`General_Documents_DocumentState`;
 * https://docs.erp.net/dev/domain-api/common-tasks/query-examples.html still shows the pre-25.1 `General_DocumentState`); otherwise the declaring type and attribute.
 */
function enumTypeName(
	set: EntitySetInfo,
	attribute: AttributeDefinition,
	setsByName: Map<string, EntitySetInfo>,
): string {
	if (attribute.enumTypeName) return attribute.enumTypeName.split('.').join('_');
	const members = attribute.enumValues?.map((member) => member.name) ?? [];
	if (attribute.name === 'State' && DOCUMENT_STATE_MEMBERS.every((member) => members.includes(member))) {
		return 'General_Documents_DocumentState';
	}
	let declaring = set;
	for (const ancestorName of set.ancestors) {
		const ancestor = setsByName.get(ancestorName);
		if (ancestor?.attributeByName.has(attribute.name)) declaring = ancestor;
	}
	return `${declaring.definition.typeName}_${attribute.name}`;
}
