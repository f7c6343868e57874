/**
 * The sandbox's domain model, kept as data (see sandbox/src/schema/*.json, generated from
 * ../shared/reference/erpnet-model by sandbox/scripts/generate-schema.ts).
 * Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/model), licensed CC BY 4.0.
 */
export type AttributeType =
	| 'String'
	| 'MultilanguageString'
	| 'Boolean'
	| 'Int16'
	| 'Int32'
	| 'Int64'
	| 'Decimal'
	| 'DateTime'
	| 'Date'
	| 'Time'
	| 'Guid'
	| 'Binary'
	| 'Amount'
	| 'Quantity'
	| 'Enum'
	/** A stored attribute (`CustomProperty_<code>`), added at run time from its definition (sandbox/src/odata/model/stored-attributes.ts). */
	| 'CustomPropertyValue';

/** Filter support as the model pages list it: `Filter(eq;ge;le;like;multi eq)`. */
export type FilterKind = 'eq' | 'ge' | 'le' | 'like' | 'multi eq';

export interface EnumMember {
	/** The Domain API value (member name), e.g. `Released`. */
	name: string;
	/** The database value, e.g. `30`. */
	databaseValue: string;
	/** The model (CLR) value, e.g. `30`; for character-coded enums the member's ordinal. */
	modelValue?: number;
	description?: string;
}

export interface AttributeDefinition {
	name: string;
	type: AttributeType;
	nullable: boolean;
	/** `Required` in the model page. */
	required: boolean;
	readOnly: boolean;
	maxLength?: number;
	precision?: number;
	scale?: number;
	/** Raw text of `Default(...)`, e.g. `true`, `0`, `Today`, `NewGuid`. */
	defaultValue?: string;
	filters: FilterKind[];
	orderable: boolean;
	enumValues?: EnumMember[];
	/** e.g. `EnterpriseCompany?.BaseCurrency` for Amount/Quantity. */
	unitExpression?: string;
	description: string;
	/** Listed in the page's "System Attributes" table (Id, ObjectVersion, ExternalId, DisplayText, ...). */
	system?: boolean;
	/** Category "Calculated Attributes": computed by the server, never stored. */
	calculated?: boolean;
	obsolete?: boolean;
	/** Entity set that declares the attribute, when the page marks it "Inherited from". */
	inheritedFrom?: string;
	/** Kind of default, as `BaseInfo.DefaultValueType` names it. */
	defaultValueType?: DefaultValueType;
	/** The default as it appears on the wire (enum member name, boolean, number, string). */
	defaultApiValue?: string | number | boolean;
	/** Enum type as the page names it, e.g. `General.Documents.DocumentState`. */
	enumTypeName?: string;
	indexed?: boolean;
	introducedInVersion?: string;
	/** The definition of a stored attribute (type `CustomPropertyValue`). */
	storedAttribute?: StoredAttributeDefinition;
}

/** A `Systems_Bpm_CustomProperties` record as the Domain API exposes it (https://docs.erp.net/model/entities/Systems.Bpm.CustomProperties.html). */
export interface StoredAttributeDefinition {
	/** The definition's Id. */
	propertyId: string;
	code: string;
	limitToAllowedValues: boolean;
	/** Allowed values come from this entity (`AllowedValuesEntityName`); otherwise from `Systems_Bpm_CustomPropertyAllowedValues`. */
	allowedValuesEntityName?: string;
	maskLength?: number;
}

export type DefaultValueType =
	| 'None'
	| 'Constant'
	| 'NewGuid'
	| 'CurrentDate'
	| 'CurrentDateTime'
	| 'CurrentDateTimeUtc';

export interface ReferenceDefinition {
	name: string;
	/** Target entity set, e.g. `General_Contacts_Parties`. */
	targetSet: string;
	nullable: boolean;
	/** `Filterable Reference: True`, or an ownership reference. */
	filterable: boolean;
	/** Ownership (parent) reference of a child entity, e.g. SalesOrderLines.SalesOrder. */
	owner: boolean;
	readOnly: boolean;
	description: string;
	/** `Required` in the model page. */
	required?: boolean;
	filters?: FilterKind[];
	obsolete?: boolean;
	inheritedFrom?: string;
	introducedInVersion?: string;
}

export interface ChildCollectionDefinition {
	name: string;
	childSet: string;
	/** The child's ownership reference that points back here. */
	ownerReference: string;
	inheritedFrom?: string;
}

export interface EntitySetDefinition {
	/** Entity set name, e.g. `Crm_Sales_Customers`. */
	name: string;
	/** Repository name, e.g. `Crm.Sales.Customers`. */
	repository: string;
	/** Entity type name without namespace, e.g. `Crm_Sales_Customer` (EDM: `Erp.Crm_Sales_Customer`). */
	typeName: string;
	table?: string;
	abstract: boolean;
	/** The entity set this one derives from (e.g. Companies → `General_Contacts_Parties`). */
	baseSet?: string;
	aggregateRoot: boolean;
	aggregateParent?: string;
	/** `Display Format`, e.g. `{Party.PartyName:T}`. */
	displayFormat?: string;
	searchMembers: string[];
	codeMember?: string;
	nameMember?: string;
	apiAccess: 'ReadWrite' | 'ReadOnly';
	attributes: AttributeDefinition[];
	references: ReferenceDefinition[];
	children: ChildCollectionDefinition[];
	/** Name of the key attribute when it is not `Id` (abstract bases: `PartyId`, `DocumentId`). */
	keyAttribute?: string;
	/** Aggregate root entity set of a non-root entity (may have no page, e.g. MeasurementCategories). */
	aggregateRootSet?: string;
	description?: string;
	/** Visualization category, e.g. `Definitions`, `Documents`. */
	category?: string;
	introducedInVersion?: string;
	/** "API Methods" of the page: bound actions and functions, own and inherited. */
	methods?: MethodDefinition[];
}

export interface RenameDefinition {
	/** Old entity set name, e.g. `Crm_Customers`. */
	oldName: string;
	newName: string;
	version: string;
	/** The ERP.net case number of the rename. */
	case?: string;
}

export interface DomainModel {
	entitySets: EntitySetDefinition[];
	renames: RenameDefinition[];
	/** Where the model was generated from, e.g. `ErpNetDocs/model@23283e5e589c`. */
	source?: string;
	attribution?: string;
}

/** One parameter of an API method ("API Methods" section of a model page). */
export interface MethodParameterDefinition {
	name: string;
	/** The type as the page names it: `string`, `boolean`, `int32`, `General.Documents.DocumentState`, `Systems.Security.Users`. */
	type: string;
	kind: 'primitive' | 'enum' | 'entity';
	/** Entity set of an entity-typed parameter, e.g. `Systems_Security_Users`. */
	targetSet?: string;
	/** Domain API values of an enum parameter, in the page's order. */
	enumValues?: EnumMember[];
	/** `Optional: True` on the page. */
	optional: boolean;
	/** `Default Value:` on the page, as written (`null`, `pdf`, `10`, `False`). */
	defaultValue?: string;
	description: string;
}

/** A bound operation the model page lists under "API Methods" (actions are POST, functions GET). */
export interface MethodDefinition {
	name: string;
	description: string;
	/** `void`, `string`, `EntityObject`, `Collection Of ...`, as the page names it. */
	returnType: string;
	/** Entity set of an entity-typed return value (or of its items), when the page links one. */
	returnSet?: string;
	returnsCollection: boolean;
	/** `EntityObject` (every entity) or the declaring repository, e.g. `General.Documents.Documents`. */
	declaringType: string;
	/** `Domain API Request: POST` = action; GET = function. */
	isAction: boolean;
	parameters: MethodParameterDefinition[];
}
