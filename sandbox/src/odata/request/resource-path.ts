/** The resource path of a request: entity set (renames refused as ERP.net words it), key, `$count` or child segment. */
import { keys as parseKeyPredicate } from '@odata/parser/lib/parser';

import { isGuid } from '../../store/guid-order';
import { NotFoundError, ODataRequestError } from '../errors';
import type { EntitySetInfo } from '../model';
import { renamedEntitySetError } from '../write';
import type { RequestEnvironment } from './types';

export interface ResourcePath {
	set: EntitySetInfo;
	/** The name as written in the URL. */
	setName: string;
	key?: string;
	/** `$count` or a child collection name. */
	tail?: string;
}

/** `Set`, `Set/$count`, `Set(guid)`, `Set(guid)/Child`, or `$1`, `$1/Child` inside a changeset. */
export function resolveResourcePath(resourcePath: string, environment: RequestEnvironment): ResourcePath {
	const slash = resourcePath.indexOf('/');
	const head = slash < 0 ? resourcePath : resourcePath.slice(0, slash);
	const tail = slash < 0 ? undefined : resourcePath.slice(slash + 1);
	// A slash may occur inside a function's parameter list: `Set(id)/F(search='a/b')`.
	if (tail !== undefined && tail.split('(')[0].includes('/')) throw unsupportedPath(resourcePath);
	const contentId = head.startsWith('$') ? environment.contentIds?.get(head) : undefined;
	if (contentId) return { ...resolveEntitySet(contentId.entitySet, environment), key: contentId.id, tail };
	const open = head.indexOf('(');
	const setName = open < 0 ? head : head.slice(0, open);
	const resolved = resolveEntitySet(setName, environment);
	if (open < 0) {
		if (tail !== undefined && tail !== '$count') throw unsupportedPath(resourcePath);
		return { ...resolved, tail };
	}
	return { ...resolved, key: parseKey(head.slice(open), resourcePath), tail };
}

export function unsupportedPath(resourcePath: string): ODataRequestError {
	// https://docs.erp.net/dev/domain-api/querying-data/url-components.html: "REST style sub-entities are not supported"; use $expand.
	return new ODataRequestError(
		`The resource path '${resourcePath}' is not supported. Only one entity set per resource path is supported; use $expand for related entities.`,
	);
}

export function resolveEntitySet(
	setName: string,
	environment: RequestEnvironment,
): { set: EntitySetInfo; setName: string } {
	const set = environment.model.getSet(setName);
	if (set) return { set, setName };
	const renamed = environment.model.resolveRename(setName);
	if (renamed) throw renamedEntitySetError(setName, renamed, environment);
	throw new NotFoundError(`Resource not found for the segment '${setName}'.`);
}

/** The key is an unquoted GUID (https://docs.erp.net/dev/domain-api/data-manipulation/update.html, https://docs.erp.net/dev/domain-api/data-manipulation/delete.html); parsed with @odata/parser's key predicate rule. */
function parseKey(predicate: string, resourcePath: string): string {
	const key = guidOfKeyPredicate(predicate);
	if (!key || !isGuid(key)) {
		throw new ODataRequestError(
			`The key in '${resourcePath}' is not valid. The key of an entity is an unquoted GUID, e.g. 'Crm_Sales_Customers(f3fe442a-d5fe-49a9-8bda-00c895d630bb)'.`,
		);
	}
	return key.toLowerCase();
}

interface KeyValueToken {
	value?: string;
	raw?: string;
}

/** `(guid)` or the named form `(Id=guid)`. */
function guidOfKeyPredicate(predicate: string): string | undefined {
	let token;
	try {
		token = parseKeyPredicate(predicate);
	} catch {
		return undefined;
	}
	const value = token.value as { value?: KeyValueToken } | Array<{ value: { value: KeyValueToken } }>;
	const literal = Array.isArray(value) ? (value.length === 1 ? value[0].value.value : undefined) : value.value;
	return literal?.value === 'Edm.Guid' ? literal.raw : undefined;
}
