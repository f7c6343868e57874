import * as auth from '../../../core/auth';
import { authenticateRequest } from '../../../core/auth/authenticate';
import { INSTANCE_URL_PROPERTY } from '../../../core/auth/credentialProperties';
import { domainApiCredentialTest } from '../../../core/auth/credentialTest';
import { authenticateWithReferenceToken } from '../../../core/auth/referenceToken';
import { preAuthenticateCredential } from '../../../core/auth/sessionTokens';
import { oneWayDigest } from '../../../core/auth/tokenSettings';
import { frontDoorUse } from '../../helpers/sourceImports';

describe('core/auth front door', () => {
	const use = frontDoorUse('core/auth', auth);

	it('exports every value the credentials and nodes import from it', () => {
		expect(use.wanted).toEqual(
			expect.arrayContaining(['authenticateRequest', 'preAuthenticateCredential', 'domainApiCredentialTest']),
		);
		expect(use.missing).toEqual([]);
	});

	it("hands out the auth modules' own functions and constants", () => {
		expect(auth).toMatchObject({
			authenticateRequest,
			authenticateWithReferenceToken,
			domainApiCredentialTest,
			INSTANCE_URL_PROPERTY,
			oneWayDigest,
			preAuthenticateCredential,
		});
	});

	it('is how credentials and nodes reach core/auth (no import of its files)', () => {
		expect(use.deepImports).toEqual([]);
	});

	it('is imported by no file inside core/ (they import each other directly, never in a circle through it)', () => {
		expect(use.coreImports).toEqual([]);
	});
});
