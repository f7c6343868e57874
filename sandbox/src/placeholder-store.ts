import type { SandboxStore } from './context';

/** Stand-in until sandbox/src/store lands: a plain map of entity sets keyed by `Id`. */
export function createPlaceholderStore(data: Record<string, Record<string, unknown>[]>): SandboxStore {
	const sets = new Map(Object.entries(data).map(([name, records]) => [name, records.map((record) => ({ ...record }))]));
	const records = (entitySet: string) => {
		if (!sets.has(entitySet)) sets.set(entitySet, []);
		return sets.get(entitySet) as Record<string, unknown>[];
	};
	return {
		list: (entitySet) => records(entitySet),
		get: (entitySet, id) => records(entitySet).find((record) => record.Id === id),
		insert: (entitySet, record) => {
			records(entitySet).push(record);
			return record;
		},
		patch: (entitySet, id, changes) => {
			const record = records(entitySet).find((candidate) => candidate.Id === id);
			return record && Object.assign(record, changes);
		},
		remove: (entitySet, id) => {
			const list = records(entitySet);
			const index = list.findIndex((record) => record.Id === id);
			if (index >= 0) list.splice(index, 1);
			return index >= 0;
		},
		count: (entitySet) => records(entitySet).length,
	};
}
