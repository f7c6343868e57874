import type { INodeProperties } from 'n8n-workflow';

import {
	entitySetLocator,
	expandOption,
	languageOption,
	optionsCollection,
	selectOption,
} from '../descriptions/common.descriptions';
import { conditionsOption, filterOption } from '../descriptions/query.descriptions';

/**
 * The trigger's state belongs to Filter, Conditions and Start Date as written: an expression's value is taken
 * at every poll without starting over (README, ERP.net Trigger).
 */
const EXPRESSION_HINT =
	"An expression here (e.g. {{ $today.minus(7, 'days') }}) is evaluated at every poll: " +
	'each poll uses its current value, and a new value does not start over (records already emitted are not ' +
	'emitted again)';

/** The parameters of the ERP.net Trigger (names are persisted in workflows: never rename them). */
export const triggerProperties: INodeProperties[] = [
	{
		...entitySetLocator,
		description:
			'The aggregate root whose records to watch, e.g. Crm_Sales_SalesOrders. ' +
			'A change to any part of a record (e.g. a sales order line) counts as a change of the record.',
		modes: (entitySetLocator.modes ?? []).map((mode) =>
			mode.name === 'list'
				? { ...mode, typeOptions: { ...mode.typeOptions, searchListMethod: 'searchAggregateRoots' } }
				: mode,
		),
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Created or Updated', value: 'createdOrUpdated', description: 'Every new record and every change' },
			{ name: 'Created', value: 'created', description: 'Only new records' },
			{ name: 'Updated', value: 'updated', description: 'Only changes to existing records' },
		],
		default: 'createdOrUpdated',
	},
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Now', value: 'now', description: 'Changes made after the workflow is published' },
			{ name: 'Date', value: 'date', description: 'Changes made since a date and time' },
			{ name: 'All Existing Records', value: 'all', description: 'Every record once, then every change' },
		],
		default: 'now',
		description: 'Where the first poll starts. Changing it (or the entity set or filters) starts over.',
		hint: "Also changing the credential to another ERP.net instance starts over, from that instance's own start",
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Changes at or after this moment are emitted (UTC unless the value says otherwise)',
		hint: EXPRESSION_HINT,
		displayOptions: { show: { startFrom: ['date'] } },
	},
	optionsCollection([
		{
			...conditionsOption('Only records matching all of these conditions trigger the workflow'),
			hint: EXPRESSION_HINT,
		},
		expandOption,
		selectOption,
		{
			...filterOption(
				"e.g. State eq 'Released'",
				'An OData $filter expression joined with "and" to the trigger\'s own filter. ERP.net supports eq, ge, ' +
					'le, and, in, contains(), startswith(), endswith(); not "or".',
			),
			hint: EXPRESSION_HINT,
		},
		languageOption,
		{
			displayName: 'Overlap',
			name: 'overlap',
			type: 'options',
			options: [
				{ name: '5 Minutes', value: 5, description: "ERP.net's default" },
				{ name: '30 Minutes', value: 30, description: 'Heavy workloads or large transactions' },
				{ name: '1 Hour', value: 60, description: 'Worst-case safety window' },
			],
			default: 5,
			description:
				'How far each poll looks back before the last one, so that changes committed late are not missed ' +
				"(ERP.net's incremental pull). Duplicates are filtered out.",
		},
	]),
];
