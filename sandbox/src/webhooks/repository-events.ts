/**
 * The events a repository offers to user business rules, as the unbound function `GetRepositoryEvents` returns them
 * (https://docs.erp.net/dev/domain-api/operations/get-repository-events.html), with the texts and layers of the event pages
 * (https://docs.erp.net/tech/advanced/user-business-rules/events/index.html) and of the function's own example.
 * Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/tech), licensed CC BY 4.0.
 */
import type { EntitySetInfo, ModelIndex } from '../odata/model';

export type EventLayer = 'Common' | 'BackEnd' | 'FrontEnd';

export interface RepositoryEvent {
	EventType: string;
	Description: string;
	Layer: EventLayer;
	RequiresEventParameter: boolean;
	EventParameterDescription: string | null;
	EventAttributes: Array<{ Name: string; Description: string }> | null;
}

export interface RepositoryEventsResult {
	repositoryName: string;
	events: RepositoryEvent[];
}

const STATE_PARAMETER =
	"The new document state. Should be a document state number or name. Valid state numbers are from 10 to 50. Valid state names - 'PLANNED', 'FIRM PLANNED', 'RELEASED', 'COMPLETED' and 'CLOSED'.";

const STATE_ATTRIBUTES = [
	{ Name: '$FromState', Description: 'The state of the document before the change.' },
	{
		Name: '$ToState',
		Description: 'The new state of the document. This is a parameter of the Document.ChangeState method.',
	},
	{ Name: '$FromUserStatusId', Description: 'The user status of the document before the change.' },
	{
		Name: '$ToUserStatusId',
		Description: 'The new user status of the document. This is a parameter of the Document.ChangeState method.',
	},
];

const ATTRIBUTE_PARAMETER = 'The name of the attribute whose value change triggers the event.';

function event(
	EventType: string,
	Layer: EventLayer,
	Description: string,
	parameter?: { description: string; attributes?: RepositoryEvent['EventAttributes'] },
): RepositoryEvent {
	return {
		EventType,
		Description,
		Layer,
		RequiresEventParameter: parameter !== undefined,
		EventParameterDescription: parameter?.description ?? null,
		EventAttributes: parameter?.attributes ?? null,
	};
}

/** Every repository: creation, attribute changes (front-end) and the commit events. */
const COMMON_EVENTS: RepositoryEvent[] = [
	event('CREATENEW', 'Common', 'Occurs when an editable domain object is created. Used to fill custom default values.'),
	event(
		'ATTRIBUTECHANGING',
		'FrontEnd',
		"Occurs before the attribute's value is changed. The attribute's name is specified in the 'Event Parameter' field.",
		{
			description: ATTRIBUTE_PARAMETER,
			attributes: [{ Name: '$NewValue', Description: 'The new value of the attribute, before it is applied.' }],
		},
	),
	event(
		'ATTRIBUTECHANGED',
		'FrontEnd',
		"Occurs after the attribute's value is changed. The attribute's name is specified in the 'Event Parameter' field.",
		{
			description: ATTRIBUTE_PARAMETER,
		},
	),
	event('COMMIT', 'BackEnd', 'Occurs when saving a change of an object.'),
	event('COMMITTED', 'BackEnd', 'Occurs after an object change is saved.'),
	event(
		'CLIENTCOMMIT',
		'BackEnd',
		"Occurs when saving a change of an object, made by a client application. If the change is made by the server, the event won't be triggered.",
	),
	event(
		'CLIENTCOMMITTED',
		'BackEnd',
		"Occurs after saving a change to an object, made by a client application. If the change is made by the server, this event won't be triggered.",
	),
];

/** Aggregate roots (https://docs.erp.net/tech/advanced/user-business-rules/events/aggregate-client-commit.html: "the repository of the user business rule is an aggregate root entity"). */
const AGGREGATE_EVENTS: RepositoryEvent[] = [
	event(
		'AGGREGATECLIENTCOMMIT',
		'BackEnd',
		"Occurs for the aggregate root when saving a change of an aggregate object, but only when the change is made by a client application. If it's made by the server, the event won't be triggered.",
	),
	event(
		'AGGREGATECLIENTCOMMITTED',
		'BackEnd',
		"Occurs for the aggregate root after a change is made to an aggregate object, but only when the change is made by a client application. If it's made by the server, the event won't be triggered.",
	),
];

/** Document headers only (https://docs.erp.net/tech/advanced/user-business-rules/events/statechanging.html, Example 3). */
const DOCUMENT_EVENTS: RepositoryEvent[] = [
	event(
		'STATECHANGING',
		'BackEnd',
		'Occurs before the document state is changed. The event parameter is the new document state.',
		{
			description: STATE_PARAMETER,
			attributes: STATE_ATTRIBUTES,
		},
	),
	event(
		'STATECHANGED',
		'BackEnd',
		'Occurs after the document state is changed, before the change is saved. The event parameter is the new document state.',
		{
			description: STATE_PARAMETER,
			attributes: STATE_ATTRIBUTES,
		},
	),
	event('VOIDING', 'BackEnd', 'Occurs during the voiding of a document.'),
];

/** https://docs.erp.net/tech/advanced/user-business-rules/events/beforerecalculate.html: document headers and the rows with prices and amounts. */
const RECALCULATE_EVENT = event(
	'BEFORERECALCULATE',
	'FrontEnd',
	'Occurs before every recalculation of the amounts in the document.',
);

const DOCUMENTS = 'General_Documents_Documents';

export function isDocumentHeader(set: EntitySetInfo): boolean {
	return set.name === DOCUMENTS || set.ancestors.includes(DOCUMENTS);
}

function isDocumentLine(set: EntitySetInfo, model: ModelIndex): boolean {
	const owner = set.ownerReference ? model.getSet(set.ownerReference.targetSet) : undefined;
	return !!owner && isDocumentHeader(owner);
}

/** The entity set of a repository name (`Crm.Sales.SalesOrders`); undefined when there is none. */
export function setOfRepository(model: ModelIndex, repositoryName: string): EntitySetInfo | undefined {
	const set = model.getSet(repositoryName.replace(/\./g, '_'));
	return set && set.definition.repository === repositoryName ? set : undefined;
}

/** Which events a repository offers; "Document header repositories and document line repositories do not necessarily support the same events". */
export function repositoryEvents(set: EntitySetInfo, model: ModelIndex): RepositoryEvent[] {
	const events = [...COMMON_EVENTS];
	if (set.definition.aggregateRoot) events.push(...AGGREGATE_EVENTS);
	if (isDocumentHeader(set)) events.push(...DOCUMENT_EVENTS);
	if (isDocumentHeader(set) || isDocumentLine(set, model)) events.push(RECALCULATE_EVENT);
	return events.map((entry) => structuredClone(entry));
}
