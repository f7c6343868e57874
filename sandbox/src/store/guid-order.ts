/**
 * ERP.net runs on SQL Server, whose `uniqueidentifier` ordering compares the last six bytes first.
 * The real $batch capture (data-manipulation/batch.md) shows it: products are returned
 * `...-00155d00050a`, `...-002a1beef969` and the skiptoken is `...-00b929a00283`.
 * SqlGuid compares the bytes of Guid.ToByteArray() in the order 10-15, 8-9, 6-7, 4-5, 0-3, and the
 * first three groups of the text form are little-endian in that array.
 */
export function sqlGuidSortKey(id: string): string {
	const hex = id.toLowerCase();
	return (
		hex.slice(24, 36) +
		hex.slice(19, 23) +
		reverseBytes(hex.slice(14, 18)) +
		reverseBytes(hex.slice(9, 13)) +
		reverseBytes(hex.slice(0, 8))
	);
}

function reverseBytes(hex: string): string {
	let result = '';
	for (let index = hex.length - 2; index >= 0; index -= 2) result += hex.slice(index, index + 2);
	return result;
}

export function compareSqlGuids(left: string, right: string): number {
	const leftKey = sqlGuidSortKey(left);
	const rightKey = sqlGuidSortKey(right);
	return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
}

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
	return GUID_PATTERN.test(text);
}

/** Ids sorted in SQL Server order, with O(log n) lookup of the first id at or after a given one. */
export class SortedIdIndex {
	private keys: string[] = [];
	private ids: string[] = [];

	static fromIds(ids: Iterable<string>): SortedIdIndex {
		const index = new SortedIdIndex();
		const pairs = [...ids].map((id) => [sqlGuidSortKey(id), id] as const);
		pairs.sort((left, right) => (left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0));
		index.keys = pairs.map((pair) => pair[0]);
		index.ids = pairs.map((pair) => pair[1]);
		return index;
	}

	get size(): number {
		return this.ids.length;
	}

	add(id: string): void {
		const key = sqlGuidSortKey(id);
		const position = this.lowerBound(key);
		if (this.keys[position] === key) return;
		this.keys.splice(position, 0, key);
		this.ids.splice(position, 0, id);
	}

	delete(id: string): void {
		const key = sqlGuidSortKey(id);
		const position = this.lowerBound(key);
		if (this.keys[position] !== key) return;
		this.keys.splice(position, 1);
		this.ids.splice(position, 1);
	}

	/** Ids in order, starting at `fromId` inclusive (keyset paging) or at the first. */
	*idsFrom(fromId?: string): IterableIterator<string> {
		const start = fromId === undefined ? 0 : this.lowerBound(sqlGuidSortKey(fromId));
		for (let position = start; position < this.ids.length; position++) yield this.ids[position];
	}

	private lowerBound(key: string): number {
		let low = 0;
		let high = this.keys.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.keys[middle] < key) low = middle + 1;
			else high = middle;
		}
		return low;
	}
}
