import { languageKey, withLanguage } from '../../../core/odata/language';

describe('languageKey', () => {
	it.each([
		['en', 'EN'],
		['EN', 'EN'],
		['en-US', 'EN'],
		['en_us', 'EN'],
		[' bg-BG ', 'BG'],
		['sr-Latn-RS', 'SR'],
		['fil', 'FIL'],
	])('should take %j as the key %s', (language, key) => {
		expect(languageKey(language)).toBe(key);
	});

	it.each([undefined, '', '  ', 'e', 'english', 'en-US,en;q=0.8', '12', 'en US', 'en\nbg'])(
		'should take %j for no language',
		(language) => {
			expect(languageKey(language)).toBeUndefined();
		},
	);
});

describe('withLanguage', () => {
	it('should change one language and keep every other pair (ERP.net updates all pairs at once)', () => {
		expect(withLanguage({ EN: 'Chair', BG: 'Стол' }, 'BG', 'Стол, дъбов')).toEqual({ EN: 'Chair', BG: 'Стол, дъбов' });
	});

	it('should add a language the value does not have yet', () => {
		expect(withLanguage({ EN: 'Chair' }, 'DE', 'Stuhl')).toEqual({ EN: 'Chair', DE: 'Stuhl' });
	});

	it('should replace a key written in another case instead of sending the language twice', () => {
		expect(withLanguage({ en: 'Chair', bg: 'Стол' }, 'EN', 'Armchair')).toEqual({ bg: 'Стол', EN: 'Armchair' });
	});

	it('should leave out pairs that are no text', () => {
		expect(withLanguage({ EN: 'Chair', BG: null, DE: 3 }, 'EN', 'Armchair')).toEqual({ EN: 'Armchair' });
	});

	it.each([undefined, null, 'Chair', ['Chair'], 3])(
		'should start from no pairs when the stored value is %p',
		(current) => {
			expect(withLanguage(current, 'EN', 'Chair')).toEqual({ EN: 'Chair' });
		},
	);

	it('should not change the stored value it was given', () => {
		const current = { EN: 'Chair', BG: 'Стол' };
		withLanguage(current, 'BG', 'Стол, дъбов');
		expect(current).toEqual({ EN: 'Chair', BG: 'Стол' });
	});
});
