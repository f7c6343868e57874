/**
 * The rights of the application's system user on repositories (`control.setDeniedAccess`): a service application acts
 * as its `SystemUser` (https://docs.erp.net/dev/auth/flows/combined/overview.html), whose rights apply besides the token's
 * scopes. The answer to a denied request is not documented; the sandbox answers 403 with the ERP.net envelope, like a
 * missing scope (DECISIONS.md, "Permissions").
 */
import { ForbiddenError } from './errors';
import type { EntitySetInfo } from '../model';

/** `write`: the user may read but not create, modify or delete; `all`: not even read. */
export type DeniedAccess = 'write' | 'all';

/** By entity set name; a denial on an aggregate root covers its child sets. */
export type DeniedAccessBySet = Record<string, DeniedAccess>;

export function checkPermission(
	set: EntitySetInfo,
	denied: DeniedAccessBySet | undefined,
	write: boolean,
	user: string | undefined,
): void {
	if (!denied) return;
	const root = set.definition.aggregateRootSet ?? set.name;
	const denial = denied[set.name] ?? denied[root];
	if (!denial || (denial === 'write' && !write)) return;
	const repository = set.definition.repository;
	const what = write ? 'create, modify or delete' : 'read';
	throw new ForbiddenError(
		`The user of the application${user ? ` '${user}'` : ''} has no permission to ${what} '${repository}'. ` +
			`An ERP.net administrator must grant the user's role the right to ${what} '${repository}'.`,
	);
}
