import { sleep } from 'n8n-workflow';

/** How often a waiting request checks whether it has waited too long (no cancellable timers in node code). */
const WAIT_CHECK_MS = 1000;

/** The place a request got, or how long it waited in vain and how many requests were ahead of it. */
export type GateTurn = { place: number } | { timedOut: true; waitedMs: number; ahead: number };

interface Waiter {
	grant: () => void;
	granted: boolean;
	abandoned: boolean;
}

/**
 * First come, first served admission to a fixed number of places (one per session of a pool). `acquire`
 * resolves with the index of the place it got; the caller hands it back with `release(index)`.
 */
export class FifoGate {
	private readonly free: number[];
	private readonly waiters: Array<Waiter & { place?: number }> = [];

	constructor(private readonly places: number) {
		this.free = Array.from({ length: places }, (_, index) => index);
	}

	/** No place taken and nobody waiting. */
	get idle(): boolean {
		return this.waiters.length === 0 && this.free.length === this.places;
	}

	/** Requests waiting for a place now. */
	get waiting(): number {
		return this.waiters.length;
	}

	async acquire(maxWaitMs: number): Promise<GateTurn> {
		if (this.waiters.length === 0 && this.free.length > 0) return { place: this.free.shift() as number };
		const started = Date.now();
		let resolveGranted!: () => void;
		const granted = new Promise<void>((resolve) => (resolveGranted = resolve));
		const waiter: Waiter & { place?: number } = { grant: resolveGranted, granted: false, abandoned: false };
		this.waiters.push(waiter);
		while (!waiter.granted) {
			await Promise.race([granted, sleep(WAIT_CHECK_MS)]);
			if (waiter.granted) break;
			const waited = Date.now() - started;
			if (waited >= maxWaitMs) {
				const ahead = this.waiters.indexOf(waiter);
				waiter.abandoned = true;
				this.waiters.splice(ahead, 1);
				return { timedOut: true, waitedMs: waited, ahead };
			}
		}
		return { place: waiter.place as number };
	}

	release(place: number): void {
		const next = this.waiters.shift();
		if (!next) {
			this.free.push(place);
			this.free.sort((a, b) => a - b);
			return;
		}
		next.place = place;
		next.granted = true;
		next.grant();
	}
}
