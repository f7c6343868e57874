/**
 * A write ERP.net carried out whose read-back failed (core/transport/readBack.ts): the item is the write's own
 * result marked saved, never an item error that would invite running the write again.
 */
import { SAVED_BUT_NOT_READ_BACK, savedButNotReadBack } from '../../../core/transport/readBack';

describe('savedButNotReadBack', () => {
	it("should keep the write's result, mark it saved and say not to run it again, with the read's error", () => {
		const output = savedButNotReadBack({ updated: true, id: 'abc' }, new Error('Read failed'));

		expect(output).toEqual({
			updated: true,
			id: 'abc',
			saved: true,
			readBackError: 'Saved, but could not be read back: Read failed. The write was carried out; do not run it again.',
		});
	});

	it('should take a reason that is not an Error as text', () => {
		expect(savedButNotReadBack({}, 'cut off').readBackError).toBe(
			`${SAVED_BUT_NOT_READ_BACK}: cut off. The write was carried out; do not run it again.`,
		);
	});

	it('should not change the written object', () => {
		const written = { id: 'x' };
		savedButNotReadBack(written, 'x');
		expect(written).toEqual({ id: 'x' });
	});

	it('should be worded as the README and the batch outcomes word it', () => {
		expect(SAVED_BUT_NOT_READ_BACK).toBe('Saved, but could not be read back');
	});
});
