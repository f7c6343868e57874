import { UserError } from 'n8n-workflow';

import { CHECK_GRANTED_SCOPE_HEADER, missingScopes, narrowerScopeError } from '../../../core/auth/grantedScope';
import { expectSurvivesNodeApiError } from './fixtures';

describe('missingScopes', () => {
	it('should list the requested scopes the token did not get, in the order requested', () => {
		expect(missingScopes('read update', 'read')).toEqual(['update']);
		expect(missingScopes('update read', 'DomainApi')).toEqual(['update', 'read']);
	});

	it('should find none when everything requested was granted, in any order or spacing', () => {
		expect(missingScopes('read update', 'update read')).toEqual([]);
		expect(missingScopes(' read   update ', ' read\tupdate offline_access ')).toEqual([]);
	});

	it('should find none when the server did not say what it granted', () => {
		expect(missingScopes('read update', '')).toEqual([]);
		expect(missingScopes('read update', '   ')).toEqual([]);
	});

	it('should not miss DomainApi, the resource scope a token endpoint may leave out', () => {
		expect(missingScopes('DomainApi read', 'read')).toEqual([]);
	});

	it('should find none when nothing was requested (ERP.net grants every scope of the application)', () => {
		expect(missingScopes('', 'read')).toEqual([]);
	});
});

describe('narrowerScopeError', () => {
	it('should say that writes will fail when update is missing, and how to fix it', () => {
		const error = narrowerScopeError('read update', 'read', ['update']);
		expect(error).toBeInstanceOf(UserError);
		expect(error.message).toBe('ERP.net granted the scope "read", not "read update": the token lacks \'update\'');
		expect(error.description).toBe(
			"Reads work, but every create, update and delete will fail. Add 'update' to the trusted application's Scope in ERP.net, or set the credential's Scope to 'read' for read-only use.",
		);
		expect(error.level).toBe('warning');
		expectSurvivesNodeApiError(error);
	});

	it('should name every missing scope and say where to add it when another scope is missing', () => {
		const error = narrowerScopeError('read update custom', 'update', ['read', 'custom']);
		expect(error.message).toBe(
			'ERP.net granted the scope "update", not "read update custom": the token lacks \'read\', \'custom\'',
		);
		expect(error.description).toBe(
			"Add the missing scope to the trusted application's Scope in ERP.net, or remove it from the credential's Scope.",
		);
	});
});

describe('CHECK_GRANTED_SCOPE_HEADER', () => {
	it('should be a header name of its own, which authenticate removes before the request leaves n8n', () => {
		expect(CHECK_GRANTED_SCOPE_HEADER).toBe('X-ErpNet-Check-Granted-Scope');
	});
});
