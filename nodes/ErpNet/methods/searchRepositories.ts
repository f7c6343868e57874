import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ModelRepository } from '../../../core/odata';
import { getModelRepositories } from '../../../core/transport';

/**
 * Entity sets of the instance's current model that `include` keeps and whose name or title contains the
 * filter, as a list-search result sorted by name.
 */
export async function searchRepositories(
	this: ILoadOptionsFunctions,
	filter: string | undefined,
	include: (repository: ModelRepository) => boolean = () => true,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const repositories = await getModelRepositories.call(this);
	const results = repositories
		.filter(include)
		.filter((repository) =>
			[repository.Name, repository.RepositoryName, repository.LocalizedName].some((text) =>
				(text ?? '').toLowerCase().includes(needle),
			),
		)
		.map((repository) => ({
			name: repository.LocalizedName ? `${repository.LocalizedName} (${repository.Name})` : repository.Name,
			value: repository.Name,
		}))
		.sort((a, b) => a.value.localeCompare(b.value));
	return { results };
}
