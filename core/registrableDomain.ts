import { isLoopbackHost } from './instanceUrl';

/*
 * Whether two hosts belong to the same owner, without the Public Suffix List (no runtime dependencies): a
 * registrable domain is one label under a public suffix. The built-in rules below cover the multi-label suffixes
 * that matter here; a host under a multi-label suffix they do not know is taken as one label under its last two
 * labels, so two such hosts of different owners (e.g. `a.foo.example` and `b.foo.example` where `foo.example`
 * is a public suffix this list lacks) count as one site. README ("Security") states this limitation.
 */

/** Suffixes under which each label belongs to another owner: ERP.net's own instances and hosting platforms. */
const SHARED_SUFFIXES = new Set([
	// every customer instance is <name>.my.erp.net: another instance is another customer
	'my.erp.net',
	'azurewebsites.net',
	'azurefd.net',
	'azureedge.net',
	'azurestaticapps.net',
	'cloudapp.net',
	'trafficmanager.net',
	'blob.core.windows.net',
	'herokuapp.com',
	'github.io',
	'netlify.app',
	'vercel.app',
	'pages.dev',
	'workers.dev',
	'web.app',
	'firebaseapp.com',
	'appspot.com',
	'onrender.com',
	'fly.dev',
	'ngrok.io',
	'ngrok-free.app',
	'trycloudflare.com',
]);

/** Suffixes whose customer hosts sit several labels below them (region names): only the very same host matches. */
const SAME_HOST_SUFFIXES = ['amazonaws.com', 'cloudfront.net', 'cloudapp.azure.com'];

/** Second-level labels that country-code domains use as public suffixes: co.uk, com.au, ac.jp, gov.br, … */
const COUNTRY_SECOND_LEVELS = new Set([
	'ac',
	'biz',
	'co',
	'com',
	'ed',
	'edu',
	'firm',
	'gen',
	'go',
	'gob',
	'gov',
	'gv',
	'in',
	'ind',
	'info',
	'lg',
	'ltd',
	'mil',
	'ne',
	'net',
	'nic',
	'nom',
	'or',
	'org',
	'plc',
	'sch',
]);

function normalized(hostname: string): string {
	return hostname
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
}

export function isIpAddress(hostname: string): boolean {
	const host = normalized(hostname);
	return host.includes(':') || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host);
}

/** The registrable domain of a host name (`demodb.my.erp.net` → itself, `api.example.co.uk` → `example.co.uk`). */
export function registrableDomain(hostname: string): string {
	const host = normalized(hostname);
	if (isIpAddress(host)) return host;
	const labels = host.split('.');
	if (SAME_HOST_SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`))) return host;
	for (let start = 1; start < labels.length - 1; start++) {
		if (SHARED_SUFFIXES.has(labels.slice(start).join('.'))) return labels.slice(start - 1).join('.');
	}
	const [second, top] = labels.slice(-2);
	const suffixLabels = labels.length > 2 && top?.length === 2 && COUNTRY_SECOND_LEVELS.has(second) ? 2 : 1;
	return labels.slice(-(suffixLabels + 1)).join('.');
}

/**
 * Whether a site an instance names (auto-discovery) may receive its secrets: the same registrable domain as the
 * instance. IP addresses have none: a loopback address (or localhost) matches a loopback instance, any other IP
 * only the very same address.
 */
export function isSameSite(instanceHost: string, siteHost: string): boolean {
	const instance = normalized(instanceHost);
	const site = normalized(siteHost);
	if (instance === site) return true;
	if (isLoopbackHost(instance) && isLoopbackHost(site)) return true;
	if (isIpAddress(instance) || isIpAddress(site)) return false;
	return registrableDomain(instance) === registrableDomain(site);
}
