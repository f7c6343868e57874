/**
 * core/odata/types.ts holds types only. These tests tie them to what ERP.net sends (the sandbox, built to the docs):
 * each key list below must name every key of its type and nothing else (the compiler checks `satisfies`), and the
 * answers must carry those keys with the types declared, so that a type that drifts from the API fails here.
 */
import axios from 'axios';

import type {
	ErpNetErrorBody,
	ModelAttribute,
	ModelMethod,
	ModelReference,
	ModelRepositoryDetails,
	ODataCollection,
} from '../../../core/odata/types';
import { useSandbox } from '../../helpers/erpnet';

type KeyList<T> = Record<keyof T, 'string' | 'number' | 'boolean' | 'object'>;

const COLLECTION_KEYS = {
	'@odata.context': 'string',
	'@odata.nextLink': 'string',
	'@odata.count': 'number',
	value: 'object',
} satisfies KeyList<ODataCollection>;

const REPOSITORY_KEYS = {
	Name: 'string',
	RepositoryName: 'string',
	TableName: 'string',
	LocalizedName: 'string',
	LocalizedDescription: 'string',
	ObjectType: 'string',
	IsAggregateRoot: 'boolean',
	AggregateRoot: 'string',
	Category: 'string',
	UIVisibility: 'string',
	Attributes: 'object',
	References: 'object',
	ChildCollections: 'object',
	Methods: 'object',
} satisfies KeyList<ModelRepositoryDetails>;

const ATTRIBUTE_KEYS = {
	Name: 'string',
	Type: 'string',
	LocalizedName: 'string',
	LocalizedDescription: 'string',
	ReadOnly: 'boolean',
	IsCustomProperty: 'boolean',
	IsCalculatedDataAttribute: 'boolean',
	SupportsSet: 'boolean',
	SupportsAllowedValues: 'boolean',
	LimitToAllowedValues: 'boolean',
	StoredAttribute: 'object',
	enumValues: 'object',
	BaseInfo: 'object',
} satisfies KeyList<ModelAttribute>;

const REFERENCE_KEYS = {
	Name: 'string',
	ReferencedEntitySet: 'string',
	ReferencedType: 'string',
	LocalizedName: 'string',
	LocalizedDescription: 'string',
	ReadOnly: 'boolean',
	IsOwnership: 'boolean',
	IsFilterable: 'boolean',
	BaseInfo: 'object',
} satisfies KeyList<ModelReference>;

const METHOD_KEYS = {
	Name: 'string',
	Namespace: 'string',
	ReturnType: 'string',
	IsAction: 'boolean',
	Parameters: 'object',
} satisfies KeyList<ModelMethod>;

/** The declared keys the answer carries, each with the type it has there (null counts as absent). */
function declaredKeysOf(value: object, keys: Record<string, string>): Record<string, string> {
	const found: Record<string, string> = {};
	for (const [key, item] of Object.entries(value)) {
		if (key in keys && item !== null && item !== undefined) found[key] = typeof item;
	}
	return found;
}

function expectDeclaredTypes(value: object, keys: Record<string, string>): void {
	const found = declaredKeysOf(value, keys);
	for (const [key, type] of Object.entries(found)) expect([key, type]).toEqual([key, keys[key]]);
}

describe('core/odata types against what the Domain API sends', () => {
	const sandbox = useSandbox({ sizes: { customers: 3, products: 2, salesOrders: 1 } });
	let headers: Record<string, string>;

	beforeAll(async () => {
		const { url, clientId, clientSecret } = sandbox();
		const form = new URLSearchParams({
			client_id: clientId,
			client_secret: clientSecret,
			grant_type: 'client_credentials',
			scope: 'read update',
		});
		const { data } = await axios.post(`${url}/id/connect/token`, form);
		headers = { Authorization: `Bearer ${data.access_token}` };
	});

	it('should describe a collection page: value, context and next link', async () => {
		const { data } = await axios.get(`${sandbox().url}/api/domain/odata/Crm_Sales_Customers?$top=1`, { headers });
		expect(Array.isArray(data.value)).toBe(true);
		expect(declaredKeysOf(data, COLLECTION_KEYS)).toEqual({
			'@odata.context': 'string',
			'@odata.nextLink': 'string',
			value: 'object',
		});
	});

	it("should describe ERP.net's error envelope", async () => {
		const response = await axios.get(`${sandbox().url}/api/domain/odata/Crm_Sales_Customers?$filter=Nope eq 1`, {
			headers,
			validateStatus: () => true,
		});
		expect(response.status).toBeGreaterThanOrEqual(400);
		const body = response.data as ErpNetErrorBody;
		expect(typeof body.error?.message).toBe('string');
	});

	it("should describe a repository's detailed model: attributes, references and methods", async () => {
		const { data } = await axios.get(`${sandbox().url}/api/domain/currentmodel/Crm_Sales_Customers`, { headers });
		const repository = data as ModelRepositoryDetails;
		expect(repository.Name).toBe('Crm_Sales_Customers');
		expectDeclaredTypes(repository, REPOSITORY_KEYS);
		expect(repository.Attributes?.length).toBeGreaterThan(0);
		for (const attribute of repository.Attributes ?? []) expectDeclaredTypes(attribute, ATTRIBUTE_KEYS);
		expect(repository.References?.length).toBeGreaterThan(0);
		for (const reference of repository.References ?? []) expectDeclaredTypes(reference, REFERENCE_KEYS);
		for (const method of repository.Methods ?? []) expectDeclaredTypes(method, METHOD_KEYS);
		expect(repository.Attributes?.map(({ Name }) => Name)).toContain('Number');
	});
});
