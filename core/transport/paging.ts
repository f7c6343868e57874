import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ODataCollection, ODataQuery } from '../odata/types';
import { erpNetApiRequest } from './request';
import type { ErpNetFunctions } from './types';
import type { InstanceRoots } from './urls';
import { getInstanceRoots, odataUrl, resolveNextLink } from './urls';

/** ERP.net recommends `$top=1000` and warns against larger pages
 * (https://docs.erp.net/dev/domain-api/querying-data/paging.html). */
export const MAX_PAGE_SIZE = 1000;
/** The page size when expanding references, whose records are larger. */
export const EXPAND_PAGE_SIZE = 200;
const DEFAULT_MAX_PAGES = 10_000;

export interface PageOptions {
	/** Stop once this many records were read; undefined reads all. */
	limit?: number;
	pageSize?: number;
	maxPages?: number;
	headers?: IDataObject;
	itemIndex?: number;
	timeoutMs?: number;
}

/** A collection read in progress: where it stands and what it has seen. */
interface CollectionRead {
	entitySet: string;
	query: ODataQuery;
	options: PageOptions;
	roots: InstanceRoots;
	pageSize: number;
	maxPages: number;
	/** The number of the page being read, from 1. */
	page: number;
	url: string;
	/** The `$top` of the page being read: a page this full may have a next one. */
	top: number;
	received: number;
	skip: number;
	/** The server sent a next link: from then on only its links are followed. */
	serverPages: boolean;
	visited: Set<string>;
	/**
	 * The first and the previous page's records: a later page of only these means the server is not paging (it
	 * ignores `$skip`, or sends one page again). Two pages, not every record's key, so that memory stays flat.
	 */
	firstPage: IDataObject[];
	previousPage: IDataObject[];
}

/** Why a read stopped with an error, one template per case. */
const PAGING_MESSAGES = {
	notACollection: (): { message: string; description: string } => ({
		message: 'ERP.net answered with something that is not an OData collection',
		description: 'Check that the instance URL points to an ERP.net instance.',
	}),
	repeatedRecords: ({ entitySet, page, received }: CollectionRead) => ({
		message: `ERP.net sent a page of ${entitySet} with only records already read`,
		description:
			`Stopped after ${page} pages and ${received} records: the server repeats records instead of moving on ` +
			'(for example, a server before 26.2 that ignores $skip). Add an $orderby or a filter, or read fewer records.',
	}),
	repeatedNextPage: ({ entitySet, received }: CollectionRead) => ({
		message: 'ERP.net returned the same next page twice',
		description: `Stopped reading ${entitySet} after ${received} records to avoid an endless loop.`,
	}),
	tooManyPages: ({ entitySet, maxPages, received }: CollectionRead) => ({
		message: `Stopped after ${maxPages} pages of ${entitySet}`,
		description: `${received} records were read. Narrow the read with a filter, or raise "Max Pages".`,
	}),
};

function pagingError(node: INode, read: CollectionRead, failure: keyof typeof PAGING_MESSAGES): NodeOperationError {
	const { message, description } = PAGING_MESSAGES[failure](read);
	return new NodeOperationError(node, message, { itemIndex: read.options.itemIndex, description });
}

/** Reads a collection page by page, yielding each page's records as soon as it arrives. */
export async function* erpNetApiPages(
	this: ErpNetFunctions,
	entitySet: string,
	query: ODataQuery,
	options: PageOptions = {},
): AsyncGenerator<IDataObject[]> {
	const node = this.getNode();
	const read = await startRead.call(this, entitySet, query, options);
	for (; ; read.page++) {
		const response = await readPage.call(this, read);
		const records = collectionValues(node, read, response);
		if (repeatsReadRecords(read, records)) throw pagingError(node, read, 'repeatedRecords');
		const pageRecords = takePage(read, records);
		if (pageRecords.length > 0) yield pageRecords;
		if (options.limit !== undefined && read.received >= options.limit) return;

		const nextUrl = await nextPageUrl.call(this, read, response, records.length);
		if (nextUrl === undefined) return;
		guardNextPage(node, read, nextUrl);
		read.url = nextUrl;
	}
}

async function startRead(
	this: ErpNetFunctions,
	entitySet: string,
	query: ODataQuery,
	options: PageOptions,
): Promise<CollectionRead> {
	const read: CollectionRead = {
		entitySet,
		query,
		options,
		roots: await getInstanceRoots.call(this),
		pageSize: Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
		maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
		page: 1,
		url: '',
		top: 0,
		received: 0,
		skip: 0,
		serverPages: false,
		visited: new Set<string>(),
		firstPage: [],
		previousPage: [],
	};
	read.url = await odataUrl.call(this, entitySet, { ...query, $top: pageTop(read) });
	read.visited.add(read.url);
	return read;
}

/** The `$top` of the next page: the page size, or what is left of the limit. */
function pageTop({ options, pageSize, received }: CollectionRead): number {
	return options.limit === undefined ? pageSize : Math.min(pageSize, options.limit - received);
}

async function readPage(this: ErpNetFunctions, read: CollectionRead): Promise<ODataCollection> {
	read.top = pageTop(read);
	return (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: read.url,
		headers: read.options.headers,
		itemIndex: read.options.itemIndex,
		timeoutMs: read.options.timeoutMs,
		action: `read ${read.entitySet}`,
	})) as ODataCollection;
}

function collectionValues(node: INode, read: CollectionRead, response: ODataCollection): IDataObject[] {
	if (!response || !Array.isArray(response.value)) throw pagingError(node, read, 'notACollection');
	return response.value;
}

/** A later page with only records of the first or the previous page: the server is not paging. */
function repeatsReadRecords(read: CollectionRead, records: IDataObject[]): boolean {
	if (read.page === 1 || records.length === 0) return false;
	const firstKey = recordKey(records[0]);
	const known = [...read.firstPage, ...(read.previousPage === read.firstPage ? [] : read.previousPage)];
	// Only a page that starts with a record read before is checked record by record.
	if (!known.some((record) => recordKey(record) === firstKey)) return false;
	const knownKeys = new Set(known.map(recordKey));
	return records.every((record) => knownKeys.has(recordKey(record)));
}

/** The page's records up to the limit, counted and remembered. */
function takePage(read: CollectionRead, records: IDataObject[]): IDataObject[] {
	if (read.page === 1) read.firstPage = records;
	read.previousPage = records;
	const remaining = read.options.limit === undefined ? records.length : read.options.limit - read.received;
	const pageRecords = records.length > remaining ? records.slice(0, remaining) : records;
	read.received += pageRecords.length;
	return pageRecords;
}

/** The server's next link, or (a server without next links that filled the page) the next `$skip`; else undefined. */
async function nextPageUrl(
	this: ErpNetFunctions,
	read: CollectionRead,
	response: ODataCollection,
	recordCount: number,
): Promise<string | undefined> {
	const nextLink = response['@odata.nextLink'];
	if (typeof nextLink === 'string' && nextLink !== '') {
		read.serverPages = true;
		return resolveNextLink(this.getNode(), nextLink, read.roots, read.options.itemIndex);
	}
	if (read.serverPages || recordCount === 0 || recordCount !== read.top) return undefined;
	// Servers before 26.2 send no next link: page on the client with $skip
	// (https://docs.erp.net/dev/domain-api/querying-data/paging.html).
	read.skip += recordCount;
	return await odataUrl.call(this, read.entitySet, { ...read.query, $top: pageTop(read), $skip: read.skip });
}

/** Stops a read that would loop: a next page read before, or more pages than allowed. */
function guardNextPage(node: INode, read: CollectionRead, nextUrl: string): void {
	if (read.visited.has(nextUrl)) throw pagingError(node, read, 'repeatedNextPage');
	read.visited.add(nextUrl);
	if (read.page >= read.maxPages) throw pagingError(node, read, 'tooManyPages');
}

/** A record's identity: its `@odata.id` or Id. The `@odata.id` is always sent (the capture on
 * https://docs.erp.net/dev/domain-api/data-manipulation/batch.html). */
function recordKey(record: IDataObject): string {
	const key = record['@odata.id'] ?? record.Id;
	return key === undefined ? JSON.stringify(record) : String(key);
}
