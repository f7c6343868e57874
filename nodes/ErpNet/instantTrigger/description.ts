import type { INodeProperties } from 'n8n-workflow';

import { entitySetLocator, expandOption, languageOption, selectOption } from '../descriptions/common.descriptions';
import { conditionsOption, filterOption } from '../descriptions/query.descriptions';

/** The events registered when none are chosen: the committed ones (the others fire inside ERP.net's transaction). */
export const DEFAULT_EVENTS = ['AGGREGATECLIENTCOMMITTED'];
export const DEFAULT_CATCH_UP_MINUTES = 15;

/** The parameters of the ERP.net Instant Trigger (names are persisted in workflows: never rename them). */
export const instantTriggerProperties: INodeProperties[] = [
	{
		...entitySetLocator,
		description:
			'The aggregate root whose records to watch, e.g. Crm_Sales_SalesOrders. A change to any part of a record (e.g. a sales order line) counts as a change of the record.',
		modes: (entitySetLocator.modes ?? []).map((mode) =>
			mode.name === 'list' ? { ...mode, typeOptions: { ...mode.typeOptions, searchListMethod: 'searchAggregateRoots' } } : mode,
		),
	},
	{
		displayName: 'Events Names or IDs',
		name: 'events',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getRepositoryEvents', loadOptionsDependsOn: ['entitySet.value'] },
		default: ['AGGREGATECLIENTCOMMITTED'],
		description:
			'The ERP.net events that push a notification to n8n (GetRepositoryEvents of the entity set). Each push makes the trigger read every change since the last one, so the workflow gets every change of the matching records exactly once. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Changed Record', value: 'record', description: 'The record as read back after the change' },
			{ name: 'Event Only', value: 'event', description: 'Only the entity set, record ID, kind of change and its time' },
		],
		default: 'record',
	},
	{
		displayName: 'Catch-Up Interval (Minutes)',
		name: 'catchUpInterval',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1440 },
		default: DEFAULT_CATCH_UP_MINUTES,
		description:
			'How often the trigger reads the changes without waiting for a push, so that a push ERP.net discarded or could not deliver delays a change by at most this long',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			conditionsOption('Only records matching all of these conditions trigger the workflow'),
			expandOption,
			selectOption,
			filterOption(
				"e.g. State eq 'Released'",
				'An OData $filter expression joined with "and" to the trigger\'s own filter. ERP.net supports eq, ge, le, and, in, contains(), startswith(), endswith(); not "or".',
			),
			languageOption,
		],
	},
];
