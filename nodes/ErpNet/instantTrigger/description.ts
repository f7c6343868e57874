import type { INodeProperties } from 'n8n-workflow';

import { triggerProperties } from '../trigger/description';

/** The events registered when none are chosen: the committed ones (the others fire inside ERP.net's transaction). */
export const DEFAULT_EVENTS = ['AGGREGATECLIENTCOMMITTED'];
export const DEFAULT_CATCH_UP_MINUTES = 15;

function triggerProperty(name: string): INodeProperties {
	const property = triggerProperties.find((candidate) => candidate.name === name);
	if (!property) throw new Error(`The ERP.net Trigger has no parameter ${name}`);
	return property;
}

/**
 * The polling trigger's options without its Overlap (the instant trigger reads with ERP.net's default) and without
 * the hints that speak of polls.
 */
const options = triggerProperty('options');
const instantOptions = ((options.options as INodeProperties[] | undefined) ?? [])
	.filter((option) => option.name !== 'overlap')
	.map((option) => {
		const withoutHint = { ...option };
		delete withoutHint.hint;
		return withoutHint;
	});

export const instantTriggerProperties: INodeProperties[] = [
	triggerProperty('entitySet'),
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
			{
				name: 'Event Only',
				value: 'event',
				description: 'Only the entity set, record ID, kind of change and its time',
			},
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
			'How often the trigger reads the changes without waiting for a push, so that a push ERP.net discarded or ' +
			'could not deliver delays a change by at most this long',
	},
	{ ...options, options: instantOptions },
];
