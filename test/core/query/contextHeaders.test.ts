import { NodeOperationError } from 'n8n-workflow';

import { contextHeaders } from '../../../core/query/contextHeaders';
import { testNode } from '../auth/fixtures';

const COMPANY = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const LOCATION = 'b7c1a7f2-1d7e-4e53-9a1f-2f0c8d6e5a10';
const ROLE = '0c9d8e7f-6a5b-4c3d-8e1f-a2b3c4d5e6f7';

function refusal(run: () => unknown): NodeOperationError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected a NodeOperationError');
}

describe('contextHeaders', () => {
	it('should add no header without a language or context parameter', () => {
		expect(contextHeaders(testNode, {})).toEqual({});
		expect(contextHeaders(testNode, { language: '', roleId: '  ' })).toEqual({});
	});

	it.each(['en', 'bg-BG', 'en_US', 'en-US,en;q=0.8', '*'])(
		'should send the language %j as Accept-Language',
		(language) => {
			expect(contextHeaders(testNode, { language })).toEqual({ 'Accept-Language': language });
		},
	);

	it('should trim the language', () => {
		expect(contextHeaders(testNode, { language: ' bg ' })).toEqual({ 'Accept-Language': 'bg' });
	});

	it('should refuse a language with a line break instead of sending another header, naming the item', () => {
		const error = refusal(() => contextHeaders(testNode, { language: 'en\r\nX-Injected: 1' }, 3));
		expect(error.message).toBe('Language "en\\r\\nX-Injected: 1" is not a language code');
		expect(error.description).toMatch(/Give a language code such as en or bg-BG, on one line/);
		expect(error.context.itemIndex).toBe(3);
	});

	it('should refuse a trailing line break rather than strip it', () => {
		expect(refusal(() => contextHeaders(testNode, { language: 'bg\n' })).message).toBe(
			'Language "bg\\n" is not a language code',
		);
	});

	it.each(['en<script>', 'bg/BG', 'en"'])('should refuse the language %j', (language) => {
		expect(refusal(() => contextHeaders(testNode, { language })).message).toMatch(/is not a language code/);
	});

	it('should send one context parameter as one Prefer header', () => {
		expect(contextHeaders(testNode, { enterpriseCompanyId: ` ${COMPANY} ` })).toEqual({
			Prefer: `CurrentEnterpriseCompanyId=${COMPANY}`,
		});
	});

	it('should send several context parameters as one Prefer header each, company, location, role', () => {
		expect(
			contextHeaders(testNode, {
				language: 'bg',
				roleId: ROLE,
				enterpriseCompanyLocationId: LOCATION,
				enterpriseCompanyId: COMPANY.toUpperCase(),
			}),
		).toEqual({
			'Accept-Language': 'bg',
			Prefer: [
				`CurrentEnterpriseCompanyId=${COMPANY.toUpperCase()}`,
				`CurrentEnterpriseCompanyLocationId=${LOCATION}`,
				`CurrentRoleId=${ROLE}`,
			],
		});
	});

	it.each([
		['enterpriseCompanyId', 'CurrentEnterpriseCompanyId'],
		['enterpriseCompanyLocationId', 'CurrentEnterpriseCompanyLocationId'],
		['roleId', 'CurrentRoleId'],
	])('should refuse a %s that is no GUID, naming the parameter and the item', (option, name) => {
		const error = refusal(() => contextHeaders(testNode, { [option]: 'Main company' }, 2));
		expect(error.message).toBe(`${name} must be a GUID, not "Main company"`);
		expect(error.context.itemIndex).toBe(2);
	});

	it('should refuse an entity id where a bare GUID belongs', () => {
		expect(
			refusal(() => contextHeaders(testNode, { enterpriseCompanyId: `General_EnterpriseCompanies(${COMPANY})` }))
				.message,
		).toMatch(/^CurrentEnterpriseCompanyId must be a GUID/);
	});
});
