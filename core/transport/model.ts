import type { ModelRepository, ModelRepositoryDetails } from '../odata/types';
import { erpNetApiRequest } from './request';
import type { ErpNetFunctions } from './types';
import { apiUrl, assertEntitySetName } from './urls';

const detailsByContext = new WeakMap<object, Map<string, Promise<ModelRepositoryDetails>>>();

/** The instance's repositories, compact form (`GET /api/domain/currentmodel`,
 * https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html). */
export async function getModelRepositories(this: ErpNetFunctions): Promise<ModelRepository[]> {
	const response = await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await apiUrl.call(this, 'currentmodel'),
		action: 'read the instance model',
	});
	return Array.isArray(response) ? (response as ModelRepository[]) : [];
}

/** One repository in detail (`GET /api/domain/currentmodel/{EntitySet}`), fetched once per execution. */
export async function getEntitySetModel(
	this: ErpNetFunctions,
	entitySet: string,
	itemIndex?: number,
): Promise<ModelRepositoryDetails> {
	assertEntitySetName(this.getNode(), entitySet, itemIndex);
	let cache = detailsByContext.get(this);
	if (!cache) {
		cache = new Map();
		detailsByContext.set(this, cache);
	}
	let details = cache.get(entitySet);
	if (!details) {
		details = (async () =>
			(await erpNetApiRequest.call(this, {
				method: 'GET',
				url: await apiUrl.call(this, `currentmodel/${entitySet}`),
				itemIndex,
				action: `read the model of ${entitySet}`,
			})) as ModelRepositoryDetails)();
		details.catch(() => cache?.delete(entitySet));
		cache.set(entitySet, details);
	}
	return await details;
}
