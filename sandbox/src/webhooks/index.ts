/**
 * ERP.net's event push in the sandbox (https://docs.erp.net/dev/domain-api/data-sync/event-push.html): webhook templates
 * and user business rules stored like any entity, GetRepositoryEvents, and `sandbox.control.webhooks`.
 */
import type { MemoryStore } from '../store/memory-store';
import { registrationCounts, type RegistrationCounts } from './registrations';

export type { RegistrationCounts } from './registrations';

/** `sandbox.control.webhooks` (docs/ARCHITECTURE.md, "Webhooks"). */
export interface WebhookControl {
	/** Templates, rules, and active rules with a WEBHOOK action, as stored now. */
	counts(): RegistrationCounts;
}

export function createWebhookControl(store: () => MemoryStore): WebhookControl {
	return {
		counts: () => registrationCounts(store()),
	};
}
