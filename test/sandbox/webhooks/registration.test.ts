/**
 * Conformance of the webhook registration entities and of GetRepositoryEvents with ERP.net's docs:
 * - https://docs.erp.net/tech/advanced/concepts/webhooks.html (template + user business rule, "wh_01" example)
 * - https://docs.erp.net/tech/advanced/user-business-rules/index.html (rule, events, conditions, actions)
 * - the model pages https://docs.erp.net/model/entities/Systems.Config.WebHooks.html, Systems.Bpm.UserBusinessRules.html,
 *   Systems.Bpm.UserBusinessRuleEvents.html, Systems.Bpm.UserBusinessRuleActions.html, Systems.Bpm.UserBusinessRuleConditions.html
 * - https://docs.erp.net/dev/domain-api/operations/get-repository-events.html
 * - https://docs.erp.net/dev/domain-api/data-manipulation/batch.html (changesets are atomic)
 * - https://docs.erp.net/dev/domain-api/data-manipulation/error-handling.html (envelope, duplicate key 2129)
 */
import { startSandbox, type Sandbox } from '../../../sandbox/src';
import { accessToken, idOf, odata, postChangeset, webhookRule, webhookTemplate } from './client';

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, sizes: { customers: 3, products: 3, salesOrders: 2 } });
	token = await accessToken(sandbox);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.control.reset();
	sandbox.control.setDeniedAccess({});
});

describe('Systems_Config_WebHooks (model page Systems.Config.WebHooks)', () => {
	it('should create the webhooks.html example template and default RetryLogic to NoRetry', async () => {
		const created = await odata(sandbox, token, 'Systems_Config_WebHooks', { body: webhookTemplate() });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({
			Code: 'wh_01',
			RepositoryName: 'Crm.Sales.SalesOrders',
			RetryLogic: 'NoRetry',
			URL: 'http://127.0.0.1:9/{Id}',
		});
		const read = await odata(sandbox, token, `Systems_Config_WebHooks?$filter=Code eq 'wh_01'`);
		expect(read.json.value).toHaveLength(1);
		expect(read.json.value?.[0].Headers).toBe('User-Agent: ERP.net\r\nX-Auth-Token: my_security_token');
	});

	it('should refuse a Code over string (32) with the ERP.net envelope', async () => {
		const reply = await odata(sandbox, token, 'Systems_Config_WebHooks', {
			body: webhookTemplate({ Code: 'c'.repeat(33) }),
		});
		expect(reply.status).toBe(500);
		expect(reply.json.error?.message).toContain("'Code' is too long: 33 characters, the maximum is 32");
		expect(
			(await odata(sandbox, token, 'Systems_Config_WebHooks', { body: webhookTemplate({ Code: 'c'.repeat(32) }) }))
				.status,
		).toBe(201);
	});

	it('should demand the Required members Code, Name, RepositoryName and URL', async () => {
		const reply = await odata(sandbox, token, 'Systems_Config_WebHooks', { body: { Body: '{Id}' } });
		expect(reply.status).toBe(500);
		for (const name of ['Code', 'Name', 'RepositoryName', 'URL'])
			expect(reply.json.error?.message).toContain(`'${name}'`);
		expect(reply.json.error?.message).not.toContain("'RetryLogic'");
	});

	it('should refuse a second template with the same code as a duplicate key (code 2129)', async () => {
		expect((await odata(sandbox, token, 'Systems_Config_WebHooks', { body: webhookTemplate() })).status).toBe(201);
		const duplicate = await odata(sandbox, token, 'Systems_Config_WebHooks', {
			body: webhookTemplate({ Name: { EN: 'Another' } }),
		});
		expect(duplicate.status).toBe(500);
		expect(duplicate.json.error).toMatchObject({ code: 2129 });
		expect(duplicate.json.error?.message).toMatch(/^Prohibited duplication in table 'dbo\.Sys_Web_Hooks'/);
		expect(duplicate.json.error?.message).toContain('Duplicated value: (wh_01)');
	});

	it('should update with PATCH and delete with DELETE', async () => {
		const created = await odata(sandbox, token, 'Systems_Config_WebHooks', { body: webhookTemplate() });
		const id = idOf(created);
		expect(
			(
				await odata(sandbox, token, `Systems_Config_WebHooks(${id})`, {
					method: 'PATCH',
					body: { RetryLogic: 'Retry' },
				})
			).status,
		).toBe(204);
		expect(sandbox.store.get('Systems_Config_WebHooks', id)?.RetryLogic).toBe('Retry');
		expect((await odata(sandbox, token, `Systems_Config_WebHooks(${id})`, { method: 'DELETE' })).status).toBe(204);
		expect(sandbox.store.count('Systems_Config_WebHooks')).toBe(0);
	});
});

describe('Systems_Bpm_UserBusinessRules with Events, Conditions and Actions (user-business-rules/index.html)', () => {
	it('should create a rule with its child collections in one POST and fill their defaults', async () => {
		const created = await odata(sandbox, token, 'Systems_Bpm_UserBusinessRules', {
			body: webhookRule({
				Layer: undefined,
				IsActive: undefined,
				Events: [{ EventType: 'AGGREGATECLIENTCOMMITTED' }],
				Actions: [
					{ ActionType: 'WEBHOOK', Parameter1Type: 'Constant', Parameter1Value: 'wh_01' },
					{ ActionType: 'WEBHOOK', Parameter1Value: 'wh_02' },
				],
				Conditions: [
					{ AttributeName: 'Void', Value: 'False' },
					{ AttributeName: 'DocumentNotes', ComparisonType: 'IsNull' },
				],
			}),
		});
		expect(created.status).toBe(201);
		// Defaults of the model pages: Layer BackEnd, IsActive false; ExecutionPriority 50 (Normal), event Layer BackEnd;
		// ActionNo "Max() + 1"; ConditionNo "Max() + 10"; ComparisonType Equals.
		expect(created.json).toMatchObject({ Layer: 'BackEnd', IsActive: false, ScriptLanguage: 'Integrated' });
		const id = idOf(created);
		const read = await odata(sandbox, token, `Systems_Bpm_UserBusinessRules(${id})?$expand=Events,Actions,Conditions`);
		expect(read.json.Events).toEqual([
			expect.objectContaining({
				EventType: 'AGGREGATECLIENTCOMMITTED',
				ExecutionPriority: 'Normal',
				Layer: 'BackEnd',
				EventParameter: null,
			}),
		]);
		const actions = (read.json.Actions as Array<Record<string, unknown>>).map((action) => [
			action.ActionNo,
			action.Parameter1Value,
		]);
		expect(actions.sort()).toEqual([
			[1, 'wh_01'],
			[2, 'wh_02'],
		]);
		const conditions = (read.json.Conditions as Array<Record<string, unknown>>).map((condition) => [
			condition.ConditionNo,
			condition.ComparisonType,
		]);
		expect(conditions.sort()).toEqual([
			[10, 'Equals'],
			[20, 'IsNull'],
		]);
	});

	it('should refuse a Code over string (16) and an unknown EventType', async () => {
		const longCode = await odata(sandbox, token, 'Systems_Bpm_UserBusinessRules', {
			body: webhookRule({ Code: 'R'.repeat(17) }),
		});
		expect(longCode.status).toBe(500);
		expect(longCode.json.error?.message).toContain("'Code' is too long: 17 characters, the maximum is 16");
		const unknownEvent = await odata(sandbox, token, 'Systems_Bpm_UserBusinessRules', {
			body: webhookRule({}, 'ONSAVE'),
		});
		expect(unknownEvent.status).toBe(500);
		expect(sandbox.store.count('Systems_Bpm_UserBusinessRules')).toBe(0);
		expect(sandbox.store.count('Systems_Bpm_UserBusinessRuleEvents')).toBe(0);
	});

	it('should refuse two actions with the same ActionNo ("unique within the business rule")', async () => {
		const reply = await odata(sandbox, token, 'Systems_Bpm_UserBusinessRules', {
			body: webhookRule({
				Actions: [
					{ ActionNo: 1, ActionType: 'WEBHOOK', Parameter1Value: 'a' },
					{ ActionNo: 1, ActionType: 'WEBHOOK', Parameter1Value: 'b' },
				],
			}),
		});
		expect(reply.status).toBe(500);
		expect(reply.json.error?.code).toBe(2129);
		expect(sandbox.store.count('Systems_Bpm_UserBusinessRules')).toBe(0);
	});

	it('should delete the rule with its events, actions and conditions', async () => {
		const created = await odata(sandbox, token, 'Systems_Bpm_UserBusinessRules', {
			body: webhookRule({ Conditions: [{ AttributeName: 'Void', Value: 'False' }] }),
		});
		expect(
			(await odata(sandbox, token, `Systems_Bpm_UserBusinessRules(${idOf(created)})`, { method: 'DELETE' })).status,
		).toBe(204);
		for (const set of [
			'Systems_Bpm_UserBusinessRules',
			'Systems_Bpm_UserBusinessRuleEvents',
			'Systems_Bpm_UserBusinessRuleActions',
			'Systems_Bpm_UserBusinessRuleConditions',
		]) {
			expect(sandbox.store.count(set)).toBe(0);
		}
	});
});

describe('registration in one $batch changeset (batch.html: all or nothing)', () => {
	it('should store the template and the rule together', async () => {
		const reply = await postChangeset(sandbox, token, [
			{ path: 'Systems_Config_WebHooks', body: webhookTemplate() },
			{ path: 'Systems_Bpm_UserBusinessRules', body: webhookRule() },
		]);
		expect(reply.status).toBe(200);
		expect(reply.text.match(/HTTP\/1\.1 201 Created/g)).toHaveLength(2);
		expect(sandbox.control.webhooks.counts()).toEqual({ webHooks: 1, userBusinessRules: 1, activeWebhookRules: 1 });
	});

	it('should store neither when the rule is refused', async () => {
		const reply = await postChangeset(sandbox, token, [
			{ path: 'Systems_Config_WebHooks', body: webhookTemplate() },
			{ path: 'Systems_Bpm_UserBusinessRules', body: webhookRule({ Code: 'R'.repeat(17) }) },
		]);
		expect(reply.text).toContain('HTTP/1.1 500');
		expect(reply.text).not.toContain('201 Created');
		expect(sandbox.control.webhooks.counts()).toEqual({ webHooks: 0, userBusinessRules: 0, activeWebhookRules: 0 });
	});
});

describe('rights of the service user (control.setDeniedAccess)', () => {
	it('should answer 403 naming the repository when the user may not modify web hooks, and keep reads', async () => {
		sandbox.control.setDeniedAccess({ Systems_Config_WebHooks: 'write' });
		const reply = await odata(sandbox, token, 'Systems_Config_WebHooks', { body: webhookTemplate() });
		expect(reply.status).toBe(403);
		expect(reply.json.error?.message).toContain(
			"has no permission to create, modify or delete 'Systems.Config.WebHooks'",
		);
		expect((await odata(sandbox, token, 'Systems_Config_WebHooks')).status).toBe(200);
		expect(sandbox.store.count('Systems_Config_WebHooks')).toBe(0);
	});

	it("should cover the rule's child sets and reads with `all`, and fail the whole changeset", async () => {
		sandbox.control.setDeniedAccess({ Systems_Bpm_UserBusinessRules: 'all' });
		expect((await odata(sandbox, token, 'Systems_Bpm_UserBusinessRuleEvents')).status).toBe(403);
		const reply = await postChangeset(sandbox, token, [
			{ path: 'Systems_Config_WebHooks', body: webhookTemplate() },
			{ path: 'Systems_Bpm_UserBusinessRules', body: webhookRule() },
		]);
		expect(reply.text).toContain('HTTP/1.1 403');
		expect(reply.text).toContain('delete \\u0027Systems.Bpm.UserBusinessRules\\u0027');
		expect(sandbox.store.count('Systems_Config_WebHooks')).toBe(0);
	});
});

describe('the push queue of a sandbox started without options', () => {
	it('should have the documented 1 s pause, 10 s timeout and 1000 webhooks (action-types/webhook.html)', () => {
		expect(sandbox.control.webhooks.settings()).toEqual({
			pauseMs: 1000,
			timeoutMs: 10_000,
			capacity: 1000,
			braceGuidsInUrl: false,
		});
	});
});

describe('GetRepositoryEvents (https://docs.erp.net/dev/domain-api/operations/get-repository-events.html)', () => {
	type Events = { repositoryName: string; events: Array<Record<string, unknown>> };
	const eventsOf = async (repository: string) =>
		(await odata(sandbox, token, `GetRepositoryEvents(repositoryName='${repository}')`)).json as unknown as Events;

	it('should answer the documented example for Crm.Sales.SalesOrders', async () => {
		const reply = await eventsOf('Crm.Sales.SalesOrders');
		expect(Object.keys(reply)).toEqual(['repositoryName', 'events']);
		expect(reply.repositoryName).toBe('Crm.Sales.SalesOrders');
		expect(reply.events).toContainEqual({
			EventType: 'CREATENEW',
			Description: 'Occurs when an editable domain object is created. Used to fill custom default values.',
			Layer: 'Common',
			RequiresEventParameter: false,
			EventParameterDescription: null,
			EventAttributes: null,
		});
		const stateChanging = reply.events.find((entry) => entry.EventType === 'STATECHANGING');
		expect(stateChanging).toMatchObject({ Layer: 'BackEnd', RequiresEventParameter: true });
		expect((stateChanging?.EventAttributes as Array<{ Name: string }>).map((attribute) => attribute.Name)).toEqual([
			'$FromState',
			'$ToState',
			'$FromUserStatusId',
			'$ToUserStatusId',
		]);
		const types = reply.events.map((entry) => entry.EventType);
		expect(types).toEqual(
			expect.arrayContaining([
				'COMMITTED',
				'CLIENTCOMMITTED',
				'AGGREGATECLIENTCOMMIT',
				'AGGREGATECLIENTCOMMITTED',
				'STATECHANGED',
				'VOIDING',
			]),
		);
	});

	it('should offer document-state events to document headers only, and aggregate events to aggregate roots only', async () => {
		const lines = (await eventsOf('Crm.Sales.SalesOrderLines')).events.map((entry) => entry.EventType);
		expect(lines).toContain('ATTRIBUTECHANGING');
		expect(lines).not.toContain('STATECHANGING');
		expect(lines).not.toContain('AGGREGATECLIENTCOMMITTED');
		const products = (await eventsOf('General.Products.Products')).events.map((entry) => entry.EventType);
		expect(products).toContain('AGGREGATECLIENTCOMMITTED');
		expect(products).not.toContain('STATECHANGING');
	});

	it('should accept a parameter alias and refuse an unknown repository or a missing parameter', async () => {
		const aliased = await odata(
			sandbox,
			token,
			`GetRepositoryEvents(repositoryName=@r)?@r='General.Products.Products'`,
		);
		expect(aliased.json.repositoryName).toBe('General.Products.Products');
		const unknown = await odata(sandbox, token, `GetRepositoryEvents(repositoryName='Crm.Sales.Nothing')`);
		expect(unknown.status).toBe(404);
		expect(unknown.json.error?.message).toContain("'Crm.Sales.Nothing'");
		expect((await odata(sandbox, token, 'GetRepositoryEvents()')).status).toBe(500);
		expect(
			(
				await odata(sandbox, token, `GetRepositoryEvents(repositoryName='Crm.Sales.SalesOrders')`, {
					method: 'POST',
					body: {},
				})
			).status,
		).toBe(405);
	});
});
