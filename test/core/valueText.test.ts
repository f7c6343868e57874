import { text as credentialText } from '../../core/auth/tokenSettings';
import { text } from '../../core/valueText';

describe('text of a loosely typed value', () => {
	it.each([
		[undefined, ''],
		[null, ''],
		['', ''],
		[' a b ', ' a b '],
		[42, '42'],
		[false, 'false'],
	])('should read %p as %p', (value, expected) => {
		expect(text(value)).toBe(expected);
	});

	it('should be the one helper the credential settings hand on', () => {
		expect(credentialText).toBe(text);
	});
});
