/**
 * Tests of the harness itself (test/helpers/n8n/): that nodes really run through n8n-core and that
 * TestCredentialsHelper behaves like the n8n CLI's CredentialsHelper. Uses a tiny fake server, not the sandbox.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ErpNetApi } from '../../credentials/ErpNetApi.credentials';
import {
	callListSearch,
	callLoadOptions,
	callResourceMapping,
	CredentialStore,
	createAdditionalData,
	CredentialTypeRegistry,
	runNode,
	TestCredentialsHelper,
} from '../helpers/n8n';
import { ErpNetProbe } from '../helpers/nodes/ErpNetProbe.node';
import { startFakeErpNet, type FakeErpNet } from './fake-erpnet';

let fake: FakeErpNet;
let hookOutputs: Array<ICredentialDataDecryptedObject | undefined>;

beforeAll(async () => {
	fake = await startFakeErpNet('fake-secret');
});
afterAll(async () => {
	await fake.close();
});
beforeEach(() => {
	fake.requests.length = 0;
	fake.tokenResponses.length = 0;
	hookOutputs = [];
});

/** A credential with a generic `authenticate`, like most n8n credentials, to exercise that path of the helper. */
class GenericSessionApi implements ICredentialType {
	name = 'genericSessionApi';
	displayName = 'Generic Session API';
	properties: ICredentialType['properties'] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{ displayName: 'Label', name: 'label', type: 'string', default: 'default-label' },
		{
			displayName: 'Session',
			name: 'session',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const next = hookOutputs.shift();
		if (next !== undefined) return next;
		return {
			session: `session-for-${String(credentials.label)}`,
			label: 'overwritten-by-hook',
			undeclaredKey: 'dropped on read',
		};
	}
	authenticate = {
		type: 'generic' as const,
		properties: { headers: { 'X-Session': '={{$credentials.session}}', 'X-Label': '={{$credentials.label}}' } },
	};
}

class EchoNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Echo',
		name: 'echo',
		group: ['transform'],
		version: [1, 2],
		description: 'Test node',
		defaults: { name: 'Echo' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'genericSessionApi', required: true }],
		properties: [{ displayName: 'Fail', name: 'fail', type: 'boolean', default: false }],
	};

	methods = {
		listSearch: {
			async search(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
				const credentials = await this.getCredentials('genericSessionApi');
				const echoed = (await this.helpers.httpRequestWithAuthentication.call(this, 'genericSessionApi', {
					url: `${String(credentials.baseUrl)}/echo`,
					json: true,
				})) as { headers: IDataObject };
				return {
					results: [{ name: String(echoed.headers['x-session']), value: `${filter ?? ''}|${paginationToken ?? ''}` }],
				};
			},
		},
		loadOptions: {
			async fields(this: ILoadOptionsFunctions) {
				return [{ name: String(this.getCurrentNodeParameter('fail')), value: this.getNode().type }];
			},
		},
		resourceMapping: {
			async mapping(this: ILoadOptionsFunctions) {
				return {
					fields: [
						{ id: 'a', displayName: 'A', required: false, defaultMatch: false, display: true },
						{ id: 'a', displayName: 'A again', required: false, defaultMatch: false, display: true },
					],
				};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (this.getNodeParameter('fail', i))
					throw new NodeOperationError(this.getNode(), `item ${i} failed`, { itemIndex: i });
				const credentials = await this.getCredentials('genericSessionApi', i);
				const echoed = (await this.helpers.httpRequestWithAuthentication.call(this, 'genericSessionApi', {
					url: `${String(credentials.baseUrl)}/echo`,
					json: true,
				})) as { headers: IDataObject };
				out.push({
					json: {
						session: echoed.headers['x-session'] ?? null,
						label: echoed.headers['x-label'] ?? null,
						keys: Object.keys(credentials).sort(),
						version: this.getNode().typeVersion,
					},
					pairedItem: { item: i },
				});
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}

const genericOptions = (store?: CredentialStore, data: ICredentialDataDecryptedObject = {}) => ({
	nodeType: new EchoNode(),
	credentialTypes: [new GenericSessionApi(), new ErpNetApi()],
	credentialStore: store,
	credentials: { genericSessionApi: { baseUrl: fake.url, label: 'L1', ...data } },
});

describe('runNode', () => {
	it('runs the node through WorkflowExecute with input items, pairedItem and the latest version', async () => {
		const { items, error, run, nodeName } = await runNode({
			...genericOptions(),
			input: [{ a: 1 }, { json: { a: 2 } }],
		});

		expect(error).toBeUndefined();
		expect(run.status).toBe('success');
		expect(nodeName).toBe('Echo');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.version).toBe(2);
	});

	it('honours typeVersion and nodeName', async () => {
		const { items, nodeName } = await runNode({ ...genericOptions(), typeVersion: 1, nodeName: 'My Echo' });
		expect(nodeName).toBe('My Echo');
		expect(items[0].json.version).toBe(1);
	});

	it('returns the error of a failing node, or error items with continueOnFail', async () => {
		const failed = await runNode({ ...genericOptions(), parameters: { fail: true } });
		// n8n keeps a plain copy in the run data; the harness also returns the thrown object.
		expect(failed.error).not.toBeInstanceOf(Error);
		expect(failed.error).toMatchObject({
			name: 'NodeOperationError',
			message: 'item 0 failed',
			context: { itemIndex: 0 },
		});
		expect(failed.thrownError).toBeInstanceOf(NodeOperationError);
		expect(failed.run.status).toBe('error');

		const continued = await runNode({
			...genericOptions(),
			parameters: { fail: true },
			continueOnFail: true,
			input: [{}, {}],
		});
		expect(continued.error).toBeUndefined();
		expect(continued.items.map((item) => item.json.error)).toEqual(['item 0 failed', 'item 1 failed']);
	});

	it('wraps HTTP failures in the same NodeApiError class the node imports (one n8n-workflow copy)', async () => {
		const { error, thrownError } = await runNode({
			nodeType: new ErpNetProbe(),
			credentials: { erpNetApi: { instanceUrl: fake.url, clientId: 'c', clientSecret: 'fake-secret' } },
			parameters: { path: '/api/domain/odata/Nope' },
		});
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(thrownError).toBeInstanceOf(NodeApiError);
	});
});

describe('TestCredentialsHelper follows the n8n CLI', () => {
	it('resolves a generic authenticate with $credentials after the hook output was assigned', async () => {
		const { items, credentialStore } = await runNode(genericOptions());

		expect(items[0].json.session).toBe('session-for-L1');
		// Object.assign(credentials, output): this request already sees the hook's label.
		expect(items[0].json.label).toBe('overwritten-by-hook');
		expect(credentialStore.writes).toHaveLength(1);
		expect(credentialStore.writes[0].data).toMatchObject({
			session: 'session-for-L1',
			undeclaredKey: 'dropped on read',
		});
	});

	it('drops undeclared keys on the next read (getNodeParameters), keeps declared ones', async () => {
		const first = await runNode(genericOptions());
		const second = await runNode(genericOptions(first.credentialStore, { label: 'overwritten-by-hook' }));

		expect(second.items[0].json.keys).toEqual(['baseUrl', 'label', 'session']);
		expect(second.items[0].json.session).toBe('session-for-L1');
		expect(second.credentialStore.writes).toHaveLength(1);
	});

	it('runs the hook only when the expirable field is exactly empty', async () => {
		const store = new CredentialStore();
		store.upsert('genericSessionApi', { baseUrl: fake.url, session: ' stale ' });
		const { items } = await runNode(genericOptions(store));
		expect(items[0].json.session).toBe('stale'); // HTTP trims header values
		expect(store.preAuthenticationRuns).toBe(0);
	});

	it('discards hook output without the expirable key (no write, request sent with the empty value)', async () => {
		hookOutputs.push({ somethingElse: 'x' });
		const { items, credentialStore } = await runNode(genericOptions());
		expect(credentialStore.preAuthenticationRuns).toBe(1);
		expect(credentialStore.writes).toHaveLength(0);
		expect(items[0].json.session).toBe('');
	});

	it('does not overwrite a field stored as an expression (PR #35064), but always the expirable one', async () => {
		const store = new CredentialStore();
		store.upsert('genericSessionApi', { baseUrl: fake.url, label: '={{ "from-" + "expression" }}' });
		const { items } = await runNode(genericOptions(store, { label: '={{ "from-" + "expression" }}' }));

		expect(items[0].json.session).toBe('session-for-from-expression');
		expect(store.data('genericSessionApi')).toMatchObject({
			label: '={{ "from-" + "expression" }}',
			session: 'session-for-from-expression',
		});
	});

	it('getDecrypted adds defaults; raw returns the stored data as is', async () => {
		const store = new CredentialStore();
		const entry = store.upsert('genericSessionApi', { baseUrl: 'x', extra: 1 });
		const helper = new TestCredentialsHelper(store, new CredentialTypeRegistry([new GenericSessionApi()]));
		const additionalData = createAdditionalData(helper);
		const nodeCredentials = { id: entry.id, name: entry.name };

		expect(await helper.getDecrypted(additionalData, nodeCredentials, 'genericSessionApi', 'manual')).toEqual({
			baseUrl: 'x',
			label: 'default-label',
			session: '',
		});
		expect(
			await helper.getDecrypted(additionalData, nodeCredentials, 'genericSessionApi', 'manual', undefined, true),
		).toEqual({
			baseUrl: 'x',
			extra: 1,
		});
	});

	it('n8n-core refreshes on 401 and resends once (ERP.net credential)', async () => {
		const options = {
			nodeType: new ErpNetProbe(),
			credentials: { erpNetApi: { instanceUrl: fake.url, clientId: 'c', clientSecret: 'fake-secret' } },
		};
		const first = await runNode(options);
		fake.revokeAll();
		const second = await runNode({ ...options, credentialStore: first.credentialStore });

		expect(second.error).toBeUndefined();
		expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /id/connect/token 200',
			'GET /api/domain/odata/General_Currencies_Currencies 200',
			'GET /api/domain/odata/General_Currencies_Currencies 401',
			'POST /id/connect/token 200',
			'GET /api/domain/odata/General_Currencies_Currencies 200',
		]);
	});
});

describe('load options helpers (LoadOptionsContext)', () => {
	it('listSearch goes through preAuthentication and persists the token', async () => {
		const result = await callListSearch('search', { ...genericOptions(), filter: 'abc', paginationToken: 'p2' });

		expect(result.results).toEqual([{ name: 'session-for-L1', value: 'abc|p2' }]);
		expect(result.credentialStore.writes).toHaveLength(1);
	});

	it('loadOptions sees the current node parameters (with defaults) and the node', async () => {
		const options = await callLoadOptions('fields', genericOptions());
		expect(options).toEqual([{ name: 'false', value: 'n8n-nodes-erpnet.echo' }]);

		const withParameter = await callLoadOptions('fields', { ...genericOptions(), parameters: { fail: true } });
		expect(withParameter[0].name).toBe('true');
	});

	it('resourceMapping removes duplicate field ids like n8n', async () => {
		const mapping = await callResourceMapping('mapping', genericOptions());
		expect(mapping.fields.map((field) => field.displayName)).toEqual(['A']);
	});

	it('names a missing method clearly', async () => {
		await expect(callLoadOptions('nope', genericOptions())).rejects.toThrow(
			'Node type has no methods.loadOptions.nope',
		);
	});
});
