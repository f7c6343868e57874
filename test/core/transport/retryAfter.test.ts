/** Issue 10, class 9: a `Retry-After` of 0, negative, empty, unparsable or in the past never means "retry now". */
import { retryAfterMs } from '../../../core/transport/request';

describe('retryAfterMs', () => {
	it.each([['0'], [0], ['-5'], [''], ['  '], ['soon'], [new Date(Date.now() - 60_000).toUTCString()]])(
		'should give no wait of its own for %p (the exponential backoff applies)',
		(value) => {
			expect(retryAfterMs({ 'retry-after': value })).toBeUndefined();
		},
	);

	it('should honour a positive number of seconds and a future date, capped at a minute', () => {
		expect(retryAfterMs({ 'retry-after': '2' })).toBe(2000);
		expect(retryAfterMs({ 'retry-after': '0.001' })).toBe(100);
		expect(retryAfterMs({ 'retry-after': '3600' })).toBe(60_000);
		expect(retryAfterMs({ 'retry-after': new Date(Date.now() + 30_000).toUTCString() })).toBeGreaterThan(20_000);
	});
});
