/** The credential types and defaults every transport function shares (core/transport/types.ts). */
import { ErpNetApi } from '../../../credentials/ErpNetApi.credentials';
import { ErpNetReferenceTokenApi } from '../../../credentials/ErpNetReferenceTokenApi.credentials';
import {
	CREDENTIAL_TYPE,
	DEFAULT_TIMEOUT_MS,
	REFERENCE_TOKEN_CREDENTIAL_TYPE,
	credentialTypeFor,
} from '../../../core/transport/types';

describe('credential types', () => {
	it("should name the credential types as the credentials' own names", () => {
		expect(CREDENTIAL_TYPE).toBe('erpNetApi');
		expect(CREDENTIAL_TYPE).toBe(new ErpNetApi().name);
		expect(REFERENCE_TOKEN_CREDENTIAL_TYPE).toBe('erpNetReferenceTokenApi');
		expect(REFERENCE_TOKEN_CREDENTIAL_TYPE).toBe(new ErpNetReferenceTokenApi().name);
	});

	it.each([
		['referenceToken', 'erpNetReferenceTokenApi'],
		['clientCredentials', 'erpNetApi'],
		[undefined, 'erpNetApi'],
		['', 'erpNetApi'],
		['ReferenceToken', 'erpNetApi'],
	])('should select the credential type for the authentication %p', (authentication, type) => {
		expect(credentialTypeFor(authentication)).toBe(type);
	});
});

describe('DEFAULT_TIMEOUT_MS', () => {
	it('should be two minutes, as the Timeout option documents', () => {
		expect(DEFAULT_TIMEOUT_MS).toBe(120_000);
	});
});
