import { credentialFingerprint, settingsFingerprint } from '../../../core/auth/tokenSettings';
import { credentials, SECRET, settings } from './fixtures';

describe('fingerprint', () => {
	const base = credentials();

	it('changes with every setting that decides the token', () => {
		const fingerprints = [
			base,
			credentials({ instanceUrl: 'https://other.my.erp.net' }),
			credentials({ clientId: 'other' }),
			credentials({ clientSecret: 'other' }),
			credentials({ scope: 'read' }),
		].map((c) => credentialFingerprint(c));
		expect(new Set(fingerprints).size).toBe(5);
	});

	it('ignores differences that normalise away', () => {
		const fingerprint = credentialFingerprint(base);
		expect(credentialFingerprint(credentials({ instanceUrl: 'demodb.my.erp.net/' }))).toBe(fingerprint);
		expect(credentialFingerprint(credentials({ scope: ' read  update ' }))).toBe(fingerprint);
		expect(credentialFingerprint(credentials({ clientId: ' my.company/n8n ' }))).toBe(fingerprint);
		expect(credentialFingerprint(credentials({ accessToken: 'anything' }))).toBe(fingerprint);
	});

	it("is versioned, one-way and does not equal ERP.net's ApplicationSecretHash", () => {
		const fingerprint = settingsFingerprint(settings());
		expect(fingerprint).toMatch(/^v1:[A-Za-z0-9_-]{43}$/);
		expect(fingerprint).not.toContain(SECRET);
		// base64(sha256(secret)) is what ERP.net stores; the fingerprint must not reveal it.
		const { createHash } = jest.requireActual<typeof import('crypto')>('crypto');
		const erpHash = createHash('sha256').update(SECRET, 'utf8').digest('base64');
		expect(fingerprint).not.toContain(erpHash.replace(/=+$/, ''));
	});

	it('is undefined for invalid settings', () => {
		expect(credentialFingerprint(credentials({ instanceUrl: 'http://example.com' }))).toBeUndefined();
	});
});
