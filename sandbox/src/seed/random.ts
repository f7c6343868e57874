/**
 * Deterministic randomness for the seed: the same seed always yields the same data.
 * Every entity set draws from its own stream, so growing one set never changes another.
 */

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function mix32(value: number): number {
	let hash = value | 0;
	hash ^= hash >>> 16;
	hash = Math.imul(hash, 0x85ebca6b);
	hash ^= hash >>> 13;
	hash = Math.imul(hash, 0xc2b2ae35);
	hash ^= hash >>> 16;
	return hash >>> 0;
}

function combine(hash: number, value: number): number {
	return mix32(Math.imul(hash ^ value, 0x9e3779b1) + 0x7f4a7c15);
}

export function hashString(text: string): number {
	let hash = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) {
		hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
	}
	return mix32(hash);
}

const guidBytes = Buffer.alloc(16);

/** A lower-case v4-format GUID that depends only on (seed, stream, index). */
export function deterministicGuid(seed: number, stream: string, index: number): string {
	const base = combine(combine(hashString(stream), seed), index);
	guidBytes.writeUInt32BE(combine(base, 1), 0);
	guidBytes.writeUInt32BE(((combine(base, 2) & 0xffff0fff) | 0x00004000) >>> 0, 4);
	guidBytes.writeUInt32BE(((combine(base, 3) & 0x3fffffff) | 0x80000000) >>> 0, 8);
	guidBytes.writeUInt32BE(combine(base, 4), 12);
	const digits = guidBytes.toString('hex');
	return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
}

export interface Random {
	/** A number in [0, 1). */
	next(): number;
	/** An integer in [min, max]. */
	int(min: number, max: number): number;
	chance(probability: number): boolean;
	pick<T>(items: readonly T[]): T;
}

/** A mulberry32 stream seeded from (seed, stream). */
export function createRandom(seed: number, stream: string): Random {
	let state = combine(hashString(stream), seed);
	const next = () => {
		state = (state + 0x6d2b79f5) | 0;
		let value = Math.imul(state ^ (state >>> 15), 1 | state);
		value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
		return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		chance: (probability) => next() < probability,
		pick: (items) => items[Math.floor(next() * items.length)],
	};
}
