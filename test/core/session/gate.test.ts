import { FifoGate, type GateTurn } from '../../../core/session/gate';

const placeOf = (turn: GateTurn): number => {
	if (!('place' in turn)) throw new Error(`expected a place, got ${JSON.stringify(turn)}`);
	return turn.place;
};

describe('FifoGate', () => {
	afterEach(() => jest.useRealTimers());

	it('should hand out free places at once, lowest first, and be idle only with all free and nobody waiting', async () => {
		const gate = new FifoGate(3);
		expect(gate.idle).toBe(true);

		expect(placeOf(await gate.acquire(0))).toBe(0);
		expect(placeOf(await gate.acquire(0))).toBe(1);
		expect(gate.idle).toBe(false);
		expect(gate.waiting).toBe(0);

		gate.release(1);
		gate.release(0);
		expect(gate.idle).toBe(true);
	});

	it('should give a released place back to the lowest free index', async () => {
		const gate = new FifoGate(3);
		for (let place = 0; place < 3; place++) await gate.acquire(0);
		gate.release(2);
		gate.release(0);

		expect(placeOf(await gate.acquire(0))).toBe(0);
		expect(placeOf(await gate.acquire(0))).toBe(2);
	});

	it('should admit waiting requests in arrival order, each on the place just released', async () => {
		const gate = new FifoGate(1);
		await gate.acquire(60_000);
		const admitted: string[] = [];
		const waiters = ['first', 'second', 'third'].map((name) =>
			gate.acquire(60_000).then((turn) => {
				admitted.push(`${name}@${placeOf(turn)}`);
				return turn;
			}),
		);
		expect(gate.waiting).toBe(3);

		for (let released = 0; released < 3; released++) {
			gate.release(0);
			await waiters[released];
		}

		expect(admitted).toEqual(['first@0', 'second@0', 'third@0']);
		expect(gate.waiting).toBe(0);
		expect(gate.idle).toBe(false);
		gate.release(0);
		expect(gate.idle).toBe(true);
	});

	it('should not let a newcomer take a free place ahead of those already waiting', async () => {
		const gate = new FifoGate(1);
		await gate.acquire(60_000);
		const waiting = gate.acquire(60_000);
		gate.release(0);
		// the place went to the waiter, so the newcomer must wait in turn
		const newcomer = gate.acquire(60_000);
		expect(placeOf(await waiting)).toBe(0);
		expect(gate.waiting).toBe(1);
		gate.release(0);
		expect(placeOf(await newcomer)).toBe(0);
	});

	it('should give up after the longest wait, saying how long it waited and how many were ahead', async () => {
		jest.useFakeTimers();
		const gate = new FifoGate(1);
		await gate.acquire(0);
		const patient = gate.acquire(60_000);
		const hasty = gate.acquire(2_500);
		expect(gate.waiting).toBe(2);

		await jest.advanceTimersByTimeAsync(3_000);
		const turn = await hasty;

		expect(turn).toEqual({ timedOut: true, waitedMs: 3_000, ahead: 1 });
		expect(gate.waiting).toBe(1);
		gate.release(0);
		expect(placeOf(await patient)).toBe(0);
	});

	it('should not hand a released place to a request that gave up waiting', async () => {
		jest.useFakeTimers();
		const gate = new FifoGate(1);
		await gate.acquire(0);
		const gaveUp = gate.acquire(500);
		await jest.advanceTimersByTimeAsync(1_000);
		expect(await gaveUp).toMatchObject({ timedOut: true, ahead: 0 });

		gate.release(0);
		expect(gate.idle).toBe(true);
		expect(placeOf(await gate.acquire(0))).toBe(0);
	});
});
