/**
 * The registrations the firing reads from the store: webhook templates (Systems_Config_WebHooks) and user business
 * rules (Systems_Bpm_UserBusinessRules with their Events, Conditions and Actions), as
 * https://docs.erp.net/tech/advanced/concepts/webhooks.html sets them up.
 */
import type { EntityRecord, MemoryStore } from '../store/memory-store';

export const WEBHOOKS = 'Systems_Config_WebHooks';
export const RULES = 'Systems_Bpm_UserBusinessRules';
export const RULE_EVENTS = 'Systems_Bpm_UserBusinessRuleEvents';
export const RULE_ACTIONS = 'Systems_Bpm_UserBusinessRuleActions';
export const RULE_CONDITIONS = 'Systems_Bpm_UserBusinessRuleConditions';

export interface RegisteredRule {
	rule: EntityRecord;
	events: EntityRecord[];
	conditions: EntityRecord[];
	/** WEBHOOK actions only, by ActionNo. */
	webhookActions: EntityRecord[];
}

/** `counts()` of the control API. */
export interface RegistrationCounts {
	webHooks: number;
	userBusinessRules: number;
	/** Active rules with at least one WEBHOOK action. */
	activeWebhookRules: number;
}

export function registeredRule(store: MemoryStore, rule: EntityRecord): RegisteredRule {
	const id = String(rule.Id);
	const actions = store.childrenOf(RULE_ACTIONS, id).filter((action) => action.ActionType === 'WEBHOOK');
	return {
		rule,
		events: store.childrenOf(RULE_EVENTS, id),
		conditions: [...store.childrenOf(RULE_CONDITIONS, id)].sort(
			(left, right) => Number(left.ConditionNo) - Number(right.ConditionNo),
		),
		webhookActions: [...actions].sort((left, right) => Number(left.ActionNo) - Number(right.ActionNo)),
	};
}

/** Active rules with a WEBHOOK action, run on the server: Layer BackEnd or Common (user-business-rules/index.html). */
export function activeWebhookRules(store: MemoryStore): RegisteredRule[] {
	const rules: RegisteredRule[] = [];
	for (const rule of store.scan(RULES)) {
		if (rule.IsActive !== true || rule.Layer === 'FrontEnd') continue;
		const registered = registeredRule(store, rule);
		if (registered.webhookActions.length > 0) rules.push(registered);
	}
	return rules;
}

/** The template a WEBHOOK action names: "The value of the WEBHOOK's Parameter1 is simply the code" of the template. */
export function webhookByCode(store: MemoryStore, code: string): EntityRecord | undefined {
	for (const webhook of store.scan(WEBHOOKS)) if (webhook.Code === code) return webhook;
	return undefined;
}

export function registrationCounts(store: MemoryStore): RegistrationCounts {
	return {
		webHooks: store.count(WEBHOOKS),
		userBusinessRules: store.count(RULES),
		activeWebhookRules: activeWebhookRules(store).length,
	};
}
