import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ODataCollection, ODataQuery } from '../odata/types';
import { erpNetApiRequest } from './request';
import type { ErpNetFunctions } from './types';
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

/** Reads a collection page by page, yielding each page's records as soon as it arrives. */
export async function* erpNetApiPages(
	this: ErpNetFunctions,
	entitySet: string,
	query: ODataQuery,
	options: PageOptions = {},
): AsyncGenerator<IDataObject[]> {
	const roots = await getInstanceRoots.call(this);
	const pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
	const pageTop = (received: number) =>
		options.limit === undefined ? pageSize : Math.min(pageSize, options.limit - received);

	let received = 0;
	let skip = 0;
	let serverPages = false;
	let url = await odataUrl.call(this, entitySet, { ...query, $top: pageTop(0) });
	const visited = new Set<string>([url]);
	/** Keys of the records read so far: a page of only these means the server is not paging. */
	const seen = new Set<string>();

	for (let page = 1; ; page++) {
		const top = pageTop(received);
		const response = (await erpNetApiRequest.call(this, {
			method: 'GET',
			url,
			headers: options.headers,
			itemIndex: options.itemIndex,
			timeoutMs: options.timeoutMs,
			action: `read ${entitySet}`,
		})) as ODataCollection;
		const records = collectionValues(this.getNode(), response, options.itemIndex);
		if (page > 1 && records.length > 0 && records.every((record) => seen.has(recordKey(record)))) {
			throw new NodeOperationError(
				this.getNode(),
				`ERP.net sent a page of ${entitySet} with only records already read`,
				{
					itemIndex: options.itemIndex,
					description: `Stopped after ${page} pages and ${received} records: the server repeats records instead of moving on (for example, a server before 26.2 that ignores $skip). Add an $orderby or a filter, or read fewer records.`,
				},
			);
		}
		for (const record of records) seen.add(recordKey(record));
		const remaining = options.limit === undefined ? records.length : options.limit - received;
		const pageRecords = records.length > remaining ? records.slice(0, remaining) : records;
		received += pageRecords.length;
		if (pageRecords.length > 0) yield pageRecords;
		if (options.limit !== undefined && received >= options.limit) return;

		const nextLink = response['@odata.nextLink'];
		if (typeof nextLink === 'string' && nextLink !== '') {
			serverPages = true;
			url = resolveNextLink(this.getNode(), nextLink, roots, options.itemIndex);
		} else if (!serverPages && records.length === top && records.length > 0) {
			// Servers before 26.2 send no next link: page on the client with $skip
			// (https://docs.erp.net/dev/domain-api/querying-data/paging.html).
			skip += records.length;
			url = await odataUrl.call(this, entitySet, { ...query, $top: pageTop(received), $skip: skip });
		} else {
			return;
		}
		if (visited.has(url)) {
			throw new NodeOperationError(this.getNode(), 'ERP.net returned the same next page twice', {
				itemIndex: options.itemIndex,
				description: `Stopped reading ${entitySet} after ${received} records to avoid an endless loop.`,
			});
		}
		visited.add(url);
		if (page >= maxPages) {
			throw new NodeOperationError(this.getNode(), `Stopped after ${maxPages} pages of ${entitySet}`, {
				itemIndex: options.itemIndex,
				description: `${received} records were read. Narrow the read with a filter, or raise "Max Pages".`,
			});
		}
	}
}

function collectionValues(node: INode, response: ODataCollection, itemIndex?: number): IDataObject[] {
	if (!response || !Array.isArray(response.value)) {
		throw new NodeOperationError(node, 'ERP.net answered with something that is not an OData collection', {
			itemIndex,
			description: 'Check that the instance URL points to an ERP.net instance.',
		});
	}
	return response.value;
}

/** A record's identity: its `@odata.id` (always sent, https://docs.erp.net/dev/domain-api/data-manipulation/batch.html capture) or Id. */
function recordKey(record: IDataObject): string {
	const key = record['@odata.id'] ?? record.Id;
	return key === undefined ? JSON.stringify(record) : String(key);
}
