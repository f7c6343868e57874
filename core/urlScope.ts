/**
 * Whether a URL may receive the instance's access token: same origin as the root and, path included, at or
 * below it. An instance served under a path prefix (`https://host/erp`) never sends its token to a sibling
 * path (`https://host/other`). The URL is parsed first, so `..` and `%2e%2e` segments count as what the
 * request will really reach.
 */
export function isUnderRoot(url: string, root: string): boolean {
	let target: URL;
	let base: URL;
	try {
		target = new URL(url);
		base = new URL(root);
	} catch {
		return false;
	}
	if (target.origin !== base.origin || target.username !== '' || target.password !== '') return false;
	const rootPath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
	return target.pathname === rootPath.slice(0, -1) || target.pathname.startsWith(rootPath);
}

/** `scheme://host[:port]/path` of a URL without its query (which may carry anything), for messages. */
export function describeLocation(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return url.split(/[?#]/)[0].slice(0, 200);
	}
}
