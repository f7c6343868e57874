import { LICENSE_EXHAUSTED_CODE, mentionsLicenseExhausted } from '../../../core/session/license';

/** `value` nested `depth` objects deep under the key `inner`. */
function nested(value: unknown, depth: number): unknown {
	let current = value;
	for (let level = 0; level < depth; level++) current = { inner: current };
	return current;
}

describe('LICENSE_EXHAUSTED_CODE', () => {
	it("should be the code ERP.net's docs give for a session refused for want of licences", () => {
		expect(LICENSE_EXHAUSTED_CODE).toBe('MaximumLicenseCountExceeded');
	});
});

describe('mentionsLicenseExhausted', () => {
	it('should find the code in nested bodies, strings and buffers, and not elsewhere', () => {
		expect(
			mentionsLicenseExhausted({ cause: { response: { data: Buffer.from('x MaximumLicenseCountExceeded') } } }),
		).toBe(true);
		expect(mentionsLicenseExhausted({ description: 'MaximumLicenseCountExceeded' })).toBe(true);
		expect(mentionsLicenseExhausted({ cause: { config: { data: 'MaximumLicenseCountExceeded' } } })).toBe(false);
		expect(mentionsLicenseExhausted(new Error('timeout'))).toBe(false);
	});

	it('should find the code in a plain string and in an error message, which is not an enumerable key', () => {
		expect(mentionsLicenseExhausted(`Error: ${LICENSE_EXHAUSTED_CODE}`)).toBe(true);
		expect(mentionsLicenseExhausted(new Error(`401 ${LICENSE_EXHAUSTED_CODE}`))).toBe(true);
		expect(mentionsLicenseExhausted(new Error('wrapper', { cause: new Error(LICENSE_EXHAUSTED_CODE) }))).toBe(true);
	});

	it('should find the code in a JSON error envelope of an axios-like response', () => {
		const error = {
			message: 'Request failed with status code 500',
			response: { status: 500, data: { error: { code: '', message: `${LICENSE_EXHAUSTED_CODE}: all in use` } } },
		};
		expect(mentionsLicenseExhausted(error)).toBe(true);
	});

	it.each(['config', 'request', 'options'])(
		'should not read the outgoing request under "%s" (the code there is not the server speaking)',
		(key) => {
			expect(mentionsLicenseExhausted({ [key]: { body: LICENSE_EXHAUSTED_CODE } })).toBe(false);
			expect(mentionsLicenseExhausted({ cause: { [key]: LICENSE_EXHAUSTED_CODE } })).toBe(false);
		},
	);

	it('should look seven levels deep and no deeper', () => {
		expect(mentionsLicenseExhausted(nested(LICENSE_EXHAUSTED_CODE, 7))).toBe(true);
		expect(mentionsLicenseExhausted(nested(LICENSE_EXHAUSTED_CODE, 8))).toBe(false);
	});

	it('should end on circular structures and skip properties whose getter throws', () => {
		const circular: Record<string, unknown> = { message: 'no licence problem' };
		circular.self = circular;
		circular.cause = { back: circular };
		expect(mentionsLicenseExhausted(circular)).toBe(false);

		const throwing: Record<string, unknown> = Object.defineProperty({}, 'body', {
			enumerable: true,
			get() {
				throw new Error('body already consumed');
			},
		});
		throwing.data = LICENSE_EXHAUSTED_CODE;
		expect(mentionsLicenseExhausted(throwing)).toBe(true);
	});

	it.each([[undefined], [null], [42], [true], [''], [{}], [[]], ['MaximumLicenseCount']])(
		'should say no for %p',
		(value) => {
			expect(mentionsLicenseExhausted(value)).toBe(false);
		},
	);

	it('should find the code in an array of messages', () => {
		expect(mentionsLicenseExhausted({ messages: ['first', `second: ${LICENSE_EXHAUSTED_CODE}`] })).toBe(true);
	});
});
