import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getModelRepositories } from '../../../core/transport/model';

/** Aggregate roots of the instance's model (only they carry AggregateLastUpdateTimeUtc) matching the filter. */
export async function searchAggregateRoots(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const repositories = await getModelRepositories.call(this);
	const results = repositories
		.filter((repository) => repository.IsAggregateRoot !== false)
		.filter((repository) =>
			[repository.Name, repository.RepositoryName, repository.LocalizedName].some((text) => (text ?? '').toLowerCase().includes(needle)),
		)
		.map((repository) => ({
			name: repository.LocalizedName ? `${repository.LocalizedName} (${repository.Name})` : repository.Name,
			value: repository.Name,
		}))
		.sort((a, b) => a.value.localeCompare(b.value));
	return { results };
}
