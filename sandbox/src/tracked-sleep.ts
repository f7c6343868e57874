/** A sleep whose timer stays in `timers` until it fires, so that its owner can cancel it. */
export function trackedSleep(timers: Set<NodeJS.Timeout>, ms: number): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			resolve();
		}, ms);
		timers.add(timer);
	});
}
