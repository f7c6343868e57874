import { hashClientSecret } from './secret-hash';
import { TRUSTED_APPLICATIONS_SET, USERS_SET } from './trusted-applications';

export const DEFAULT_CLIENT_ID = 'n8n.sandbox/service';
export const DEFAULT_CLIENT_SECRET = 'sandbox-secret';

const SYSTEM_USER_ID = '6a7e1c2d-4b3f-4e5a-9c8d-1f2e3d4c5b6a';

interface AppSpec {
	uri: string;
	secret: string;
	scope: string;
	isEnabled?: boolean;
	systemUserAllowed?: boolean;
}

/** The five trusted applications of docs/ARCHITECTURE.md, as `Systems_Security_TrustedApplications` records. */
const APPS: AppSpec[] = [
	{ uri: DEFAULT_CLIENT_ID, secret: DEFAULT_CLIENT_SECRET, scope: 'read update' },
	{ uri: 'n8n.sandbox/special', secret: 'p&ss=w+rd% ü/€', scope: 'read update' },
	{ uri: 'n8n.sandbox/readonly', secret: 'readonly-secret', scope: 'read' },
	{ uri: 'n8n.sandbox/disabled', secret: 'disabled-secret', scope: 'read update', isEnabled: false },
	{ uri: 'n8n.sandbox/nouser', secret: 'nouser-secret', scope: 'read update', systemUserAllowed: false },
];

export function defaultSecurityRecords(): Record<string, Record<string, unknown>[]> {
	return {
		[USERS_SET]: [{ Id: SYSTEM_USER_ID, Login: 'n8n.integration', UserType: 'Internal', Active: true }],
		[TRUSTED_APPLICATIONS_SET]: APPS.map((app, index) => ({
			Id: `0d1e2f3a-0000-4000-8000-00000000000${index + 1}`,
			ApplicationUri: app.uri,
			Name: app.uri,
			ClientType: 'Confidential',
			ApplicationSecretHash: hashClientSecret(app.secret),
			Scope: app.scope,
			IsEnabled: app.isEnabled ?? true,
			SystemUserAllowed: app.systemUserAllowed ?? true,
			SystemUser: app.systemUserAllowed === false ? null : { '@odata.id': `${USERS_SET}(${SYSTEM_USER_ID})` },
		})),
	};
}
