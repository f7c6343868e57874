import { UserError } from 'n8n-workflow';

/**
 * The token endpoint answers with the scope it granted (https://docs.erp.net/dev/auth/concepts/identity-server.html);
 * it may be narrower than the one requested. The credential test sends this header so that `authenticate` can
 * say so; the header never leaves n8n.
 */
export const CHECK_GRANTED_SCOPE_HEADER = 'X-ErpNet-Check-Granted-Scope';

/** Requested scopes the token did not get; none when the server did not say what it granted. */
export function missingScopes(requested: string, granted: string): string[] {
	const grantedScopes = new Set(granted.split(/\s+/).filter(Boolean));
	if (grantedScopes.size === 0) return [];
	return requested.split(/\s+/).filter((scope) => scope !== '' && scope !== 'DomainApi' && !grantedScopes.has(scope));
}

export function narrowerScopeError(requested: string, granted: string, missing: string[]): UserError {
	return new UserError(
		`ERP.net granted the scope "${granted}", not "${requested}": ` +
			`the token lacks ${missing.map((scope) => `'${scope}'`).join(', ')}`,
		{
			description: missing.includes('update')
				? 'Reads work, but every create, update and delete will fail. ' +
					"Add 'update' to the trusted application's Scope in ERP.net, or set the credential's Scope to 'read' for " +
					'read-only use.'
				: "Add the missing scope to the trusted application's Scope in ERP.net, or remove it from the credential's Scope.",
			level: 'warning',
		},
	);
}
