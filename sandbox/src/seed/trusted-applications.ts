/**
 * The trusted applications every sandbox starts with (docs/ARCHITECTURE.md) and the secret hash
 * ERP.net stores for them: ApplicationSecretHash = base64(sha256(secret)) (https://docs.erp.net/dev/auth/getting-started/service-apps.html).
 */
import { createHash } from 'node:crypto';

export interface SeededTrustedApplication {
	/** The `client_id`. */
	applicationUri: string;
	/** The plain secret a client sends; only its hash is stored in the record. */
	secret: string;
	scope: string;
	isEnabled: boolean;
	systemUserAllowed: boolean;
	name: string;
	notes: string;
}

export function applicationSecretHash(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('base64');
}

export const DEFAULT_CLIENT_ID = 'n8n.sandbox/service';

export const SEEDED_TRUSTED_APPLICATIONS: readonly SeededTrustedApplication[] = [
	{
		applicationUri: DEFAULT_CLIENT_ID,
		secret: 'sandbox-secret',
		scope: 'read update',
		isEnabled: true,
		systemUserAllowed: true,
		name: 'n8n sandbox service',
		notes: 'Default client of the sandbox.',
	},
	{
		applicationUri: 'n8n.sandbox/special',
		secret: 'p&ss=w+rd% ü/€',
		scope: 'read update',
		isEnabled: true,
		systemUserAllowed: true,
		name: 'n8n sandbox special-character secret',
		notes: 'Its secret needs form encoding.',
	},
	{
		applicationUri: 'n8n.sandbox/readonly',
		secret: 'readonly-secret',
		scope: 'read',
		isEnabled: true,
		systemUserAllowed: true,
		name: 'n8n sandbox read-only',
		notes: 'Asking for the update scope gives invalid_scope.',
	},
	{
		applicationUri: 'n8n.sandbox/disabled',
		secret: 'disabled-secret',
		scope: 'read update',
		isEnabled: false,
		systemUserAllowed: true,
		name: 'n8n sandbox disabled',
		notes: 'IsEnabled=false gives invalid_client.',
	},
	{
		applicationUri: 'n8n.sandbox/nouser',
		secret: 'nouser-secret',
		scope: 'read update',
		isEnabled: true,
		systemUserAllowed: false,
		name: 'n8n sandbox without system user',
		notes: 'SystemUserAllowed=false gives unauthorized_client.',
	},
	{
		applicationUri: 'n8n.sandbox/writeonly',
		secret: 'writeonly-secret',
		scope: 'update',
		isEnabled: true,
		systemUserAllowed: true,
		name: 'n8n sandbox update-only',
		notes: 'Its tokens lack read: every read answers 403.',
	},
];
