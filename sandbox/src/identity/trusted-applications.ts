import type { SandboxContext } from '../context';

export const TRUSTED_APPLICATIONS_SET = 'Systems_Security_TrustedApplications';
export const USERS_SET = 'Systems_Security_Users';

/** The fields of a `Systems_Security_TrustedApplications` record the token endpoint needs. */
export interface TrustedApplication {
	applicationUri: string;
	clientType: string;
	secretHash?: string;
	/** Space-delimited, case-sensitive (https://docs.erp.net/model/entities/Systems.Security.TrustedApplications.html). */
	scopes: string[];
	isEnabled: boolean;
	systemUserAllowed: boolean;
	systemUser?: SystemUser;
}

export interface SystemUser {
	id?: string;
	login?: string;
}

type StoredRecord = Record<string, unknown>;

/** Looks the application up in the live store, so apps registered through the Domain API work too. */
export function findTrustedApplication(context: SandboxContext, clientId: string): TrustedApplication | undefined {
	for (const record of context.store.scan(TRUSTED_APPLICATIONS_SET)) {
		if (record.ApplicationUri === clientId) return toTrustedApplication(context, record);
	}
	return undefined;
}

function toTrustedApplication(context: SandboxContext, record: StoredRecord): TrustedApplication {
	return {
		applicationUri: String(record.ApplicationUri),
		clientType: typeof record.ClientType === 'string' ? record.ClientType : 'Confidential',
		secretHash: typeof record.ApplicationSecretHash === 'string' ? record.ApplicationSecretHash : undefined,
		scopes: splitScope(record.Scope),
		isEnabled: record.IsEnabled !== false,
		systemUserAllowed: record.SystemUserAllowed === true,
		systemUser: resolveSystemUser(context, record),
	};
}

export function splitScope(scope: unknown): string[] {
	return typeof scope === 'string' ? scope.split(' ').filter((part) => part !== '') : [];
}

/**
 * Accepts the shapes a stored reference may take: `{"@odata.id":"Systems_Security_Users(guid)"}` (the store's),
 * an expanded object, an entity path or a bare id.
 */
function resolveSystemUser(context: SandboxContext, record: StoredRecord): SystemUser | undefined {
	const reference = record.SystemUser ?? record.SystemUserId;
	if (reference === null || reference === undefined) return undefined;
	if (typeof reference !== 'object') return lookUpUser(context, idOfPath(String(reference)));
	const { Id, Login, '@odata.id': path } = reference as StoredRecord;
	if (typeof Login === 'string') return { id: typeof Id === 'string' ? Id : undefined, login: Login };
	if (typeof Id === 'string') return lookUpUser(context, Id);
	return typeof path === 'string' ? lookUpUser(context, idOfPath(path)) : {};
}

/** `Systems_Security_Users(6a7e...)` → `6a7e...`; a bare id stays as is. */
function idOfPath(path: string): string {
	return path.match(/\(([^)]*)\)\s*$/)?.[1] ?? path;
}

function lookUpUser(context: SandboxContext, id: string): SystemUser {
	const user = context.store.peek(USERS_SET, id);
	return { id, login: typeof user?.Login === 'string' ? user.Login : undefined };
}
