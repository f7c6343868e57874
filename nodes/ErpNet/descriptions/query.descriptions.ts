import type { INodeProperties } from 'n8n-workflow';

import { FILTER_OPERATORS } from '../../../core/query';

/**
 * The Conditions option of Get Many and the trigger: simple filters on the entity set's fields, all joined with
 * "and" into `$filter` (core/query/filter.ts). `description` says what matching records do in that node.
 */
export function conditionsOption(description: string): INodeProperties {
	return {
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add condition',
		default: {},
		description,
		options: [
			{
				displayName: 'Condition',
				name: 'condition',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getFilterableFields',
							loadOptionsDependsOn: ['entitySet.value'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: FILTER_OPERATORS,
						default: 'eq',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'Text, a number, true/false, a date (2026-01-31) or date-time (read as UTC unless it has a zone, e.g. ' +
							"2026-01-31T08:00:00+02:00) or, for references, the record's GUID",
					},
				],
			},
		],
	};
}

/**
 * The raw Filter option of Get Many and the trigger: an OData `$filter` joined with "and" to the conditions.
 * `placeholder` and `description` fit the node.
 */
export function filterOption(placeholder: string, description: string): INodeProperties {
	return { displayName: 'Filter', name: 'filter', type: 'string', default: '', placeholder, description };
}
