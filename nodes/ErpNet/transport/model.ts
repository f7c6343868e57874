import type { ModelRepository, ModelRepositoryDetails } from '../helpers/interfaces';
import type { ErpNetFunctions } from './index';
import { apiUrl, assertEntitySetName, erpNetApiRequest } from './index';

const detailsByContext = new WeakMap<object, Map<string, Promise<ModelRepositoryDetails>>>();

/** The instance's repositories, compact form (`GET /api/domain/currentmodel`, discover-model.md). */
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
	assertEntitySetName.call(this, entitySet, itemIndex);
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
