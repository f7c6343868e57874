import { redact, redactDeep, secretPattern, tokenParts } from '../../core/redact';

const SECRET = 'p&ss=w+rd% ü/€';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLXBhcnQ';

describe('tokenParts', () => {
	it('should add the signature of a JWT, which a server may echo on its own', () => {
		expect(tokenParts(TOKEN)).toEqual([TOKEN, 'c2lnbmF0dXJlLXBhcnQ']);
	});

	it('should keep an opaque token whole', () => {
		expect(tokenParts('enrt_ABCDEF')).toEqual(['enrt_ABCDEF']);
		expect(tokenParts('a.b')).toEqual(['a.b']);
	});
});

describe('secretPattern', () => {
	it('should have nothing to look for without a usable secret', () => {
		expect(secretPattern([])).toBeUndefined();
		expect(secretPattern([undefined, '', '   '])).toBeUndefined();
	});

	it('should find every occurrence, case-insensitively', () => {
		const pattern = secretPattern(['secret-value']) as RegExp;
		expect('a secret-value b SECRET-VALUE'.replace(pattern, '*')).toBe('a * b *');
	});
});

describe('redact', () => {
	it('should replace a long secret in every spelling a server echoes it in', () => {
		const spellings = [
			SECRET,
			encodeURIComponent(SECRET),
			encodeURIComponent(SECRET).toLowerCase(),
			new URLSearchParams({ s: SECRET }).toString().slice(2),
			'p\\u0026ss=w\\u002brd% \\u00fc/\\u20ac',
		];
		expect(redact(spellings.join(' | '), [SECRET])).toBe('*** | *** | *** | *** | ***');
	});

	it('should match a secret whose whitespace the server collapsed or changed', () => {
		expect(redact('a two  word\tsecret z', ['two word secret'])).toBe('a *** z');
		expect(redact('a two\nword secret z', ['two  word secret'])).toBe('a *** z');
	});

	it('should replace the longer of two overlapping secrets whole', () => {
		expect(redact(`Bearer ${TOKEN}`, tokenParts(TOKEN))).toBe('Bearer ***');
		expect(redact('sig c2lnbmF0dXJlLXBhcnQ', tokenParts(TOKEN))).toBe('sig ***');
	});

	it('should leave text without secrets as it is', () => {
		expect(redact('nothing to hide', [SECRET, undefined, ''])).toBe('nothing to hide');
		expect(redact('nothing to hide', [])).toBe('nothing to hide');
	});
});

describe('short secrets', () => {
	it('should be redacted as form, query and JSON member values and echoed header lines, not inside ordinary data', () => {
		const echoed = [
			'grant_type=client_credentials&client_id=a&client_secret=DEMO&scope=read',
			'body: client_secret=DEMO',
			'{"client_secret":"DEMO","Name":"DEMO stand","Code":"DEMO"}',
			'X-Client-Secret: DEMO\r\nAccept: */*',
		].join('\n');
		expect(redact(echoed, ['DEMO'])).toBe(
			[
				'grant_type=client_credentials&client_id=a&client_secret=***&scope=read',
				'body: client_secret=***',
				'{"client_secret":"***","Name":"DEMO stand","Code":"DEMO"}',
				'X-Client-Secret: ***\r\nAccept: */*',
			].join('\n'),
		);
	});

	it("should keep ERP.net data that merely contains the demo secret (a product named 'DEMO stand')", () => {
		const text = 'Product DEMO stand, part DEMO-1, code DEMOS, the DEMO product; Name=DEMOstand';
		expect(redact(text, ['DEMO'])).toBe(text);
	});

	it('should redact a query value in a URL and a JSON member named like a password or authorization', () => {
		expect(redact('https://x.example.com/cb?password=DEMO#top', ['DEMO'])).toBe(
			'https://x.example.com/cb?password=***#top',
		);
		expect(redact('{"Authorization": "DEMO", "user_password":"DEMO"}', ['DEMO'])).toBe(
			'{"Authorization": "***", "user_password":"***"}',
		);
	});

	it('should redact every whole word only for text from the token endpoint (wholeWords)', () => {
		const text = 'secret DEMO (demo) is wrong; DEMOS and xDEMO are words';
		expect(redact(text, ['DEMO'])).toBe(text);
		expect(redact(text, ['DEMO'], { wholeWords: true })).toBe('secret *** (***) is wrong; DEMOS and xDEMO are words');
	});

	it('should redact a value that is the short secret alone only for header values (wholeValues)', () => {
		expect(redact(' DEMO ', ['DEMO'])).toBe(' DEMO ');
		expect(redact(' DEMO ', ['DEMO'], { wholeValues: true })).toBe('***');
		expect(redact('DEMO stand', ['DEMO'], { wholeValues: true })).toBe('DEMO stand');
	});
});

describe('redactDeep', () => {
	it('should redact strings and keys at any depth and leave other values', () => {
		const value = {
			message: `token ${TOKEN}`,
			nested: [{ [SECRET]: 'key', count: 3, ok: true, none: null }],
		};
		expect(redactDeep(value, [...tokenParts(TOKEN), SECRET])).toEqual({
			message: 'token ***',
			nested: [{ '***': 'key', count: 3, ok: true, none: null }],
		});
		expect(value.message).toBe(`token ${TOKEN}`);
	});

	it('should keep a record whose data merely contains a short secret', () => {
		const record = { Name: 'DEMO stand', PartNumber: 'DEMO-1', Description: 'the DEMO product' };
		expect(redactDeep(record, ['DEMO'])).toEqual(record);
		expect(redactDeep({ 'x-echo': 'DEMO', other: 'DEMO stand' }, ['DEMO'], { wholeValues: true })).toEqual({
			'x-echo': '***',
			other: 'DEMO stand',
		});
	});

	it('should redact the text of a Buffer and keep it a Buffer', () => {
		const redacted = redactDeep({ body: Buffer.from(`error: ${SECRET}`, 'utf8') }, [SECRET]);
		expect(Buffer.isBuffer(redacted.body)).toBe(true);
		expect(redacted.body.toString('utf8')).toBe('error: ***');
	});

	it('should pass other binary data through untouched', () => {
		const bytes = new Uint8Array([1, 2, 3]);
		expect(redactDeep({ bytes }, [SECRET]).bytes).toBe(bytes);
	});

	it('should return the value itself when there is no secret to look for', () => {
		const value = { a: 'b' };
		expect(redactDeep(value, [undefined, ''])).toBe(value);
	});
});
