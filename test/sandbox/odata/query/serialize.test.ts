import { toErpJson } from '../../../../sandbox/src/odata/request';
import { parseExpand, parseSelect } from '../../../../sandbox/src/odata/query/parse-query';
import {
	collectionPayload,
	createProjector,
	entityPayload,
	ODATA_JSON_CONTENT_TYPE,
	type SerializationContext,
} from '../../../../sandbox/src/odata/query/serialize';
import { referenceId, type MemoryStore } from '../../../../sandbox/src/store/memory-store';
import { createFixtureStore, ID } from '../fixture';

const ROOT = 'https://testdb.my.erp.net/api/domain/odata/';

function contextOf(store: MemoryStore, skipNulls = false): SerializationContext {
	return {
		model: store.model,
		store,
		serviceRoot: ROOT,
		skipNulls,
		language: 'EN',
		resolveReference: (value) => {
			const id = referenceId(value);
			return id ? store.locate(id)?.record : undefined;
		},
	};
}

const store = createFixtureStore();

function project(entitySet: string, id: string, select?: string, expand?: string, skipNulls = false) {
	const set = store.model.getSet(entitySet);
	if (!set) throw new Error(entitySet);
	const projector = createProjector(
		set,
		select ? parseSelect(select) : undefined,
		expand ? parseExpand(expand) : [],
		contextOf(store, skipNulls),
	);
	return projector(store.peek(entitySet, id) as Record<string, unknown>);
}

describe('createProjector: the default attributes of select.md', () => {
	const customer = project('Crm_Sales_Customers', ID.customer1);

	it('should start with a relative @odata.id', () => {
		expect(Object.keys(customer)[0]).toBe('@odata.id');
		expect(customer['@odata.id']).toBe(`Crm_Sales_Customers(${ID.customer1})`);
	});

	it('should return the default attributes and the references', () => {
		expect(customer).toMatchObject({ Number: 'aa00015', Active: true, CreditLimit: { Value: 1000, Currency: 'BGN' } });
		expect(customer.Party).toEqual({ '@odata.id': `General_Contacts_Parties(${ID.companyUni})` });
		expect(customer.SalesPerson).toBeNull();
	});

	it('should not return Id, ObjectVersion, AggregateLastUpdateTimeUtc or DisplayText without $select', () => {
		for (const name of ['Id', 'ObjectVersion', 'AggregateLastUpdateTimeUtc', 'DisplayText'])
			expect(customer).not.toHaveProperty(name);
	});

	it('should return ExternalId and ExternalSystem, which select.md does not leave out', () => {
		expect(customer).toMatchObject({ ExternalId: null, ExternalSystem: null });
	});

	it('should not return child collections without $select/$expand', () => {
		expect(project('Crm_Sales_SalesOrders', ID.orderNew)).not.toHaveProperty('Lines');
	});

	it('should treat $select=* as the default', () => {
		expect(project('Crm_Sales_Customers', ID.customer1, '*')).toEqual(customer);
	});
});

describe('createProjector: $select and $expand', () => {
	it('should return only the selected properties, in the model order', () => {
		const product = project('General_Products_Products', ID.product1, 'Name,PartNumber');
		expect(Object.keys(product)).toEqual(['@odata.id', 'Name', 'PartNumber']);
	});

	it('should return Id, ObjectVersion and DisplayText when selected', () => {
		expect(project('Crm_Sales_Customers', ID.customer1, 'Id,ObjectVersion,DisplayText')).toEqual({
			'@odata.id': `Crm_Sales_Customers(${ID.customer1})`,
			Id: ID.customer1,
			ObjectVersion: 1,
			DisplayText: 'UNI Sofia Ltd',
		});
	});

	it('should add the selected properties to the defaults with the default keyword', () => {
		const customer = project('Crm_Sales_Customers', ID.customer1, 'default,Id');
		expect(customer).toMatchObject({ Id: ID.customer1, Number: 'aa00015', Active: true });
	});

	it('should refuse an unknown property', () => {
		expect(() => project('Crm_Sales_Customers', ID.customer1, 'Nope')).toThrow(
			"Could not find a property named 'Nope' on type 'Erp.Crm_Sales_Customer'.",
		);
	});

	it('should always return expanded navigation properties, with their nested $select (search.md)', () => {
		const customer = project('Crm_Sales_Customers', ID.customer1, 'Number', 'Party($select=PartyName)');
		expect(customer).toEqual({
			'@odata.id': `Crm_Sales_Customers(${ID.customer1})`,
			Number: 'aa00015',
			Party: {
				'@odata.id': `General_Contacts_Parties(${ID.companyUni})`,
				PartyName: { EN: 'UNI Sofia Ltd', BG: 'УНИ София Лтд' },
			},
		});
	});

	it('should expand child collections with nested $expand, $filter and $orderby', () => {
		const order = project(
			'Crm_Sales_SalesOrders',
			ID.orderNew,
			'DocumentNo',
			'Lines($select=LineNo;$orderby=LineNo desc;$expand=Product($select=PartNumber))',
		);
		expect(order.Lines).toEqual([
			{
				'@odata.id': `Crm_Sales_SalesOrderLines(${ID.line2})`,
				LineNo: 20,
				Product: { '@odata.id': `General_Products_Products(${ID.product2})`, PartNumber: 'PRD-002' },
			},
			{
				'@odata.id': `Crm_Sales_SalesOrderLines(${ID.line1})`,
				LineNo: 10,
				Product: { '@odata.id': `General_Products_Products(${ID.product1})`, PartNumber: 'PRD-001' },
			},
		]);
		const filtered = project(
			'Crm_Sales_SalesOrders',
			ID.orderNew,
			'DocumentNo',
			'Lines($select=LineNo;$filter=LineNo ge 20)',
		);
		expect(filtered.Lines).toEqual([{ '@odata.id': `Crm_Sales_SalesOrderLines(${ID.line2})`, LineNo: 20 }]);
	});

	it('should expand a null reference as null', () => {
		expect(project('Crm_Sales_Customers', ID.customer4, 'Number', 'EnterpriseCompany')).toMatchObject({
			EnterpriseCompany: null,
		});
	});

	it('should omit null properties with options=skipnulls', () => {
		const customer = project('Crm_Sales_Customers', ID.customer2, undefined, undefined, true);
		expect(customer).not.toHaveProperty('CreditLimit');
		expect(customer).not.toHaveProperty('SalesPerson');
		expect(customer.Number).toBe('ab30151');
	});

	it('should serialize an abstract set with its key attribute from the Id (PartyId)', () => {
		expect(project('General_Contacts_Parties', ID.personPeter, 'PartyId,PartyType')).toEqual({
			'@odata.id': `General_Contacts_Parties(${ID.personPeter})`,
			PartyId: ID.personPeter,
			PartyType: 'Person',
		});
	});
});

describe('payloads', () => {
	it('should build the collection envelope in the order of the real capture: context, nextLink, value', () => {
		const payload = collectionPayload(ROOT, 'General_Products_Products', [], { nextLink: `${ROOT}x` });
		expect(Object.keys(payload)).toEqual(['@odata.context', '@odata.nextLink', 'value']);
		expect(payload['@odata.context']).toBe(
			'https://testdb.my.erp.net/api/domain/odata/$metadata#General_Products_Products',
		);
		expect(Object.keys(collectionPayload(ROOT, 'X', [], { count: 3 }))).toEqual([
			'@odata.context',
			'@odata.count',
			'value',
		]);
	});

	it('should build a single-entity payload with a $entity context', () => {
		expect(entityPayload(ROOT, 'Crm_Sales_Customers', { '@odata.id': 'x' })).toEqual({
			'@odata.context': `${ROOT}$metadata#Crm_Sales_Customers/$entity`,
			'@odata.id': 'x',
		});
	});

	it('should use the content type of the real capture', () => {
		expect(ODATA_JSON_CONTENT_TYPE).toBe(
			'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
		);
	});

	it('should escape non-ASCII as \\uXXXX like the capture, and apostrophes in errors', () => {
		expect(toErpJson({ Name: { EN: 'Customs Duties', BG: 'Мито' } })).toBe(
			'{"Name":{"EN":"Customs Duties","BG":"\\u041c\\u0438\\u0442\\u043e"}}',
		);
		expect(toErpJson({ error: { message: "code 'PRD-005'" } }, true)).toBe(
			'{"error":{"message":"code \\u0027PRD-005\\u0027"}}',
		);
	});
});
