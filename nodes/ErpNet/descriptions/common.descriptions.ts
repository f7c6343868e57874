import type { INodeProperties } from 'n8n-workflow';

import { GUID_REGEX } from '../../../core/odata';
import { ATOMIC_BATCHING_NAME } from '../../../core/transport';

/** An operation's or trigger's "Options" collection (`options` parameter) holding the given options. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

export const entitySetLocator: INodeProperties = {
	displayName: 'Entity Set',
	name: 'entitySet',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The ERP.net entity set (table) to work with, e.g. Crm_Sales_Customers for customers or ' +
		'General_Products_Products for products',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an entity set...',
			typeOptions: {
				searchListMethod: 'searchEntitySets',
				searchable: true,
			},
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Crm_Sales_Customers',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^[A-Za-z][A-Za-z0-9_]*$',
						errorMessage: 'Use the entity set name, e.g. Crm_Sales_Customers',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://yourdb.my.erp.net/api/domain/odata/Crm_Sales_Customers',
			extractValue: {
				type: 'regex',
				// `/domain/odata/`, not `/api/domain/odata/`: a Domain API on its own address serves `{api}/domain/odata/`.
				regex: '/domain/odata/([A-Za-z][A-Za-z0-9_]*)',
			},
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '.*/domain/odata/[A-Za-z][A-Za-z0-9_]*.*',
						errorMessage:
							'Paste a Domain API URL such as https://yourdb.my.erp.net/api/domain/odata/Crm_Sales_Customers',
					},
				},
			],
		},
	],
};

export const recordIdLocator: INodeProperties = {
	displayName: 'Record',
	name: 'recordId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The record to work with: pick it from the list, or give its ID (a GUID) or its Domain API URL',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Search records by their display text...',
			typeOptions: {
				searchListMethod: 'searchRecords',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `^\\s*${GUID_REGEX}\\s*$`,
						errorMessage: 'An ERP.net record ID is a GUID, e.g. 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder:
				'e.g. https://yourdb.my.erp.net/api/domain/odata/Crm_Sales_Customers(3f2504e0-4f89-41d3-9a0c-0305e82c3301)',
			extractValue: {
				type: 'regex',
				regex: `\\((${GUID_REGEX})\\)`,
			},
			validation: [
				{
					type: 'regex',
					properties: {
						regex: `.*\\(${GUID_REGEX}\\).*`,
						errorMessage: 'Paste a record URL that ends with (<GUID>)',
					},
				},
			],
		},
	],
};

export const selectOption: INodeProperties = {
	displayName: 'Fields to Return',
	name: 'select',
	type: 'multiOptions',
	typeOptions: {
		loadOptionsMethod: 'getSelectableFields',
		loadOptionsDependsOn: ['entitySet.value'],
	},
	default: [],
	description:
		'Attributes and references to return ($select); empty returns ERP.net\'s default attributes, which leave out ID, ObjectVersion, custom and calculated attributes. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const expandOption: INodeProperties = {
	displayName: 'Expand',
	name: 'expand',
	type: 'string',
	default: '',
	placeholder: 'e.g. Party($select=PartyName),DefaultCurrency',
	description:
		'References or child collections to include in each record ($expand), comma-separated. ' +
		'Nested options are allowed, e.g. Lines($expand=Product($select=PartNumber)).',
};

export const languageOption: INodeProperties = {
	displayName: 'Language',
	name: 'language',
	type: 'string',
	default: '',
	placeholder: 'e.g. en or bg',
	description:
		'Language for ERP.net messages and computed texts (sent as Accept-Language). ' +
		'Multi-language fields still return all languages.',
};

export const contextOptions: INodeProperties[] = [
	{
		displayName: 'Enterprise Company ID',
		name: 'enterpriseCompanyId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
		description:
			'ID of the current enterprise company for this request (ERP.net context parameter). ' +
			'Business rules use it for defaults such as the enterprise company of new records.',
	},
	{
		displayName: 'Enterprise Company Location ID',
		name: 'enterpriseCompanyLocationId',
		type: 'string',
		default: '',
		description: 'ID of the current enterprise company location (ERP.net context parameter)',
	},
	{
		displayName: 'Role ID',
		name: 'roleId',
		type: 'string',
		default: '',
		description: 'ID of the current role (ERP.net context parameter)',
	},
];

export const simplifyOption: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: false,
	description:
		'Whether to drop the @odata annotations from the output. References become objects with ID and EntitySet.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 120,
	description: 'How long to wait for each ERP.net response before failing',
};

const fieldsInputOptions: INodeProperties = {
	displayName: 'Input Data Mode',
	name: 'fieldsInput',
	type: 'options',
	options: [
		{
			name: 'Map Each Field Below',
			value: 'mapper',
			description: "Pick the entity set's fields and set their values",
		},
		{
			name: 'Using JSON',
			value: 'json',
			description: "Give the record as a JSON object, as ERP.net's Domain API accepts it",
		},
	],
	default: 'mapper',
};

/** The record's fields: input mode, the model-driven mapper (`columns`) and the JSON body (`jsonBody`). */
export function recordFieldsProperties(resourceMapperMethod: 'getColumns' | 'getColumnsForUpdate'): INodeProperties[] {
	return [
		fieldsInputOptions,
		{
			displayName: 'Fields',
			name: 'columns',
			type: 'resourceMapper',
			noDataExpression: true,
			default: {
				mappingMode: 'defineBelow',
				value: null,
			},
			required: true,
			typeOptions: {
				loadOptionsDependsOn: ['entitySet.value'],
				resourceMapper: {
					resourceMapperMethod,
					mode: 'add',
					fieldWords: { singular: 'field', plural: 'fields' },
					addAllFields: false,
					multiKeyMatch: false,
					supportAutoMap: true,
				},
			},
			displayOptions: { show: { fieldsInput: ['mapper'] } },
		},
		{
			displayName: 'JSON',
			name: 'jsonBody',
			type: 'json',
			default: '{\n  "Number": "C0001"\n}',
			description:
				'The record as a JSON object. References can be GUIDs, entity IDs like ' +
				'General_Currencies_Currencies(&lt;GUID&gt;), codes, or objects such as {"Number": ' +
				'"C0001"} that ERP.net looks up.',
			displayOptions: { show: { fieldsInput: ['json'] } },
		},
	];
}

export const batchOptions: INodeProperties[] = [
	{
		displayName: 'Batching',
		name: 'batching',
		type: 'options',
		options: [
			{
				name: ATOMIC_BATCHING_NAME,
				value: 'atomic',
				description:
					'Send items in $batch requests where each batch is one transaction: if one item fails, none of its batch is saved',
			},
			{
				name: 'Independent Requests',
				value: 'independent',
				description: 'Send items in $batch requests; each item succeeds or fails on its own',
			},
			{
				name: 'Off',
				value: 'off',
				description: 'Send one request per item',
			},
		],
		default: 'off',
		description:
			'Whether to send many items in one ERP.net $batch request. ' +
			'Much faster for many items, since ERP.net runs one request at a time per session. ' +
			'Read from the first item.',
	},
	{
		displayName: 'Batch Size',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 100,
		description: 'How many items to send in one $batch request',
		displayOptions: { hide: { batching: ['off'] } },
	},
];

export const objectVersionOption: INodeProperties = {
	displayName: 'Expected Object Version',
	name: 'objectVersion',
	type: 'number',
	default: 0,
	description:
		'The ObjectVersion read earlier (select it in Get or Get Many). ' +
		'The record is only changed if nobody changed it since (optimistic locking). 0 skips the check.',
};
