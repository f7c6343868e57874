/**
 * Which WEBHOOK actions a committed transaction runs: for each active user business rule whose repository and event
 * match a changed object and whose conditions all hold, each WEBHOOK action's template (Parameter 1 = its Code) is
 * interpolated in the context of that object (https://docs.erp.net/tech/advanced/concepts/webhooks.html,
 * https://docs.erp.net/tech/advanced/user-business-rules/index.html and the event pages under .../events/).
 * The sandbox commits synchronously, so a *COMMIT event and its *COMMITTED variant see the same committed data.
 */
import type { EntitySetInfo, ModelIndex } from '../odata/model';
import {
	referenceId,
	type EntityRecord,
	type LocatedRecord,
	type MemoryStore,
	type StoreChange,
} from '../store/memory-store';
import { interpolate, type InterpolationScope } from './interpolation';
import type { PushRequest } from './push-queue';
import { activeWebhookRules, webhookByCode, type RegisteredRule } from './registrations';
import { isDocumentHeader, setOfRepository } from './repository-events';

/** Who made the transaction: a client application (the Domain API) or the server itself. */
export interface CommitOrigin {
	client: boolean;
	language: string;
	userId?: string;
	enterpriseCompanyId?: string;
}

/** What the interpolation needs besides the object. */
export type ServerScope = Pick<InterpolationScope, 'now' | 'rootUrl' | 'databaseName' | 'guidFormat'>;

interface ChangedObject {
	set: EntitySetInfo;
	/** The record as committed, or as it was before a delete. */
	record: EntityRecord;
	kind: StoreChange['kind'];
	before?: EntityRecord;
}

export interface FiringProblem {
	level: 'error';
	message: string;
}

export function pushesOfCommit(
	store: MemoryStore,
	changes: StoreChange[],
	origin: CommitOrigin,
	server: ServerScope,
	report: (problem: FiringProblem) => void,
): PushRequest[] {
	const rules = activeWebhookRules(store);
	if (rules.length === 0 || changes.length === 0) return [];
	const objects = changedObjects(store, changes);
	const roots = aggregateRoots(store, objects);
	const pushes: PushRequest[] = [];
	for (const registered of rules) {
		const ruleSet = setOfRepository(store.model, String(registered.rule.RepositoryName ?? ''));
		if (!ruleSet) continue;
		for (const event of registered.events) {
			if (event.Layer === 'FrontEnd') continue;
			for (const target of eventTargets(
				String(event.EventType),
				String(event.EventParameter ?? ''),
				ruleSet,
				objects,
				roots,
				origin,
			)) {
				if (!registered.conditions.every((condition) => conditionHolds(condition, target, store))) continue;
				pushes.push(
					...webhookPushes(registered, String(event.EventType), target.object, store, origin, server, report),
				);
			}
		}
	}
	return pushes;
}

function changedObjects(store: MemoryStore, changes: StoreChange[]): ChangedObject[] {
	const byId = new Map<string, ChangedObject>();
	for (const change of changes) {
		const set = store.model.getSet(change.entitySet);
		const existing = byId.get(change.id);
		const record = change.kind === 'delete' ? change.before : store.peek(change.entitySet, change.id);
		if (!set || !record) {
			if (change.kind === 'delete' && existing?.kind === 'insert') byId.delete(change.id);
			continue;
		}
		// An object inserted and then changed in one transaction is one insert; its first `before` is kept.
		const kind = existing?.kind === 'insert' && change.kind !== 'delete' ? 'insert' : change.kind;
		if (existing?.kind === 'insert' && change.kind === 'delete') {
			byId.delete(change.id);
			continue;
		}
		byId.set(change.id, { set, record, kind, before: existing?.before ?? change.before });
	}
	return [...byId.values()];
}

/** The aggregate root of each changed object (following ownership references), once each. */
function aggregateRoots(store: MemoryStore, objects: ChangedObject[]): ChangedObject[] {
	const roots = new Map<string, ChangedObject>();
	for (const object of objects) {
		let current: { set: EntitySetInfo; record: EntityRecord } | undefined = object;
		for (let depth = 0; current && !current.set.definition.aggregateRoot && depth < 16; depth++) {
			const ownerId: string | undefined = current.set.ownerReference
				? referenceId(current.record[current.set.ownerReference.name])
				: undefined;
			const located: LocatedRecord | undefined = ownerId ? store.locate(ownerId) : undefined;
			const ownerSet: EntitySetInfo | undefined = located ? store.model.getSet(located.entitySet) : undefined;
			current = located && ownerSet ? { set: ownerSet, record: located.record } : undefined;
		}
		if (!current?.set.definition.aggregateRoot) continue;
		const id = String(current.record.Id);
		const own = object.set === current.set && object.record === current.record ? object : undefined;
		if (!roots.has(id) || own) roots.set(id, own ?? { set: current.set, record: current.record, kind: 'update' });
	}
	return [...roots.values()];
}

interface EventTarget {
	object: ChangedObject;
	/** `$FromState`, `$ToState`, ... of state events, for conditions. */
	eventAttributes: Record<string, unknown>;
}

function inRepository(object: ChangedObject, ruleSet: EntitySetInfo): boolean {
	return object.set.name === ruleSet.name || object.set.ancestors.includes(ruleSet.name);
}

/** The objects an event of a rule is raised for, by the event pages' definitions. */
function eventTargets(
	eventType: string,
	parameter: string,
	ruleSet: EntitySetInfo,
	objects: ChangedObject[],
	roots: ChangedObject[],
	origin: CommitOrigin,
): EventTarget[] {
	const plain = (list: ChangedObject[]) =>
		list.filter((object) => inRepository(object, ruleSet)).map((object) => ({ object, eventAttributes: {} }));
	switch (eventType) {
		case 'COMMIT':
		case 'COMMITTED':
			return plain(objects);
		case 'CLIENTCOMMIT':
		case 'CLIENTCOMMITTED':
			return origin.client ? plain(objects) : [];
		case 'AGGREGATECLIENTCOMMIT':
		case 'AGGREGATECLIENTCOMMITTED':
			return origin.client && ruleSet.definition.aggregateRoot ? plain(roots) : [];
		case 'STATECHANGING':
		case 'STATECHANGED':
			return stateChanges(plain(objects), parameter);
		case 'VOIDING':
			return plain(objects).filter(
				({ object }) => isDocumentHeader(object.set) && object.record.Void === true && object.before?.Void !== true,
			);
		default:
			// CREATENEW, ATTRIBUTECHANGING/ED and BEFORERECALCULATE run in front-end applications, not on the server.
			return [];
	}
}

/** STATECHANGING/STATECHANGED parameters: state names (`RELEASED`, `FIRM PLANNED`, `RELEASING`) or numbers 10-50. */
const STATE_OF_PARAMETER: Record<string, string> = {
	PLANNED: 'Planned',
	PLANNING: 'Planned',
	'10': 'Planned',
	FIRMPLANNED: 'FirmPlanned',
	FIRMPLANNING: 'FirmPlanned',
	'20': 'FirmPlanned',
	RELEASED: 'Released',
	RELEASING: 'Released',
	'30': 'Released',
	COMPLETED: 'Completed',
	COMPLETING: 'Completed',
	'40': 'Completed',
	CLOSED: 'Closed',
	CLOSING: 'Closed',
	'50': 'Closed',
};

function stateChanges(targets: EventTarget[], parameter: string): EventTarget[] {
	const state = STATE_OF_PARAMETER[parameter.replace(/[\s_]/g, '').toUpperCase()];
	if (!state) return [];
	return targets
		.filter(
			({ object }) => isDocumentHeader(object.set) && object.record.State === state && object.before?.State !== state,
		)
		.map(({ object }) => ({
			object,
			eventAttributes: {
				$FromState: object.before?.State ?? null,
				$ToState: object.record.State,
				$FromUserStatusId: referenceId(object.before?.UserStatus) ?? null,
				$ToUserStatusId: referenceId(object.record.UserStatus) ?? null,
			},
		}));
}

/** "A condition is met when the value of the specified attribute and the specified value compose a TRUE statement." */
function conditionHolds(condition: EntityRecord, target: EventTarget, store: MemoryStore): boolean {
	const name = String(condition.AttributeName ?? '');
	const actual = name.startsWith('$')
		? target.eventAttributes[name]
		: memberValue(target.object, name.split('.'), store.model, store);
	const text = comparable(actual);
	const expected = condition.Value === null || condition.Value === undefined ? '' : String(condition.Value);
	switch (condition.ComparisonType ?? 'Equals') {
		case 'IsNull':
			return text === '';
		case 'Equals':
			return equal(text, expected);
		case 'Not_Equals':
			return !equal(text, expected);
		case 'Greater_Than':
			return compare(text, expected) >= 0;
		case 'Less_Than':
			return compare(text, expected) <= 0;
		case 'Like':
			return new RegExp(`^${expected.split('*').map(escapeRegExp).join('.*')}$`, 'i').test(text);
		default:
			return false;
	}
}

function memberValue(object: ChangedObject, path: string[], model: ModelIndex, store: MemoryStore): unknown {
	let set = object.set;
	let record = object.record;
	for (const [position, name] of path.entries()) {
		const value = name === set.keyAttribute ? record.Id : record[name];
		if (position === path.length - 1) return value;
		const id = referenceId(value);
		const located = id ? store.locate(id) : undefined;
		const next = located ? model.getSet(located.entitySet) : undefined;
		if (!located || !next) return undefined;
		set = next;
		record = located.record;
	}
	return undefined;
}

function comparable(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'boolean') return value ? 'True' : 'False';
	if (typeof value !== 'object') return String(value);
	const reference = referenceId(value);
	if (reference) return reference;
	if ('Value' in value) return String((value as { Value: unknown }).Value ?? '');
	const texts = Object.values(value as Record<string, unknown>).filter((text) => typeof text === 'string');
	return String((value as Record<string, unknown>).EN ?? texts[0] ?? '');
}

function equal(actual: string, expected: string): boolean {
	if (isNumber(actual) && isNumber(expected)) return Number(actual) === Number(expected);
	return actual.toLowerCase() === expected.toLowerCase();
}

function compare(actual: string, expected: string): number {
	if (isNumber(actual) && isNumber(expected)) return Number(actual) - Number(expected);
	const left = Date.parse(actual);
	const right = Date.parse(expected);
	if (!Number.isNaN(left) && !Number.isNaN(right)) return left - right;
	return actual.localeCompare(expected);
}

function isNumber(text: string): boolean {
	return text.trim() !== '' && !Number.isNaN(Number(text));
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The rule's WEBHOOK actions for one object, in ActionNo order; a missing or mismatched template is a logged error. */
function webhookPushes(
	registered: RegisteredRule,
	eventType: string,
	object: ChangedObject,
	store: MemoryStore,
	origin: CommitOrigin,
	server: ServerScope,
	report: (problem: FiringProblem) => void,
): PushRequest[] {
	const pushes: PushRequest[] = [];
	const ruleCode = String(registered.rule.Code);
	for (const action of registered.webhookActions) {
		const code = String(action.Parameter1Value ?? '');
		const webhook = webhookByCode(store, code);
		if (!webhook) {
			report({ level: 'error', message: `User business rule '${ruleCode}': the webhook '${code}' does not exist.` });
			continue;
		}
		// "The Repository Name field must have a value that matches the one in the user business rule."
		if (webhook.RepositoryName !== registered.rule.RepositoryName) {
			report({
				level: 'error',
				message: `User business rule '${ruleCode}': the webhook '${code}' is set up for '${String(webhook.RepositoryName)}', not '${String(registered.rule.RepositoryName)}'.`,
			});
			continue;
		}
		const scope: InterpolationScope = {
			...server,
			model: store.model,
			store,
			object: { set: object.set, record: object.record },
			language: origin.language,
			userId: origin.userId,
			enterpriseCompanyId: origin.enterpriseCompanyId,
		};
		const at = (template: unknown, urlPart: boolean) =>
			interpolate(String(template ?? ''), urlPart ? scope : { ...scope, guidFormat: undefined });
		pushes.push({
			url: at(webhook.URL, true),
			headers: headerLines(at(webhook.Headers, false)),
			body: at(webhook.Body, false),
			retry: webhook.RetryLogic === 'Retry',
			webhookCode: code,
			ruleCode,
			eventType,
			repositoryName: String(registered.rule.RepositoryName),
			objectId: String(object.record.Id),
		});
	}
	return pushes;
}

/** "Each header is specified on a separate line" (model page Systems.Config.WebHooks): `Name: value`. */
function headerLines(text: string): Array<[string, string]> {
	const headers: Array<[string, string]> = [];
	for (const line of text.split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
	}
	return headers;
}
