import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import { isLoopbackHost, normalizeInstanceUrl } from './instanceUrl';
import { isSameSite } from './registrableDomain';
import { text } from './valueText';

/*
 * Where an instance's services live. `GET {instance}/sys/auto-discovery` lists the instance's sites without a
 * token (https://docs.erp.net/dev/auth/concepts/identity-server.html); the Domain API may sit on another address
 * than `{instance}/api/domain/odata/` (https://docs.erp.net/dev/domain-api/querying-data/url-components.html).
 * Instances that do not answer it (older versions, proxies) keep the default paths.
 */

/** How long a discovery answer (or its absence) is reused in this process. */
export const DISCOVERY_TTL_MS = 5 * 60_000;
const DISCOVERY_TIMEOUT_MS = 15_000;
const WORKING = 'working';

export type SitesSource = 'discovery' | 'default paths' | 'override';

export interface InstanceSites {
	instanceUrl: string;
	/** Instance Identity authority, e.g. `https://x.my.erp.net/id` (no trailing slash). */
	identityUrl: string;
	/** `Status` of the ID site as discovered; undefined without discovery. */
	identityStatus?: string;
	/** OData service root with a trailing slash. */
	odataRoot: string;
	/** `Status` of the DomainAPI site as discovered; undefined without discovery or with an override. */
	domainApiStatus?: string;
	/** Where `odataRoot` came from. */
	source: SitesSource;
	/** Whether the instance answered auto-discovery. */
	discovered: boolean;
}

/** Minimal `helpers.httpRequest` shape (no authentication: discovery needs no token). */
export type HttpRequester = (options: IHttpRequestOptions) => Promise<unknown>;

interface CacheEntry {
	expiresAt: number;
	sites: Promise<DiscoveredSites>;
}

/** What auto-discovery said, before an override is applied. */
interface DiscoveredSites {
	discovered: boolean;
	identityUrl?: string;
	identityStatus?: string;
	odataRoot?: string;
	domainApiStatus?: string;
}

const cache = new Map<string, CacheEntry>();
/** The last settled answer per instance, kept past its TTL for synchronous origin checks (`peekInstanceSites`). */
const settled = new Map<string, DiscoveredSites>();

/** Forgets every cached discovery answer (tests). */
export function clearDiscoveryCache(): void {
	cache.clear();
	settled.clear();
}

function siteError(message: string, description: string): UserError {
	return new UserError(message, { description, level: 'warning' });
}

/** An absolute http(s) URL from a discovery answer or the override; https unless the host is loopback. */
function checkedUrl(value: string, what: string): URL {
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw siteError(
			`The ${what} "${value}" is not a valid URL.`,
			'Enter an absolute address such as https://erpapi.example.com/domain/odata/.',
		);
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
		throw siteError(
			`The ${what} must use https:// (got ${url.protocol}//${url.host}).`,
			'n8n sends the ERP.net token only over https; plain http:// is accepted for localhost only.',
		);
	}
	if (url.username !== '' || url.password !== '') {
		throw siteError(`The ${what} must not contain a user name or password.`, 'Remove the "user:password@" part.');
	}
	url.search = '';
	url.hash = '';
	return url;
}

/**
 * The OData service root from an API address: a root ending in `/odata` is taken as is; any other address is the
 * API site's, and `/domain/odata/` is appended (as ERP.net's .NET client does when `ODataServiceRoot` is absent).
 */
export function toODataRoot(value: string, what = 'Domain API root'): string {
	const url = checkedUrl(value, what);
	const path = url.pathname.replace(/\/+$/, '');
	url.pathname = /\/odata$/i.test(path) ? `${path}/` : `${path}/domain/odata/`;
	return url.toString();
}

/** `{api}/domain/` for an OData root `{api}/domain/odata/` (the model endpoints live beside the OData service). */
export function domainRootOf(odataRoot: string): string {
	return odataRoot.replace(/odata\/$/i, '');
}

interface WebSite {
	Type?: unknown;
	Status?: unknown;
	Url?: unknown;
	AdditionalProperties?: { ODataServiceRoot?: unknown };
}

function sitesOfType(sites: WebSite[], types: string[]): WebSite[] {
	return sites.filter((site) => types.includes(text(site.Type).toLowerCase()));
}

/** The first Working site of a type, else the first of that type (whose Status the caller reports). */
function pickSite(sites: WebSite[]): WebSite | undefined {
	return sites.find((site) => isWorking(site.Status)) ?? sites[0];
}

function isWorking(status: unknown): boolean {
	// A site without a Status is taken as working: only an explicit other status stops the node.
	return status === undefined || status === null || text(status).toLowerCase() === WORKING;
}

/**
 * Reads an auto-discovery body. `undefined` when it is not a discovery answer (a proxy's page, another app).
 * The site type was `API` before ERP.net renamed it `DomainAPI`; both are read.
 */
export function parseDiscovery(body: unknown): DiscoveredSites | undefined {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	const webSites = (value as { WebSites?: unknown } | null)?.WebSites;
	if (!Array.isArray(webSites)) return undefined;
	const sites = webSites.filter((site): site is WebSite => site !== null && typeof site === 'object');
	const id = pickSite(sitesOfType(sites, ['id']));
	const api = pickSite(sitesOfType(sites, ['domainapi'])) ?? pickSite(sitesOfType(sites, ['api']));
	const result: DiscoveredSites = { discovered: true };
	if (id && text(id.Url) !== '') {
		result.identityUrl = checkedUrl(text(id.Url), 'Identity address in the auto-discovery answer')
			.toString()
			.replace(/\/+$/, '');
		result.identityStatus = text(id.Status) || undefined;
	}
	if (api) {
		const root = text(api.AdditionalProperties?.ODataServiceRoot);
		if (root !== '') result.odataRoot = toODataRoot(root, 'ODataServiceRoot in the auto-discovery answer');
		else if (text(api.Url) !== '')
			result.odataRoot = toODataRoot(text(api.Url), 'Domain API address in the auto-discovery answer');
		if (result.odataRoot) result.domainApiStatus = text(api.Status) || undefined;
	}
	return result;
}

async function readDiscovery(request: HttpRequester, instanceUrl: string): Promise<DiscoveredSites> {
	let response: { statusCode?: number; body?: unknown };
	try {
		response = (await request({
			method: 'GET',
			url: `${instanceUrl}/sys/auto-discovery`,
			headers: { Accept: 'application/json' },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A redirect is not followed: it could name another host's sites, which would then get the client secret.
			disableFollowRedirect: true,
			timeout: DISCOVERY_TIMEOUT_MS,
		})) as { statusCode?: number; body?: unknown };
	} catch {
		// Unreachable instance: the default paths are tried and their request reports the network error.
		return { discovered: false };
	}
	const status = Number(response.statusCode);
	// 3xx included: the instance's own default paths are used, never the redirect's target.
	if (!(status >= 200 && status < 300)) return { discovered: false };
	return parseDiscovery(response.body) ?? { discovered: false };
}

/** Discovery for one instance, shared by concurrent callers and cached for `DISCOVERY_TTL_MS`. */
function discover(request: HttpRequester, instanceUrl: string, now: number): Promise<DiscoveredSites> {
	const cached = cache.get(instanceUrl);
	if (cached && cached.expiresAt > now) return cached.sites;
	const sites = readDiscovery(request, instanceUrl).then(
		(result) => {
			settled.set(instanceUrl, result);
			return result;
		},
		(error: unknown) => {
			// A malformed answer (e.g. an http:// site) is not cached: the next run asks again.
			cache.delete(instanceUrl);
			throw error;
		},
	);
	cache.set(instanceUrl, { expiresAt: now + DISCOVERY_TTL_MS, sites });
	return sites;
}

/** A discovered site on another domain than the instance's: its name, its address. */
type ForeignSite = [string, string];

/**
 * The discovered sites that are not on the instance's registrable domain (core/registrableDomain.ts). Only the
 * Domain API Root the user typed may lie elsewhere; a discovered one may not, nor may the Identity, which gets
 * the client secret.
 */
function foreignSites(instanceUrl: string, found: DiscoveredSites, override: string): ForeignSite[] {
	const instanceHost = new URL(instanceUrl).hostname;
	const foreign: ForeignSite[] = [];
	if (found.identityUrl && !isSameSite(instanceHost, new URL(found.identityUrl).hostname))
		foreign.push(['Identity', found.identityUrl]);
	if (override.trim() === '' && found.odataRoot && !isSameSite(instanceHost, new URL(found.odataRoot).hostname)) {
		foreign.push(['Domain API', found.odataRoot]);
	}
	return foreign;
}

/** The answer without its sites on another domain (the default paths stand in for them). */
function withoutForeignSites(instanceUrl: string, found: DiscoveredSites, override: string): DiscoveredSites {
	const foreign = foreignSites(instanceUrl, found, override).map(([name]) => name);
	const kept = { ...found };
	if (foreign.includes('Identity')) {
		kept.identityUrl = undefined;
		kept.identityStatus = undefined;
	}
	if (foreign.includes('Domain API')) {
		kept.odataRoot = undefined;
		kept.domainApiStatus = undefined;
	}
	return kept;
}

function assertNoForeignSites(instanceUrl: string, found: DiscoveredSites, override: string): void {
	const foreign = foreignSites(instanceUrl, found, override);
	if (foreign.length === 0) return;
	const instanceHost = new URL(instanceUrl).host;
	const list = foreign.map(([name, url]) => `${name} at ${new URL(url).host}`).join(' and ');
	const domainApi = foreign.some(([name]) => name === 'Domain API');
	throw siteError(
		`ERP.net's auto-discovery for ${instanceHost} names a site on another domain: ${list}. ` +
			'n8n does not send the credential there.',
		`The client secret and the access token go only to sites on the instance's own domain (${instanceHost}).` +
			(domainApi
				? ' If the Domain API really is served from there, enter its address in the credential\'s "Domain API Root".'
				: '') +
			" Otherwise check the Instance URL, or ask the instance's administrator about its web sites.",
	);
}

function combine(instanceUrl: string, found: DiscoveredSites, override: string): InstanceSites {
	const overridden = override.trim() !== '';
	return {
		instanceUrl,
		identityUrl: found.identityUrl ?? `${instanceUrl}/id`,
		identityStatus: found.identityStatus,
		odataRoot: overridden ? toODataRoot(override) : (found.odataRoot ?? `${instanceUrl}/api/domain/odata/`),
		domainApiStatus: overridden ? undefined : found.domainApiStatus,
		source: overridden ? 'override' : found.odataRoot ? 'discovery' : 'default paths',
		discovered: found.discovered,
	};
}

/**
 * The instance's Identity and OData roots: from auto-discovery (cached per process), the credential's
 * override for the Domain API root, or today's default paths when the instance does not answer discovery.
 */
export async function resolveInstanceSites(
	request: HttpRequester,
	rawInstanceUrl: string,
	override = '',
	now = Date.now(),
): Promise<InstanceSites> {
	const instanceUrl = normalizeInstanceUrl(rawInstanceUrl);
	if (override.trim() !== '') toODataRoot(override);
	const found = await discover(request, instanceUrl, now);
	assertNoForeignSites(instanceUrl, found, override);
	return combine(instanceUrl, found, override);
}

/** The last known sites of an instance without a request (default paths when none is known). */
export function peekInstanceSites(rawInstanceUrl: string, override = ''): InstanceSites {
	const instanceUrl = normalizeInstanceUrl(rawInstanceUrl);
	return combine(
		instanceUrl,
		withoutForeignSites(instanceUrl, settled.get(instanceUrl) ?? { discovered: false }, override),
		override,
	);
}

/**
 * The sites for a credential's synchronous checks (`authenticate`): this process's last discovery answer, else
 * the one the credential stored with its last token (`serializedDiscovery`), else the default paths.
 */
export function knownInstanceSites(rawInstanceUrl: string, override: string, stored: unknown): InstanceSites {
	const instanceUrl = normalizeInstanceUrl(rawInstanceUrl);
	const found = settled.get(instanceUrl) ?? deserializeDiscovery(stored, instanceUrl) ?? { discovered: false };
	return combine(instanceUrl, withoutForeignSites(instanceUrl, found, override), override);
}

/** This process's discovery answer for an instance, for a credential's hidden field. */
export function serializedDiscovery(rawInstanceUrl: string): string {
	const instanceUrl = normalizeInstanceUrl(rawInstanceUrl);
	return JSON.stringify({ instanceUrl, ...(settled.get(instanceUrl) ?? { discovered: false }) });
}

function deserializeDiscovery(value: unknown, instanceUrl: string): DiscoveredSites | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	try {
		const parsed = JSON.parse(value) as IDataObject;
		if (parsed.instanceUrl !== instanceUrl || typeof parsed.discovered !== 'boolean') return undefined;
		const optional = (key: string) => (typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined);
		return {
			discovered: parsed.discovered,
			identityUrl: optional('identityUrl'),
			identityStatus: optional('identityStatus'),
			odataRoot: optional('odataRoot'),
			domainApiStatus: optional('domainApiStatus'),
		};
	} catch {
		return undefined;
	}
}

/** The origins a token of this instance may be sent to: the Domain API's and the Identity's. */
export function trustedOrigins(sites: InstanceSites): string[] {
	return [...new Set([new URL(sites.odataRoot).origin, new URL(sites.identityUrl).origin])];
}

/** Throws a UserError naming the site and its status when a site the caller needs is not Working. */
export function assertSitesWorking(sites: InstanceSites, needs: { identity: boolean; domainApi: boolean }): void {
	const stopped: Array<[string, string, string | undefined]> = [];
	if (needs.identity && !isWorking(sites.identityStatus))
		stopped.push(['Identity (ID)', sites.identityUrl, sites.identityStatus]);
	if (needs.domainApi && !isWorking(sites.domainApiStatus))
		stopped.push(['Domain API', sites.odataRoot, sites.domainApiStatus]);
	if (stopped.length === 0) return;
	const list = stopped.map(([name, url, status]) => `${name} at ${url} has status "${text(status)}"`).join('; ');
	throw siteError(
		`The ERP.net instance reports a site that is not working: ${list}.`,
		`${sites.instanceUrl}/sys/auto-discovery lists the instance's sites; ` +
			`the ${stopped.map(([name]) => name).join(' and ')} must have Status "Working". ` +
			"Try again later, or ask the instance's administrator to start the site.",
	);
}

/** A short description of the sites for messages: where the Identity and the Domain API were found. */
export function describeSites(sites: InstanceSites): string {
	const origin =
		sites.source === 'discovery'
			? 'from auto-discovery'
			: sites.source === 'override'
				? 'set by hand in the credential'
				: 'default path; the instance does not answer auto-discovery';
	return `Identity ${sites.identityUrl}; Domain API ${sites.odataRoot} (${origin})`;
}
