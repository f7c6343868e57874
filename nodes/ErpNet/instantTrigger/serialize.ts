/**
 * One pull at a time per trigger node in this n8n process: pushes, their retries and the catch-up read the same
 * watermark, so the second waits for the first and starts from what the first stored. The newest state is also
 * kept here, because n8n loads a webhook call's static data from its database before the call waits its turn.
 */
const tails = new Map<string, Promise<void>>();
const latest = new Map<string, { revision: number; value: unknown }>();

/** Runs `task` after every earlier task of `key` in this process has finished. */
export async function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	let release: () => void = () => {};
	const current = new Promise<void>((resolve) => {
		release = resolve;
	});
	const tail = previous.then(async () => await current);
	tails.set(key, tail);
	await previous;
	try {
		return await task();
	} finally {
		release();
		if (tails.get(key) === tail) tails.delete(key);
	}
}

/** The newer of the stored value and the one this process last wrote (by revision). */
export function newest<T extends { revision: number }>(key: string, stored: T | undefined): T | undefined {
	const remembered = latest.get(key)?.value as T | undefined;
	if (!remembered) return stored;
	if (!stored || typeof stored.revision !== 'number') return remembered;
	return remembered.revision > stored.revision ? remembered : stored;
}

export function remember<T extends { revision: number }>(key: string, value: T): void {
	latest.set(key, { revision: value.revision, value });
}

export function forget(key: string): void {
	latest.delete(key);
}
