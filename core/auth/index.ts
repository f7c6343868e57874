/**
 * Authentication as the credential classes (and the trigger's instance digest) use it: the fields both credentials
 * show, preAuthentication and authenticate of each credential type, and the credential test. Files inside `core/`
 * import the module they need directly, never this index (so that no import runs in a circle through it).
 */
export { authenticateRequest } from './authenticate';
export { DISCOVERED_SITES_PROPERTY, DOMAIN_API_ROOT_PROPERTY, INSTANCE_URL_PROPERTY } from './credentialProperties';
export { domainApiCredentialTest } from './credentialTest';
export { CHECK_GRANTED_SCOPE_HEADER } from './grantedScope';
export { authenticateWithReferenceToken, discoverForReferenceToken } from './referenceToken';
export { preAuthenticateCredential } from './sessionTokens';
export { oneWayDigest } from './tokenSettings';
