/**
 * The push registration: one web hook template (Systems.Config.WebHooks) and one user business rule
 * (Systems.Bpm.UserBusinessRules) whose WEBHOOK action names it
 * (https://docs.erp.net/tech/advanced/concepts/webhooks.html,
 * https://docs.erp.net/tech/advanced/user-business-rules/action-types/webhook.html).
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { outputRecord, stringLiteral } from '../../../core/odata';
import type { ErpNetFunctions } from '../../../core/transport';
import { erpNetApiRequest, erpNetBatch, nodeApiError, odataUrl, redact } from '../../../core/transport';
import type { ChosenEvent } from './events';
import { interpolationConstant, interpolationExpression } from './interpolation';

export const WEBHOOKS_SET = 'Systems_Config_WebHooks';
export const RULES_SET = 'Systems_Bpm_UserBusinessRules';
/** The header that carries the registration's secret (lower case: how Node.js hands headers over). */
export const PUSH_HEADER = 'x-n8n-erpnet-secret';
/**
 * Code lengths of the model: Systems.Config.WebHooks.Code string(32), Systems.Bpm.UserBusinessRules.Code string(16).
 */
const WEBHOOK_CODE_LENGTH = 32;
const RULE_CODE_LENGTH = 16;
const NAME_LENGTH = 254;

/** What the node remembers of its registration (the secret only as a digest). */
export interface Registration {
	webhookCode: string;
	ruleCode: string;
	repository: string;
	url: string;
	events: ChosenEvent[];
	secretDigest: string;
}

/** The registration as ERP.net should hold it; `secret` exists only while it is written. */
export interface RegistrationPlan extends Registration {
	secret: string;
	workflowLabel: string;
}

export function secretDigest(secret: string): string {
	return createHash('sha256').update(`n8n-nodes-erpnet/push-secret\n${secret}`, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with the registration's digest. */
export function secretMatches(presented: unknown, digest: string): boolean {
	if (typeof presented !== 'string' || presented === '') return false;
	const given = Buffer.from(secretDigest(presented), 'hex');
	const expected = Buffer.from(digest, 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Codes unique per workflow and node (and apart for "Listen for test event"), within the model's lengths:
 * `n8n_` and a digest of the workflow id and node id.
 */
export function registrationCodes(
	workflowId: string,
	nodeId: string,
	test: boolean,
): { webhookCode: string; ruleCode: string } {
	const digest = createHash('sha256')
		.update(JSON.stringify(['n8n-nodes-erpnet/instant-trigger', workflowId, nodeId, test]))
		.digest('hex');
	const prefix = test ? 'n8nt' : 'n8n_';
	return {
		webhookCode: (prefix + digest).slice(0, WEBHOOK_CODE_LENGTH),
		ruleCode: (prefix + digest).slice(0, RULE_CODE_LENGTH),
	};
}

export function newSecret(): string {
	return randomBytes(32).toString('hex');
}

function headersText(secret: string): string {
	return [`Content-Type: application/json`, `${PUSH_HEADER}: ${secret}`].map(interpolationConstant).join('\n');
}

/**
 * The pushed body: the registration and event as constants; the record, repository and its time through string
 * interpolation; JSON braces doubled
 * (https://docs.erp.net/tech/advanced/string-interpolation/expression-types/constant.html).
 */
export function bodyTemplate(plan: Pick<Registration, 'webhookCode' | 'events'>): string {
	const constant = (name: string, value: string) => `"${name}":"${interpolationConstant(value)}"`;
	const expression = (name: string, reference: string) => `"${name}":"${interpolationExpression(reference)}"`;
	const events = plan.events.map((event) =>
		event.eventParameter ? `${event.eventType}:${event.eventParameter}` : event.eventType,
	);
	return `{{${[
		constant('registration', plan.webhookCode),
		constant('event', events.join(',')),
		expression('repository', '$repository'),
		expression('id', 'Id'),
		expression('aggregateLastUpdateTimeUtc', 'AggregateLastUpdateTimeUtc:O'),
	].join(',')}}}`;
}

function nameOf(plan: RegistrationPlan, what: string): IDataObject {
	return { EN: `n8n: ${what} of ${plan.workflowLabel}`.slice(0, NAME_LENGTH) };
}

const NOTES = 'Created by the n8n ERP.net Instant Trigger; removed when the workflow is unpublished. Do not edit.';

export function webhookRecord(plan: RegistrationPlan): IDataObject {
	return {
		Code: plan.webhookCode,
		Name: nameOf(plan, 'push'),
		RepositoryName: plan.repository,
		URL: interpolationConstant(plan.url),
		Headers: headersText(plan.secret),
		Body: bodyTemplate(plan),
		RetryLogic: 'Retry',
		Notes: NOTES,
	};
}

export function ruleRecord(plan: RegistrationPlan): IDataObject {
	return {
		Code: plan.ruleCode,
		Name: nameOf(plan, 'push rule'),
		RepositoryName: plan.repository,
		Layer: 'BackEnd',
		IsActive: true,
		Notes: NOTES,
		Events: plan.events.map((event) => ({
			EventType: event.eventType,
			...(event.eventParameter ? { EventParameter: event.eventParameter } : {}),
			ExecutionPriority: 'Normal',
			Layer: 'BackEnd',
		})),
		Actions: [{ ActionNo: 1, ActionType: 'WEBHOOK', Parameter1Type: 'Constant', Parameter1Value: plan.webhookCode }],
	};
}

interface Found {
	webhook?: IDataObject;
	rule?: IDataObject;
}

async function findByCode(
	this: ErpNetFunctions,
	entitySet: string,
	code: string,
	query: { $expand?: string; $select?: string } = {},
): Promise<IDataObject | undefined> {
	const response = (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await odataUrl.call(this, entitySet, { $filter: `Code eq ${stringLiteral(code)}`, $top: 1, ...query }),
		action: `look up ${entitySet} ${code}`,
	})) as { value?: IDataObject[] } | undefined;
	const record = response?.value?.[0];
	return record ? outputRecord(record) : undefined;
}

async function findRegistration(
	this: ErpNetFunctions,
	codes: Pick<Registration, 'webhookCode' | 'ruleCode'>,
): Promise<Found> {
	return {
		webhook: await findByCode.call(this, WEBHOOKS_SET, codes.webhookCode),
		rule: await findByCode.call(this, RULES_SET, codes.ruleCode, { $expand: 'Events,Actions' }),
	};
}

function pushedSecret(headers: unknown): string | undefined {
	for (const line of String(headers ?? '').split(/\r?\n/)) {
		const separator = line.indexOf(':');
		if (separator > 0 && line.slice(0, separator).trim().toLowerCase() === PUSH_HEADER)
			return line.slice(separator + 1).trim();
	}
	return undefined;
}

function sameEvents(rows: unknown, events: ChosenEvent[]): boolean {
	if (!Array.isArray(rows) || rows.length !== events.length) return false;
	const key = (type: unknown, parameter: unknown) => `${String(type)}:${String(parameter ?? '')}`;
	const wanted = new Set(events.map((event) => key(event.eventType, event.eventParameter)));
	return (rows as IDataObject[]).every((row) => wanted.has(key(row.EventType, row.EventParameter)));
}

/** Whether ERP.net holds both records as this registration wrote them. */
export async function registrationMatches(this: ErpNetFunctions, registration: Registration): Promise<boolean> {
	const { webhook, rule } = await findRegistration.call(this, registration);
	if (!webhook || !rule) return false;
	const secret = pushedSecret(webhook.Headers);
	const actions = Array.isArray(rule.Actions) ? (rule.Actions as IDataObject[]) : [];
	return (
		webhook.RepositoryName === registration.repository &&
		webhook.URL === interpolationConstant(registration.url) &&
		webhook.Body === bodyTemplate(registration) &&
		secretMatches(secret, registration.secretDigest) &&
		rule.RepositoryName === registration.repository &&
		rule.IsActive === true &&
		sameEvents(rule.Events, registration.events) &&
		actions.length === 1 &&
		actions[0].ActionType === 'WEBHOOK' &&
		actions[0].Parameter1Value === registration.webhookCode
	);
}

/** Deletes whatever of the registration ERP.net holds: the rule first, so that it never names a missing template. */
export async function removeRegistration(
	this: ErpNetFunctions,
	codes: Pick<Registration, 'webhookCode' | 'ruleCode'>,
): Promise<void> {
	const { webhook, rule } = await findRegistration.call(this, codes);
	for (const [entitySet, record] of [
		[RULES_SET, rule],
		[WEBHOOKS_SET, webhook],
	] as const) {
		if (typeof record?.Id !== 'string') continue;
		await erpNetApiRequest.call(this, {
			method: 'DELETE',
			url: await odataUrl.call(this, `${entitySet}(${record.Id.toLowerCase()})`),
			action: `delete ${entitySet} ${String(record.Code)}`,
		});
	}
}

/** The administrator's part when ERP.net refuses the registration for lack of rights or scope. */
function rightsDescription(entities: string): string {
	return (
		`ERP.net refused to write ${entities}. The ERP.net administrator must grant the credential's user the ` +
		'rights to create, read and delete Systems.Config.WebHooks and Systems.Bpm.UserBusinessRules, and the ' +
		`trusted application the "update" scope (the credential's Scope must include it).`
	);
}

function isRightsFailure(error: unknown): boolean {
	const code = String((error as { httpCode?: unknown })?.httpCode ?? '');
	return code === '401' || code === '403';
}

/** The error without the secret, with what the administrator must grant when rights or scope are missing. */
function activationError(context: IHookFunctions, error: unknown, secret: string, entities: string): Error {
	const message = redact(error instanceof Error ? error.message : String(error), [secret]);
	const given = (error as { description?: unknown })?.description;
	const description = isRightsFailure(error)
		? rightsDescription(entities)
		: redact(typeof given === 'string' ? given : '', [secret]) || undefined;
	const httpCode = (error as { httpCode?: unknown })?.httpCode;
	if (error instanceof NodeApiError) {
		return nodeApiError(
			context.getNode(),
			{ message },
			{
				message: `Could not register the push in ERP.net: ${message}`,
				description,
				httpCode: typeof httpCode === 'string' ? httpCode : undefined,
			},
		);
	}
	return new NodeOperationError(context.getNode(), `Could not register the push in ERP.net: ${message}`, {
		description,
	});
}

/**
 * Writes the template and the rule in one `$batch` changeset (both or neither,
 * https://docs.erp.net/dev/domain-api/data-manipulation/batch.html). Leftovers under the same codes are removed
 * first; when the outcome is unknown, whatever was created is removed again. Returns the template's
 * AggregateLastUpdateTimeUtc: the exact server time of the registration, before any push it can cause.
 */
export async function createRegistration(this: IHookFunctions, plan: RegistrationPlan): Promise<unknown> {
	try {
		await removeRegistration.call(this, plan);
	} catch (error) {
		throw activationError(this, error, plan.secret, `${WEBHOOKS_SET} and ${RULES_SET}`);
	}
	let outcomes;
	try {
		outcomes = await erpNetBatch.call(
			this,
			[
				{
					itemIndex: 0,
					write: { method: 'POST', resource: WEBHOOKS_SET, body: webhookRecord(plan) },
					action: `create the web hook template ${plan.webhookCode}`,
				},
				{
					itemIndex: 1,
					write: { method: 'POST', resource: RULES_SET, body: ruleRecord(plan) },
					action: `create the business rule ${plan.ruleCode}`,
				},
			],
			true,
			{},
		);
	} catch (error) {
		await removeRegistration.call(this, plan).catch(() => undefined);
		throw activationError(this, error, plan.secret, `${WEBHOOKS_SET} and ${RULES_SET}`);
	}
	const failed = outcomes.findIndex((outcome) => outcome.error && !/rolled back/.test(outcome.error.message));
	if (failed >= 0 || outcomes.some((outcome) => outcome.error)) {
		await removeRegistration.call(this, plan).catch(() => undefined);
		const index = failed >= 0 ? failed : 0;
		throw activationError(
			this,
			outcomes[index].error,
			plan.secret,
			index === 0 ? `${WEBHOOKS_SET} (the web hook template)` : `${RULES_SET} (the business rule)`,
		);
	}
	const written = outcomes[0].written?.AggregateLastUpdateTimeUtc;
	if (written !== undefined && written !== null) return written;
	const template = await findByCode
		.call(this, WEBHOOKS_SET, plan.webhookCode, { $select: 'Id,AggregateLastUpdateTimeUtc' })
		.catch(() => undefined);
	return template?.AggregateLastUpdateTimeUtc;
}

export function withoutSecret(plan: RegistrationPlan): Registration {
	return {
		webhookCode: plan.webhookCode,
		ruleCode: plan.ruleCode,
		repository: plan.repository,
		url: plan.url,
		events: plan.events,
		secretDigest: plan.secretDigest,
	};
}
