/**
 * `$metadata` as EDMX 4.0. No ERP.net $metadata is published; the shape follows what the official
 * client's generator reads (ClassGeneration.cs of https://github.com/erpnet/ErpNet.Api.Client): one Schema `Erp`, entity types with BaseType and the
 * key `Id` (`PartyId`/`DocumentId` on the abstract bases), the ComplexTypes Amount, Quantity,
 * MultilanguageString and CustomPropertyValue, EnumTypes, an `Erp.EntityName` annotation with the table
 * name, ownership navigation properties with OnDelete, and an EntityContainer with NavigationPropertyBindings.
 * Members that point outside the sandbox's model are left out so that the document stays self-contained.
 */
import type { AttributeDefinition } from '../../schema/types';
import { EDM_NAMESPACE, type EntitySetInfo, type ModelIndex } from './model-index';
import { operationSchemaElements } from './metadata-operations';
import { edmTypeOf } from './model-json';

export function metadataDocument(index: ModelIndex): string {
	const lines = [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
		'<edmx:DataServices>',
		`<Schema Namespace="${EDM_NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
		...index.sets.flatMap((set) => entityType(index, set)),
		...complexTypes(),
		...enumTypes(index),
		'<Term Name="EntityName" Type="Edm.String" AppliesTo="EntityType"/>',
		'<Term Name="OptionalParameter" Type="Edm.String" AppliesTo="Parameter"/>',
		...functions(),
		...operationSchemaElements(index, declaredEnumNames(index)),
		'<EntityContainer Name="Container">',
		...index.sets.flatMap((set) => entitySet(index, set)),
		'<FunctionImport Name="GetVersion" Function="Erp.GetVersion"/>',
		'<FunctionImport Name="GetRenamedEntityTypes" Function="Erp.GetRenamedEntityTypes"/>',
		'</EntityContainer>',
		'</Schema>',
		'</edmx:DataServices>',
		'</edmx:Edmx>',
	];
	return lines.join('\n');
}

export function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attributes(pairs: Record<string, string | number | boolean | undefined>): string {
	return Object.entries(pairs)
		.filter(([, value]) => value !== undefined)
		.map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
		.join('');
}

/** Members declared by the type itself: the base type declares the inherited ones. */
function declaredHere(index: ModelIndex, set: EntitySetInfo, name: string): boolean {
	const base = set.definition.baseSet ? index.getSet(set.definition.baseSet) : undefined;
	return !base || (!base.attributeByName.has(name) && !base.referenceByName.has(name) && !base.childByName.has(name));
}

function entityType(index: ModelIndex, set: EntitySetInfo): string[] {
	const base = set.definition.baseSet ? index.getSet(set.definition.baseSet) : undefined;
	const header = `<EntityType${attributes({
		Name: set.definition.typeName,
		BaseType: base?.qualifiedType,
		Abstract: set.definition.abstract ? true : undefined,
	})}>`;
	const key = base ? [] : [`<Key><PropertyRef Name="${escapeXml(set.keyAttribute)}"/></Key>`];
	const properties = set.attributes
		.filter((attribute) => declaredHere(index, set, attribute.name))
		.map((attribute) => property(index, set, attribute));
	const references = set.definition.references
		.filter((reference) => index.getSet(reference.targetSet) && declaredHere(index, set, reference.name))
		.map((reference) => {
			const target = index.getSet(reference.targetSet) as EntitySetInfo;
			const open = `<NavigationProperty${attributes({ Name: reference.name, Type: target.qualifiedType, Nullable: reference.nullable ? undefined : false })}`;
			return reference.owner ? `${open}><OnDelete Action="Cascade"/></NavigationProperty>` : `${open}/>`;
		});
	const children = set.definition.children
		.filter((child) => index.getSet(child.childSet) && declaredHere(index, set, child.name))
		.map((child) => {
			const target = index.getSet(child.childSet) as EntitySetInfo;
			return `<NavigationProperty${attributes({ Name: child.name, Type: `Collection(${target.qualifiedType})`, Partner: child.ownerReference })}/>`;
		});
	const annotation = set.definition.table
		? [`<Annotation Term="Erp.EntityName" String="${escapeXml(set.definition.table)}"/>`]
		: [];
	return [header, ...key, ...properties, ...references, ...children, ...annotation, '</EntityType>'];
}

function property(index: ModelIndex, set: EntitySetInfo, attribute: AttributeDefinition): string {
	const isKey = attribute.name === set.keyAttribute;
	return `<Property${attributes({
		Name: attribute.name,
		Type: isKey ? 'Edm.Guid' : edmTypeOf(index, set, attribute),
		Nullable: isKey || !attribute.nullable ? false : undefined,
		MaxLength: attribute.type === 'String' ? attribute.maxLength : undefined,
		Precision: attribute.type === 'Decimal' ? attribute.precision : undefined,
		Scale: attribute.type === 'Decimal' ? attribute.scale : undefined,
	})}/>`;
}

function complexTypes(): string[] {
	return [
		'<ComplexType Name="Amount"><Property Name="Value" Type="Edm.Decimal" Nullable="false"/><Property Name="Currency" Type="Edm.String"/></ComplexType>',
		'<ComplexType Name="Quantity"><Property Name="Value" Type="Edm.Decimal" Nullable="false"/><Property Name="Unit" Type="Edm.String"/></ComplexType>',
		// One string per two-letter language key, e.g. {"EN":"Apple","DE":"Apfel"}.
		'<ComplexType Name="MultilanguageString" OpenType="true"/>',
		'<ComplexType Name="CustomPropertyValue"><Property Name="Value" Type="Edm.String"/><Property Name="ValueId" Type="Edm.Guid"/><Property Name="Description" Type="Erp.MultilanguageString"/></ComplexType>',
		'<ComplexType Name="OpenObject" OpenType="true"/>',
	];
}

function declaredEnumNames(index: ModelIndex): Set<string> {
	const names = new Set<string>();
	for (const set of index.sets) {
		for (const attribute of set.attributes)
			if (attribute.type === 'Enum') names.add(index.enumTypeName(set, attribute));
	}
	return names;
}

function enumTypes(index: ModelIndex): string[] {
	const byName = new Map<string, AttributeDefinition>();
	for (const set of index.sets) {
		for (const attribute of set.attributes) {
			if (attribute.type === 'Enum') byName.set(index.enumTypeName(set, attribute), attribute);
		}
	}
	return [...byName.entries()].map(([name, attribute]) => {
		const members = (attribute.enumValues ?? []).map((member, position) => {
			const numeric = Number(member.databaseValue);
			const value = member.modelValue ?? (Number.isInteger(numeric) ? numeric : position);
			return `<Member Name="${escapeXml(member.name)}" Value="${value}"/>`;
		});
		return `<EnumType Name="${escapeXml(name)}">${members.join('')}</EnumType>`;
	});
}

function functions(): string[] {
	return [
		'<Function Name="GetVersion"><ReturnType Type="Erp.OpenObject"/></Function>',
		'<Function Name="GetRenamedEntityTypes"><ReturnType Type="Collection(Erp.OpenObject)"/></Function>',
	];
}

function entitySet(index: ModelIndex, set: EntitySetInfo): string[] {
	const bindings = [
		...set.definition.references.map((reference) => ({ path: reference.name, target: reference.targetSet })),
		...set.definition.children.map((child) => ({ path: child.name, target: child.childSet })),
	].filter((binding) => index.getSet(binding.target));
	return [
		`<EntitySet Name="${escapeXml(set.name)}" EntityType="${escapeXml(set.qualifiedType)}">`,
		...bindings.map(
			(binding) =>
				`<NavigationPropertyBinding Path="${escapeXml(binding.path)}" Target="${escapeXml(binding.target)}"/>`,
		),
		'</EntitySet>',
	];
}
