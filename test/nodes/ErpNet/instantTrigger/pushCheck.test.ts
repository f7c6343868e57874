/** Unit tests of the pure parts of the instant trigger: push checks, codes, interpolation, schedule. */
import { catchUpCron } from '../../../../nodes/ErpNet/ErpNetInstantTrigger.node';
import { interpolationConstant, pushedGuid } from '../../../../nodes/ErpNet/instantTrigger/interpolation';
import { checkPush } from '../../../../nodes/ErpNet/instantTrigger/push';
import type { Registration } from '../../../../nodes/ErpNet/instantTrigger/registration';
import {
	PUSH_HEADER,
	bodyTemplate,
	registrationCodes,
	ruleRecord,
	secretDigest,
	webhookRecord,
} from '../../../../nodes/ErpNet/instantTrigger/registration';
import { serialized } from '../../../../nodes/ErpNet/instantTrigger/serialize';

const SECRET = 'a'.repeat(64);
const ID = '6d954d04-105b-4277-ad2c-6a9a80076a63';
const registration: Registration = {
	...registrationCodes('wf1', 'node1', false),
	repository: 'Crm.Sales.SalesOrders',
	url: 'https://n8n.example.com/webhook/abc/webhook',
	events: [{ eventType: 'AGGREGATECLIENTCOMMITTED' }],
	secretDigest: secretDigest(SECRET),
};
const body = (overrides: Record<string, unknown> = {}) => ({
	registration: registration.webhookCode,
	repository: 'Crm.Sales.SalesOrders',
	id: ID,
	event: 'AGGREGATECLIENTCOMMITTED',
	...overrides,
});

describe('instant trigger push check', () => {
	it('accepts the registration secret with an event of this registration, with or without braces around the Id', () => {
		expect(checkPush({ [PUSH_HEADER]: SECRET }, body(), registration)).toEqual({ accepted: true, id: ID });
		expect(checkPush({ [PUSH_HEADER]: SECRET }, body({ id: `{${ID.toUpperCase()}}` }), registration)).toEqual({
			accepted: true,
			id: ID,
		});
		expect(checkPush({ [PUSH_HEADER]: SECRET }, JSON.stringify(body()), registration)).toEqual({
			accepted: true,
			id: ID,
		});
	});

	it('refuses a missing or wrong secret with 401 and never names it', () => {
		for (const headers of [
			{},
			{ [PUSH_HEADER]: '' },
			{ [PUSH_HEADER]: 'b'.repeat(64) },
			{ [PUSH_HEADER]: SECRET.slice(1) },
		]) {
			const check = checkPush(headers, body(), registration);
			expect(check).toMatchObject({ accepted: false, status: 401 });
			expect(JSON.stringify(check)).not.toContain(SECRET);
		}
	});

	it('refuses a body of another registration, another repository or without an Id with 400', () => {
		const headers = { [PUSH_HEADER]: SECRET };
		expect(checkPush(headers, body({ registration: 'n8n_other' }), registration)).toMatchObject({ status: 400 });
		expect(checkPush(headers, body({ repository: 'Crm.Sales.Customers' }), registration)).toMatchObject({
			status: 400,
		});
		expect(checkPush(headers, body({ id: 'not-a-guid' }), registration)).toMatchObject({ status: 400 });
		expect(checkPush(headers, 'not json', registration)).toMatchObject({ status: 400 });
	});
});

describe('instant trigger registration records', () => {
	it('has codes within the model lengths (32 and 16), unique per workflow, node and test', () => {
		const codes = [
			registrationCodes('wf1', 'node1', false),
			registrationCodes('wf1', 'node2', false),
			registrationCodes('wf2', 'node1', false),
			registrationCodes('wf1', 'node1', true),
		];
		for (const { webhookCode, ruleCode } of codes) {
			expect(webhookCode.length).toBeLessThanOrEqual(32);
			expect(ruleCode.length).toBeLessThanOrEqual(16);
		}
		expect(new Set(codes.map((code) => code.webhookCode)).size).toBe(4);
		expect(new Set(codes.map((code) => code.ruleCode)).size).toBe(4);
	});

	it('escapes the constant parts of URL, Headers and Body as string interpolation defines', () => {
		expect(interpolationConstant('a{b}c\\d')).toBe('a{{b}}c\\\\d');
		const plan = {
			...registration,
			url: 'https://h/webhook/{x}/webhook',
			secret: SECRET,
			workflowLabel: 'workflow "W" (wf1)',
		};
		const template = webhookRecord(plan);
		expect(template.URL).toBe('https://h/webhook/{{x}}/webhook');
		expect(String(template.Headers).split('\n')).toContain(`${PUSH_HEADER}: ${SECRET}`);
		expect(template.Body).toBe(
			`{{"registration":"${registration.webhookCode}","event":"AGGREGATECLIENTCOMMITTED","repository":"{$repository}","id":"{Id}","aggregateLastUpdateTimeUtc":"{AggregateLastUpdateTimeUtc:O}"}}`,
		);
		expect(bodyTemplate(plan)).toBe(template.Body);
		expect((template.Name as { EN: string }).EN).toContain('workflow "W" (wf1)');
	});

	it('writes a back-end rule with one event row per event and one WEBHOOK action naming the template', () => {
		const rule = ruleRecord({
			...registration,
			events: [{ eventType: 'AGGREGATECLIENTCOMMITTED' }, { eventType: 'STATECHANGED', eventParameter: 'RELEASED' }],
			secret: SECRET,
			workflowLabel: 'w',
		});
		expect(rule).toMatchObject({ IsActive: true, Layer: 'BackEnd', RepositoryName: 'Crm.Sales.SalesOrders' });
		expect(rule.Events).toEqual([
			{ EventType: 'AGGREGATECLIENTCOMMITTED', ExecutionPriority: 'Normal', Layer: 'BackEnd' },
			{ EventType: 'STATECHANGED', EventParameter: 'RELEASED', ExecutionPriority: 'Normal', Layer: 'BackEnd' },
		]);
		expect(rule.Actions).toEqual([
			{ ActionNo: 1, ActionType: 'WEBHOOK', Parameter1Type: 'Constant', Parameter1Value: registration.webhookCode },
		]);
	});
});

describe('instant trigger helpers', () => {
	it('schedules the catch-up at most the interval apart', () => {
		expect(catchUpCron(15)).toBe('0 */15 * * * *');
		expect(catchUpCron(1)).toBe('0 */1 * * * *');
		expect(catchUpCron(0)).toBe('0 */1 * * * *');
		expect(catchUpCron(120)).toBe('0 0 */2 * * *');
	});

	it('runs the pulls of one node one at a time, in arrival order', async () => {
		const log: string[] = [];
		const task = (name: string, ms: number) => async () => {
			log.push(`start ${name}`);
			await new Promise((resolve) => setTimeout(resolve, ms));
			log.push(`end ${name}`);
		};
		await Promise.all([
			serialized('k', task('a', 30)),
			serialized('k', task('b', 1)),
			serialized('other', task('c', 1)),
		]);
		expect(log.indexOf('end a')).toBeLessThan(log.indexOf('start b'));
		expect(log.indexOf('start c')).toBeLessThan(log.indexOf('end a'));
	});
});

describe('pushedGuid', () => {
	it('reads the Id with and without braces, and nothing else', () => {
		expect(pushedGuid(ID)).toBe(ID);
		expect(pushedGuid(`{${ID}}`)).toBe(ID);
		expect(pushedGuid(`{{${ID}}}`)).toBeUndefined();
		expect(pushedGuid(42)).toBeUndefined();
	});
});
