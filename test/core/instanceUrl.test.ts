import type { INode } from 'n8n-workflow';
import { UserError, Workflow } from 'n8n-workflow';

import {
	domainApiRoot,
	INSTANCE_URL_EXPRESSION,
	isLoopbackHost,
	normalizeInstanceUrl,
	tokenEndpoint,
} from '../../core/instanceUrl';
import { TestNodeTypes } from '../helpers/n8n';
import { ErpNetProbe } from '../helpers/nodes/ErpNetProbe.node';
import { testNode } from './auth/fixtures';

describe('normalizeInstanceUrl', () => {
	it.each([
		['https://demodb.my.erp.net', 'https://demodb.my.erp.net'],
		['demodb.my.erp.net', 'https://demodb.my.erp.net'],
		['  https://demodb.my.erp.net/  ', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net///', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/id', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/id/', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/id/connect/token', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/ID/.well-known/openid-configuration', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/api', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/api/domain/odata/', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers?$top=10', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/sys/auto-discovery', 'https://demodb.my.erp.net'],
		['https://demodb.my.erp.net/#/home', 'https://demodb.my.erp.net'],
		['HTTPS://DemoDB.My.ERP.net/Api/Domain/OData', 'https://demodb.my.erp.net'],
		['demodb.my.erp.net:8443/api/domain/odata', 'https://demodb.my.erp.net:8443'],
		['https://demodb.my.erp.net:443', 'https://demodb.my.erp.net'],
		['https://erp.example.com/tenant1/api/domain/odata/', 'https://erp.example.com/tenant1'],
		['https://erp.example.com/identity/', 'https://erp.example.com/identity'],
		['http://127.0.0.1:5680', 'http://127.0.0.1:5680'],
		['http://127.0.0.1:5680/id/connect/token', 'http://127.0.0.1:5680'],
		['http://localhost:5680/', 'http://localhost:5680'],
		['http://LOCALHOST:5680', 'http://localhost:5680'],
		['http://[::1]:5680/api/domain/odata/', 'http://[::1]:5680'],
		['http://127.1.2.3:80', 'http://127.1.2.3'],
		['localhost:5680', 'https://localhost:5680'],
	])('%j → %s', (raw, expected) => {
		expect(normalizeInstanceUrl(raw)).toBe(expected);
	});

	it.each([
		['', /empty/],
		['   ', /empty/],
		['http://demodb.my.erp.net', /must use https:\/\/ \(got http:\/\/demodb\.my\.erp\.net\)/],
		['http://10.0.0.5:8080/', /must use https:\/\//],
		['http://127.0.0.1.nip.io', /must use https:\/\//],
		['ftp://demodb.my.erp.net', /must start with https:\/\//],
		['https://user:pass@demodb.my.erp.net', /must not contain a user name or password/],
		['https://demo db.my.erp.net', /not a valid URL/],
		['https://', /not a valid URL|no host/],
	])('rejects %j', (raw, message) => {
		let error: unknown;
		try {
			normalizeInstanceUrl(raw);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(UserError);
		expect((error as Error).message).toMatch(message);
		expect((error as UserError).description).toMatch(/https:\/\/demodb\.my\.erp\.net/);
	});

	it('never echoes a password pasted into the URL', () => {
		const error = (() => {
			try {
				normalizeInstanceUrl('https://user:hunter2@demodb.my.erp.net');
			} catch (e) {
				return e as UserError;
			}
			throw new Error('expected an error');
		})();
		expect(`${error.message} ${error.description}`).not.toContain('hunter2');
	});

	it('recognises loopback hosts only', () => {
		expect(isLoopbackHost('localhost')).toBe(true);
		expect(isLoopbackHost('127.0.0.1')).toBe(true);
		expect(isLoopbackHost('[::1]')).toBe(true);
		expect(isLoopbackHost('127.0.0.256')).toBe(false);
		expect(isLoopbackHost('localhost.example.com')).toBe(false);
		expect(isLoopbackHost('0.0.0.0')).toBe(false);
	});

	it('derives the Domain API root and the token endpoint', () => {
		expect(domainApiRoot('demodb.my.erp.net/')).toBe('https://demodb.my.erp.net/api/domain/odata/');
		expect(domainApiRoot('https://erp.example.com/tenant1/id')).toBe(
			'https://erp.example.com/tenant1/api/domain/odata/',
		);
		expect(tokenEndpoint('https://demodb.my.erp.net/api/domain/odata/')).toBe(
			'https://demodb.my.erp.net/id/connect/token',
		);
	});
});

describe('the test request base URL expression', () => {
	// Evaluated by n8n's real expression engine, the way RoutingNode resolves `routing.request` values.
	const nodeTypes = new TestNodeTypes().register('probe', new ErpNetProbe());
	const node: INode = { ...testNode, type: 'probe' };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

	it.each([
		'https://demodb.my.erp.net',
		'demodb.my.erp.net',
		' https://demodb.my.erp.net/ ',
		'https://demodb.my.erp.net/id/connect/token',
		'https://demodb.my.erp.net/api/domain/odata/Crm_Sales_Customers?$top=1',
		'https://erp.example.com/tenant1/API/domain',
		'http://127.0.0.1:5680/',
		'http://localhost:5680/id',
		'demodb.my.erp.net:8443/sys/auto-discovery',
	])('matches normalizeInstanceUrl for %j', (instanceUrl) => {
		const value = workflow.expression.getSimpleParameterValue(
			node,
			INSTANCE_URL_EXPRESSION,
			'internal',
			{ $credentials: { instanceUrl } } as never,
			undefined,
			'',
		);
		expect(String(value).toLowerCase()).toBe(normalizeInstanceUrl(instanceUrl));
	});
});
