/**
 * URLs on the instance (core/transport/urls.ts): the Domain API roots of a credential, resource and model URLs that
 * cannot leave the Domain API root, entity set names checked before a URL is built, and next links followed only
 * under the instance's own Domain API.
 */
import { NodeOperationError } from 'n8n-workflow';

import { clearDiscoveryCache } from '../../../core/discovery';
import type { InstanceRoots } from '../../../core/transport/urls';
import {
	apiUrl,
	assertEntitySetName,
	credentialTypeOf,
	getInstanceRoots,
	odataUrl,
	resolveNextLink,
} from '../../../core/transport/urls';
import type { ErpNetFunctions } from '../../../core/transport/types';
import { erpNetCredentials, locator, odataRequests, runErpNet } from '../../helpers/erpnet';
import { callListSearch, callLoadOptions, callResourceMapping } from '../../helpers/n8n';
import { caught, sandboxContext, testNode, useCleanSandbox } from './fixtures';

const sandbox = useCleanSandbox({ customers: 6, products: 3, salesOrders: 1 });

const customerId = () => String(sandbox().store.list('Crm_Sales_Customers')[0].Id);

const ROOTS: InstanceRoots = {
	instanceUrl: 'https://host.example/erp',
	origin: 'https://host.example',
	odataRoot: 'https://host.example/erp/api/domain/odata/',
	domainRoot: 'https://host.example/erp/api/domain/',
	credentialType: 'erpNetApi',
};

describe('credentialTypeOf', () => {
	const contextOf = (parameters: object) => ({ getNode: () => ({ ...testNode, parameters }) }) as ErpNetFunctions;

	it('should be the client-credentials type unless the node authenticates with a reference token', () => {
		expect(credentialTypeOf(contextOf({}))).toBe('erpNetApi');
		expect(credentialTypeOf(contextOf({ authentication: 'clientCredentials' }))).toBe('erpNetApi');
		expect(credentialTypeOf(contextOf({ authentication: 'referenceToken' }))).toBe('erpNetReferenceTokenApi');
	});
});

describe('resolveNextLink', () => {
	it('should follow an absolute next link under the Domain API root as returned', () => {
		const link = "https://host.example/erp/api/domain/odata/Crm_Sales_Customers?$top=10&$skiptoken='a b'";
		expect(resolveNextLink(testNode, link, ROOTS)).toBe(link);
	});

	it('should resolve a relative next link against the OData root', () => {
		expect(resolveNextLink(testNode, 'Crm_Sales_Customers?$skiptoken=5', ROOTS)).toBe(
			'https://host.example/erp/api/domain/odata/Crm_Sales_Customers?$skiptoken=5',
		);
	});

	it.each([
		['another host', 'https://evil.example/erp/api/domain/odata/Crm_Sales_Customers?$skiptoken=1'],
		['another scheme', 'http://host.example/erp/api/domain/odata/Crm_Sales_Customers'],
		['a sibling path of the instance', 'https://host.example/other/api/domain/odata/Crm_Sales_Customers'],
		['a path that climbs out', '../../../id/connect/token'],
	])('should refuse a next link to %s, for its item', (_where, link) => {
		let error: unknown;
		try {
			resolveNextLink(testNode, link, ROOTS, 3);
		} catch (thrown) {
			error = thrown;
		}
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe(
			"ERP.net returned a next page link outside the instance's Domain API",
		);
		expect((error as NodeOperationError).description).not.toContain('skiptoken');
		expect((error as NodeOperationError).context.itemIndex).toBe(3);
	});
});

describe('assertEntitySetName', () => {
	it.each(['Crm_Sales_Customers', 'General_Products_Products'])('should accept %s', (name) => {
		expect(() => assertEntitySetName(testNode, name)).not.toThrow();
	});

	it.each(['', 'Crm.Sales.Customers', '../../id/connect/token#', 'Crm_Sales_Customers(1)', 'Crm Sales'])(
		'should refuse %p, naming the item',
		(name) => {
			let error: unknown;
			try {
				assertEntitySetName(testNode, name, 2);
			} catch (thrown) {
				error = thrown;
			}
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).message).toBe(`"${name}" is not a valid ERP.net entity set name`);
			expect((error as NodeOperationError).context.itemIndex).toBe(2);
		},
	);
});

describe('the roots of a credential', () => {
	it("should be the instance's discovered Domain API, once per context", async () => {
		const context = await sandboxContext(sandbox());

		const roots = await getInstanceRoots.call(context);
		await getInstanceRoots.call(context);

		expect(roots).toEqual({
			instanceUrl: sandbox().url,
			origin: new URL(sandbox().odataRoot).origin,
			odataRoot: sandbox().odataRoot,
			domainRoot: `${sandbox().url}/api/domain/`,
			credentialType: 'erpNetApi',
		});
		expect(sandbox().requests.filter((entry) => entry.path === '/sys/auto-discovery').length).toBeLessThanOrEqual(1);
	});

	it("should fail with the discovery's own message when the Domain API is stopped", async () => {
		// Discovery answers are cached per process: read them again with the site stopped, and afterwards.
		clearDiscoveryCache();
		sandbox().control.setSiteStatus('DomainAPI', 'Stopped');
		try {
			const context = await sandboxContext(sandbox());
			const error = await caught(() => getInstanceRoots.call(context));
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toMatch(/Domain API/);
			expect(error.message).toMatch(/Stopped/);
		} finally {
			sandbox().control.setSiteStatus('DomainAPI', 'Working');
			clearDiscoveryCache();
		}
	});
});

describe('odataUrl and apiUrl', () => {
	it('should build a resource URL under the OData root, with the query encoded', async () => {
		const context = await sandboxContext(sandbox());
		const id = customerId();

		expect(await odataUrl.call(context, 'Crm_Sales_Customers')).toBe(`${sandbox().odataRoot}Crm_Sales_Customers`);
		expect(await odataUrl.call(context, `Crm_Sales_Customers(${id})/ChangeState`)).toBe(
			`${sandbox().odataRoot}Crm_Sales_Customers(${id})/ChangeState`,
		);
		expect(await odataUrl.call(context, '$batch')).toBe(`${sandbox().odataRoot}$batch`);
		const url = new URL(await odataUrl.call(context, 'Crm_Sales_Customers/$count', { $filter: "Number eq 'A&B'" }));
		expect(url.pathname).toBe(new URL(`${sandbox().odataRoot}Crm_Sales_Customers/$count`).pathname);
		expect(url.searchParams.get('$filter')).toBe("Number eq 'A&B'");
	});

	it.each([
		'../../id/connect/token',
		'Crm_Sales_Customers/../../x',
		'Crm_Sales_Customers/a/b',
		'Crm_Sales_Customers#x',
		'Crm_Sales_Customers(not-a-guid)',
		'https://evil.example/x',
		'Crm\\Sales',
	])('should refuse the resource %p', async (resource) => {
		const context = await sandboxContext(sandbox());
		const error = await caught(() => odataUrl.call(context, resource));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/is not a valid ERP\.net entity set or record$/);
	});

	it('should build model URLs under {api}/domain/ and refuse any other path', async () => {
		const context = await sandboxContext(sandbox());

		expect(await apiUrl.call(context, 'currentmodel')).toBe(`${sandbox().url}/api/domain/currentmodel`);
		expect(await apiUrl.call(context, 'currentmodel/Crm_Sales_Customers')).toBe(
			`${sandbox().url}/api/domain/currentmodel/Crm_Sales_Customers`,
		);
		for (const path of ['currentmodel/../../id', '../odata', 'currentmodel/a/b', 'reset?x=1']) {
			const error = await caught(() => apiUrl.call(context, path));
			expect(error.message).toMatch(/is not a valid ERP\.net model path$/);
		}
	});
});

describe('same instance only', () => {
	it('should not follow a next link to a sibling path of an instance served under a path prefix', async () => {
		// The credential's instance is {sandbox}/tenant-a; a next link to {sandbox}/tenant-b must not get the token.
		const token = await fetch(`${sandbox().url}/id/connect/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sandbox().clientId,
				client_secret: sandbox().clientSecret,
			}),
		}).then(async (response) => (await response.json()) as { access_token: string });
		sandbox().control.injectFault({
			kind: 'status',
			pathIncludes: '/tenant-a/id/connect/token',
			status: 200,
			body: { ...token, token_type: 'Bearer' },
		});
		sandbox().control.injectFault({
			kind: 'status',
			pathIncludes: '/tenant-a/api/domain/odata/Crm_Sales_Customers',
			status: 200,
			body: {
				value: [{ '@odata.id': `Crm_Sales_Customers(${customerId()})`, Number: 'A' }],
				'@odata.nextLink': `${sandbox().url}/tenant-b/api/domain/odata/Crm_Sales_Customers?$top=1000&$skiptoken=x`,
			},
		});
		const { thrownError } = await runErpNet(
			sandbox(),
			{ operation: 'getAll', entitySet: locator('Crm_Sales_Customers'), returnAll: true },
			{ credentials: erpNetCredentials(sandbox(), { instanceUrl: `${sandbox().url}/tenant-a` }) },
		);
		expect(thrownError).toBeDefined();
		expect(sandbox().requests.filter((entry) => entry.path.startsWith('/tenant-b'))).toHaveLength(0);
	});

	it('should validate the entity set name in list searches before building a URL', async () => {
		const result = await callListSearch('searchRecords', {
			credentials: erpNetCredentials(sandbox()),
			parameters: { entitySet: locator('../../id/connect/token#') },
		}).catch((error: Error) => error);
		expect(result).toBeInstanceOf(Error);
		expect(odataRequests(sandbox())).toHaveLength(0);
		expect(
			sandbox().requests.filter((entry) => entry.headers.authorization && !entry.path.startsWith('/api/domain/')),
		).toHaveLength(0);
	});
});

describe('entity set names in load options and resource mapping', () => {
	it.each([
		[
			'load options',
			() =>
				callLoadOptions('getSelectableFields', {
					credentials: erpNetCredentials(sandbox()),
					parameters: { resource: 'entity', operation: 'getAll', entitySet: locator('../../id/connect/token#') },
				}),
		],
		[
			'resource mapping',
			() =>
				callResourceMapping('getColumns', {
					credentials: erpNetCredentials(sandbox()),
					parameters: { resource: 'entity', operation: 'create', entitySet: locator('currentmodel/../../../sys/x') },
				}),
		],
	])('should refuse an invalid entity set name in %s before building a URL', async (_where, call) => {
		const result = await (call as () => Promise<unknown>)().catch((error: Error) => error);
		expect(result).toBeInstanceOf(Error);
		expect((result as Error).message).toMatch(/not a valid ERP\.net entity set name/);
		expect(sandbox().requests.filter((entry) => entry.path.startsWith('/api/domain/'))).toHaveLength(0);
	});
});
