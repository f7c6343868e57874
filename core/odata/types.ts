import type { IDataObject } from 'n8n-workflow';

/** An OData collection response as the Domain API returns it. */
export interface ODataCollection<T = IDataObject> {
	'@odata.context'?: string;
	'@odata.nextLink'?: string;
	'@odata.count'?: number;
	value: T[];
}

/** ERP.net's error envelope: HTTP 500 (and other statuses) with `{"error":{...}}`. */
export interface ErpNetErrorBody {
	error?: {
		message?: string;
		code?: number | string;
		type?: string;
		info?: string;
	};
	message?: string;
}

/** One repository as `/api/domain/currentmodel` returns it (compact form). */
export interface ModelRepository {
	Name: string;
	RepositoryName?: string;
	TableName?: string;
	LocalizedName?: string;
	LocalizedDescription?: string;
	ObjectType?: string;
	IsAggregateRoot?: boolean;
	/**
	 * The aggregate root repository, in underscore form
	 * (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html).
	 */
	AggregateRoot?: string;
	Category?: string;
	UIVisibility?: string;
}

export interface ModelAttribute {
	Name: string;
	Type?: string;
	LocalizedName?: string;
	LocalizedDescription?: string;
	ReadOnly?: boolean;
	IsCustomProperty?: boolean;
	IsCalculatedDataAttribute?: boolean;
	SupportsSet?: boolean;
	SupportsAllowedValues?: boolean;
	LimitToAllowedValues?: boolean;
	/**
	 * A stored attribute's definition, added by the node from `Systems_Bpm_CustomProperties` (core/transport/model.ts).
	 */
	StoredAttribute?: StoredAttributeDefinition;
	enumValues?: Array<{ Value?: string | number; Name: string; LocalizedName?: string }>;
	BaseInfo?: {
		Nullable?: boolean | null;
		MaxLength?: number;
		Orderable?: boolean | null;
		SupportedFilters?: string;
		RequiresUserInput?: boolean;
		DefaultValueType?: string;
		/**
		 * Whether date-time values are stored in UTC (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html).
		 */
		DateTimeUtc?: boolean;
		Internal?: boolean;
		Description?: string;
		/** `Date` for a date-time attribute stored as a date (discover-model.html, "BaseInfo structure"). */
		DateTimeStorageType?: string;
		/**
		 * e.g. `String_Code` for a code attribute (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html,
		 * "BaseInfo.Subtype").
		 */
		Subtype?: string;
	} | null;
}

/**
 * A stored attribute's definition (https://docs.erp.net/model/entities/Systems.Bpm.CustomProperties.html) with its
 * allowed values (https://docs.erp.net/model/entities/Systems.Bpm.CustomPropertyAllowedValues.html).
 */
export interface StoredAttributeDefinition {
	Id: string;
	Code: string;
	/** The definition's name in the request language (or English). */
	Name?: string;
	EntityName?: string;
	LimitToAllowedValues?: boolean;
	/** Values come from this entity (a reference to one of its records) instead of the allowed-values list. */
	AllowedValuesEntityName?: string | null;
	PropertyType?: string;
	MaskLength?: number | null;
	/** Active entries of `Systems_Bpm_CustomPropertyAllowedValues` (when the values do not come from another entity). */
	AllowedValues?: Array<{ Value: string; ValueId: string; Description?: string }>;
}

export interface ModelReference {
	Name: string;
	ReferencedEntitySet?: string;
	ReferencedType?: string;
	LocalizedName?: string;
	LocalizedDescription?: string;
	ReadOnly?: boolean;
	IsOwnership?: boolean;
	IsFilterable?: boolean;
	BaseInfo?: ModelAttribute['BaseInfo'];
}

export interface ModelChildCollection {
	Name: string;
	ChildEntitySet?: string;
	LocalizedName?: string;
	ReadOnly?: boolean;
}

/** One repository as `/api/domain/currentmodel/{EntitySet}` returns it (detailed form). */
export interface ModelMethodParameter {
	Name: string;
	/** Full EDM type name, e.g. `Edm.String` or `Erp.General_Documents_DocumentState`. */
	Type?: string;
}

/**
 * A bound operation of the repository (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html, "Method
 * structure").
 */
export interface ModelMethod {
	Name: string;
	Namespace?: string;
	ReturnType?: string;
	IsAction?: boolean;
	Parameters?: ModelMethodParameter[];
}

export interface ModelRepositoryDetails extends ModelRepository {
	Attributes?: ModelAttribute[];
	References?: ModelReference[];
	ChildCollections?: ModelChildCollection[];
	Methods?: ModelMethod[];
}

/** Query options of a Domain API collection read, before encoding. */
export interface ODataQuery {
	$filter?: string;
	$select?: string;
	$expand?: string;
	$orderby?: string;
	$search?: string;
	$count?: boolean;
	$top?: number;
	$skip?: number;
	/** Grouping and aggregation (https://docs.erp.net/dev/domain-api/querying-data/grouping.html). */
	$apply?: string;
	/** ERP.net's expansion of grouped reference keys (same page, "expandgroup"). */
	expandgroup?: string;
}
