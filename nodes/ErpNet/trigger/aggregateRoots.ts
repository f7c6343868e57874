import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchRepositories } from '../methods/searchRepositories';

/** Aggregate roots of the instance's model (only they carry AggregateLastUpdateTimeUtc) matching the filter. */
export async function searchAggregateRoots(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	return await searchRepositories.call(this, filter, (repository) => repository.IsAggregateRoot !== false);
}
