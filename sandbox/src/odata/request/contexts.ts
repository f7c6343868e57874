/** The contexts the stages below the dispatcher read, built from one request's environment. */
import { isGuid } from '../../store/guid-order';
import type { EntityRecord, MemoryStore } from '../../store/memory-store';
import type { EvaluationContext, ParsedQuery, SerializationContext } from '../query';
import { entityWriter, type WriteContext } from '../write';
import type { RequestEnvironment } from './types';

export function evaluationContext(environment: RequestEnvironment): EvaluationContext {
	return {
		model: environment.model,
		language: environment.language,
		truncateAggregateTimeFilter: environment.aggregateTimeFilter === 'date',
		resolveReference: (value) => resolveReference(environment.store, value),
	};
}

function resolveReference(store: MemoryStore, value: unknown): EntityRecord | undefined {
	if (!value || typeof value !== 'object' || !('@odata.id' in value)) return undefined;
	const odataId = String((value as { '@odata.id': unknown })['@odata.id']);
	const open = odataId.lastIndexOf('(');
	const id = open >= 0 ? odataId.slice(open + 1, -1) : '';
	return isGuid(id) ? store.locate(id)?.record : undefined;
}

export function serializationContext(environment: RequestEnvironment, query: ParsedQuery): SerializationContext {
	return {
		...evaluationContext(environment),
		store: environment.store,
		serviceRoot: environment.serviceRoot,
		skipNulls: query.skipNulls,
	};
}

export function writeContext(environment: RequestEnvironment): WriteContext {
	return {
		...evaluationContext(environment),
		store: environment.store,
		serviceRoot: environment.serviceRoot,
		currentEnterpriseCompanyId: environment.currentEnterpriseCompanyId,
		currentUser: environment.currentUser,
		resolveContentId: (reference) => environment.contentIds?.get(reference),
		writer: entityWriter,
	};
}
