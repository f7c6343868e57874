import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ODataCollection } from '../../../core/odata';
import { searchTerm } from '../../../core/odata';
import { erpNetApiRequest, getInstanceRoots, odataUrl, resolveNextLink } from '../../../core/transport';
import { currentEntitySet } from './currentEntitySet';
import { searchRepositories } from './searchRepositories';

const RECORDS_PER_PAGE = 50;

/**
 * One page of a record search: the first page's URL, or the next link "Load more" hands back, followed as ERP.net
 * returned it, relative (`Set?$top=50&$skiptoken=…`, https://docs.erp.net/dev/domain-api/querying-data/paging.html)
 * or absolute, and only under the instance's Domain API.
 */
async function searchPage(
	this: ILoadOptionsFunctions,
	entitySet: string,
	filter: string | undefined,
	paginationToken: string | undefined,
	action: string,
): Promise<INodeListSearchResult> {
	const url = paginationToken
		? resolveNextLink(this.getNode(), paginationToken, await getInstanceRoots.call(this))
		: await odataUrl.call(this, entitySet, {
				$select: 'Id,DisplayText',
				$search: filter?.trim() ? searchTerm(filter) : undefined,
				$top: RECORDS_PER_PAGE,
			});
	const response = (await erpNetApiRequest.call(this, { method: 'GET', url, action })) as ODataCollection<IDataObject>;
	return {
		results: (response.value ?? []).map((record) => ({
			name: String(record.DisplayText ?? record.Id),
			value: String(record.Id),
		})),
		paginationToken: response['@odata.nextLink'],
	};
}

/** Entity sets of the instance's current model whose name or title contains the filter. */
export async function searchEntitySets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchRepositories.call(this, filter);
}

/** Records of the chosen entity set, searched by display text (`$search`), 50 at a time. */
export async function searchRecords(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const entitySet = currentEntitySet.call(this);
	if (entitySet === '') return { results: [] };
	return await searchPage.call(this, entitySet, filter, paginationToken, `search ${entitySet}`);
}

/** Entity sets of the category Documents (sales orders, invoices, store transactions, ...). */
export async function searchDocumentSets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchRepositories.call(this, filter, (repository) => repository.Category === 'Documents');
}

/** ERP.net users (Systems_Security_Users), searched by display text, 50 at a time. */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchPage.call(this, 'Systems_Security_Users', filter, paginationToken, 'search users');
}
