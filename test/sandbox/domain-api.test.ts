/**
 * The Domain API over HTTP on 127.0.0.1: the router in a minimal express app with a fake `req.auth`
 * (header `x-test-scopes`; none = anonymous), on the fixture data of test/sandbox/odata/fixture.ts.
 * Shapes are checked against the real captures of the ERP.net docs (batch.md, paging.md, select.md, search.md,
 * discover-model.md, handling-renames.md, change-language.md).
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import { createDomainApiRouter, type DomainApiContext } from '../../sandbox/src/domain-api';
import { domainModel } from '../../sandbox/src/schema';
import { createMemoryStore, type EntityRecord, type MemoryStore } from '../../sandbox/src/store/memory-store';
import { fixtureSeed, ID } from './odata/fixture';

const CONTENT_TYPE =
	'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface Harness {
	url: string;
	root: string;
	store: MemoryStore;
	context: DomainApiContext;
	close(): Promise<void>;
}

async function startHarness(seed = fixtureSeed()): Promise<Harness> {
	const store = createMemoryStore(seed, domainModel);
	const context: DomainApiContext = { legacy: false, store };
	const app = express();
	app.use(express.text({ type: () => true, limit: '10mb' }));
	app.use((req, _res, next) => {
		req.rawBodyText = typeof req.body === 'string' ? req.body : '';
		const scopes = req.get('x-test-scopes');
		if (scopes !== undefined)
			req.auth = { clientId: 'test.client', scopes: scopes.split(' '), jti: 'jti', sessionId: 'session' };
		next();
	});
	app.use('/api/domain', createDomainApiRouter(context));
	const server: Server = await new Promise((resolve) => {
		const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
	});
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		root: `${url}/api/domain/odata/`,
		store,
		context,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

interface Reply {
	status: number;
	headers: Headers;
	text: string;
	json: Record<string, unknown>;
}

async function call(
	harness: Harness,
	path: string,
	init: { method?: string; body?: unknown; scopes?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
	const headers: Record<string, string> = { ...init.headers };
	if (init.scopes !== null) headers['x-test-scopes'] = init.scopes ?? 'read update';
	let body: string | undefined;
	if (init.body !== undefined) {
		body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
		headers['content-type'] ??= 'application/json';
	}
	const target = path.startsWith('http')
		? path
		: path.startsWith('/')
			? `${harness.url}${path}`
			: `${harness.root}${path}`;
	const response = await fetch(target, { method: init.method ?? 'GET', headers, body });
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = text ? JSON.parse(text) : {};
	} catch {
		json = {};
	}
	return { status: response.status, headers: response.headers, text, json };
}

function values(reply: Reply): EntityRecord[] {
	return reply.json.value as EntityRecord[];
}

function errorOf(reply: Reply): { message: string; code: number; type: string } {
	return (reply.json as { error: { message: string; code: number; type: string } }).error;
}

let harness: Harness;

beforeEach(async () => {
	harness = await startHarness();
});

afterEach(async () => {
	await harness.close();
});

describe('GET collection', () => {
	it('should answer with the content type, OData-Version and envelope of the real capture', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers');
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toBe(CONTENT_TYPE);
		expect(reply.headers.get('odata-version')).toBe('4.0');
		expect(reply.json['@odata.context']).toBe(`${harness.root}$metadata#Crm_Sales_Customers`);
		expect(reply.json).not.toHaveProperty('@odata.nextLink');
		expect(values(reply).map((customer) => customer['@odata.id'])).toEqual(
			[ID.customer1, ID.customer2, ID.customer3, ID.customer4].map((id) => `Crm_Sales_Customers(${id})`),
		);
	});

	it('should return default attributes and references, but no Id (select.md)', async () => {
		const [customer] = values(await call(harness, 'Crm_Sales_Customers?$top=1'));
		expect(customer).toMatchObject({
			Number: 'aa00015',
			Party: { '@odata.id': `General_Contacts_Parties(${ID.companyUni})` },
		});
		expect(customer).not.toHaveProperty('Id');
	});

	it('should escape non-ASCII characters as the real capture does', async () => {
		const reply = await call(harness, "General_Products_Products?$filter=PartNumber eq 'PRD-001'&$select=Name");
		expect(reply.text).toContain('"BG":"\\u041a\\u0430\\u0444\\u0435 \\u043c\\u0430\\u0448\\u0438\\u043d\\u0430"');
		expect(values(reply)[0].Name).toEqual({ EN: 'Coffee Maker', BG: 'Кафе машина' });
	});

	it('should filter, select, expand and order', async () => {
		const reply = await call(
			harness,
			"Crm_Sales_Customers?$filter=Active eq true and contains(Party/PartyName,'uni')&$select=Number,Party&$expand=Party($select=PartyName)&$orderby=Number desc",
		);
		expect(values(reply)).toEqual([
			{
				'@odata.id': `Crm_Sales_Customers(${ID.customer4})`,
				Number: 'C0004',
				Party: {
					'@odata.id': `General_Contacts_Parties(${ID.companyUni})`,
					PartyName: { EN: 'UNI Sofia Ltd', BG: 'УНИ София Лтд' },
				},
			},
			{
				'@odata.id': `Crm_Sales_Customers(${ID.customer1})`,
				Number: 'aa00015',
				Party: {
					'@odata.id': `General_Contacts_Parties(${ID.companyUni})`,
					PartyName: { EN: 'UNI Sofia Ltd', BG: 'УНИ София Лтд' },
				},
			},
		]);
	});

	it('should search like search.md', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers?$select=Number&$search="015"');
		expect(values(reply)).toEqual([
			{ '@odata.id': `Crm_Sales_Customers(${ID.customer1})`, Number: 'aa00015' },
			{ '@odata.id': `Crm_Sales_Customers(${ID.customer2})`, Number: 'ab30151' },
		]);
	});

	it('should list companies and persons in the abstract Parties set', async () => {
		const reply = await call(harness, 'General_Contacts_Parties?$select=PartyType');
		expect(
			values(reply)
				.map((party) => party.PartyType)
				.sort(),
		).toEqual(['Company', 'Company', 'Company', 'Person']);
	});

	it('should count with $count=true and /$count', async () => {
		const inline = await call(harness, 'Crm_Sales_Customers?$count=true&$top=1&$filter=Active eq true');
		expect(inline.json['@odata.count']).toBe(3);
		expect(values(inline)).toHaveLength(1);
		const plain = await call(harness, 'Crm_Sales_Customers/$count?$filter=Active eq true');
		expect(plain.text).toBe('3');
		expect(plain.headers.get('content-type')).toMatch(/^text\/plain/);
	});

	it("should refuse 'or' with a 500 NotSupportedException like the real server", async () => {
		const reply = await call(harness, "Crm_Sales_Customers?$filter=Number eq 'a' or Number eq 'b'");
		expect(reply.status).toBe(500);
		expect(errorOf(reply)).toMatchObject({ message: "Operator 'or' is not supported.", type: 'NotSupportedException' });
	});
});

describe('paging (paging.md)', () => {
	it('should give an absolute, percent-encoded next link with $skiptoken=<next Id>, like the real capture', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers?$top=2&$select=Number,Active');
		expect(values(reply)).toHaveLength(2);
		expect(reply.json['@odata.nextLink']).toBe(
			`${harness.root}Crm_Sales_Customers?%24top=2&%24select=Number%2cActive&%24skiptoken=${ID.customer3}`,
		);
	});

	it('should return every row exactly once when the next links are followed', async () => {
		const seen: string[] = [];
		let link: string | undefined = `${harness.root}Crm_Sales_Customers?$top=1&$select=Number`;
		let pages = 0;
		while (link) {
			const reply = await call(harness, link);
			seen.push(...values(reply).map((customer) => String(customer.Number)));
			link = reply.json['@odata.nextLink'] as string | undefined;
			pages++;
		}
		expect(seen).toEqual(['aa00015', 'ab30151', 'number050', 'C0004']);
		expect(pages).toBe(4);
	});

	it('should not give a next link without $top, or when no row is left', async () => {
		expect(await call(harness, 'Crm_Sales_Customers')).not.toHaveProperty('json.@odata.nextLink');
		expect((await call(harness, 'Crm_Sales_Customers?$top=4')).json).not.toHaveProperty('@odata.nextLink');
		expect((await call(harness, 'Crm_Sales_Customers?$top=5')).json).not.toHaveProperty('@odata.nextLink');
	});

	it('should keep the other query options and use $skip=prev+top with $orderby', async () => {
		const reply = await call(
			harness,
			'Crm_Sales_Customers?$orderby=Number&$top=2&$skip=1&$filter=GracePeriodDays le 50&culture=en',
		);
		expect(values(reply).map((customer) => customer.Number)).toEqual(['ab30151', 'C0004']);
		expect(reply.json['@odata.nextLink']).toBe(
			`${harness.root}Crm_Sales_Customers?%24orderby=Number&%24top=2&%24filter=GracePeriodDays+le+50&culture=en&%24skip=3`,
		);
		const next = await call(harness, reply.json['@odata.nextLink'] as string);
		expect(values(next).map((customer) => customer.Number)).toEqual(['number050']);
		expect(next.json).not.toHaveProperty('@odata.nextLink');
	});

	it('should page a filtered set with skip tokens', async () => {
		const first = await call(harness, 'Crm_Sales_Customers?$top=1&$filter=Active eq true&$select=Number');
		expect(values(first)[0].Number).toBe('aa00015');
		const second = await call(harness, first.json['@odata.nextLink'] as string);
		expect(values(second)[0].Number).toBe('number050');
	});

	it('should never give a next link on a legacy (pre-26.2) server', async () => {
		harness.context.legacy = true;
		const reply = await call(harness, 'Crm_Sales_Customers?$top=1');
		expect(values(reply)).toHaveLength(1);
		expect(reply.json).not.toHaveProperty('@odata.nextLink');
	});

	it('should refuse a skip token that is not an id', async () => {
		expect((await call(harness, 'Crm_Sales_Customers?$top=1&$skiptoken=abc')).status).toBe(500);
	});
});

describe('GET by key', () => {
	it('should return the entity with a $entity context', async () => {
		const reply = await call(harness, `Crm_Sales_Customers(${ID.customer1})?$select=Number,Id`);
		expect(reply.status).toBe(200);
		expect(reply.json).toEqual({
			'@odata.context': `${harness.root}$metadata#Crm_Sales_Customers/$entity`,
			'@odata.id': `Crm_Sales_Customers(${ID.customer1})`,
			Id: ID.customer1,
			Number: 'aa00015',
		});
	});

	it('should answer 404 with the error envelope for an unknown key', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers(00000000-0000-4000-8000-000000000099)');
		expect(reply.status).toBe(404);
		expect(errorOf(reply).message).toContain('was not found');
	});

	it('should refuse malformed keys', async () => {
		for (const key of [
			"'abc'",
			"guid'00000000-0000-4000-8000-000000000099'",
			'12',
			'00000000-0000-4000-8000-00000000009',
		]) {
			const reply = await call(harness, `Crm_Sales_Customers(${key})`);
			expect(reply.status).toBe(500);
			expect(errorOf(reply).message).toMatch(/key .* is not valid/);
		}
	});

	it('should expand child collections (query-examples.md nested $expand)', async () => {
		const reply = await call(
			harness,
			`Crm_Sales_SalesOrders(${ID.orderNew})?$select=DocumentNo&$expand=Lines($select=LineNo;$expand=Product($select=PartNumber))`,
		);
		expect(reply.json.Lines).toEqual([
			{
				'@odata.id': `Crm_Sales_SalesOrderLines(${ID.line1})`,
				LineNo: 10,
				Product: { '@odata.id': `General_Products_Products(${ID.product1})`, PartNumber: 'PRD-001' },
			},
			{
				'@odata.id': `Crm_Sales_SalesOrderLines(${ID.line2})`,
				LineNo: 20,
				Product: { '@odata.id': `General_Products_Products(${ID.product2})`, PartNumber: 'PRD-002' },
			},
		]);
	});
});

describe('entity sets', () => {
	it('should answer an old entity set name with the documented rename error (handling-renames.md)', async () => {
		const reply = await call(harness, 'Crm_Customers?$top=1');
		expect(reply.status).toBe(500);
		expect(errorOf(reply).message).toBe(
			`The provided entity set name 'Crm_Customers' is no more supported.\r\nThe new name of this entity is 'Crm_Sales_Customers'.\r\nList of all entity renames can be found at ${harness.root}GetRenamedEntityTypes.`,
		);
	});

	it('should answer 404 for an unknown entity set', async () => {
		const reply = await call(harness, 'No_Such_Things');
		expect(reply.status).toBe(404);
		expect(errorOf(reply).message).toBe("Resource not found for the segment 'No_Such_Things'.");
	});

	it('should refuse REST-style sub-resources (url-components.md)', async () => {
		expect((await call(harness, `Crm_Sales_Customers(${ID.customer1})/Party`)).status).toBe(500);
	});

	it('should require authentication', async () => {
		expect((await call(harness, 'Crm_Sales_Customers', { scopes: null })).status).toBe(401);
	});
});

describe('POST', () => {
	it('should create an entity: 201, Location, the created entity, required defaults applied', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers', {
			method: 'POST',
			body: {
				Number: 'NEW001',
				Party: { '@odata.id': `General_Contacts_Parties(${ID.companyUni})` },
				CreditLimit: { Value: 10, Currency: 'BGN' },
			},
		});
		expect(reply.status).toBe(201);
		expect(reply.headers.get('location')).toMatch(
			new RegExp(`^${harness.root.replace(/[.$]/g, '\\$&')}Crm_Sales_Customers\\(${GUID}\\)$`),
		);
		expect(reply.json).toMatchObject({
			'@odata.context': `${harness.root}$metadata#Crm_Sales_Customers/$entity`,
			Number: 'NEW001',
			Active: true,
			GracePeriodDays: 0,
		});
		const id = /\((.*)\)/.exec(String(reply.json['@odata.id']))?.[1] as string;
		expect(harness.store.get('Crm_Sales_Customers', id)).toMatchObject({ Number: 'NEW001', ObjectVersion: 1 });
	});

	it('should bind references with @odata.bind, relative or absolute (update.md)', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers', {
			method: 'POST',
			body: {
				Number: 'NEW002',
				'Party@odata.bind': `General_Contacts_Parties(${ID.personPeter})`,
				'DefaultCurrency@odata.bind': `${harness.root}General_Currencies_Currencies(${ID.currencyEur})`,
			},
		});
		expect(reply.status).toBe(201);
		expect(reply.json.DefaultCurrency).toEqual({ '@odata.id': `General_Currencies_Currencies(${ID.currencyEur})` });
	});

	it('should refuse a reference to a missing object', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers', {
			method: 'POST',
			body: { Number: 'X', Party: { '@odata.id': 'General_Contacts_Parties(00000000-0000-4000-8000-000000000099)' } },
		});
		expect(reply.status).toBe(500);
		expect(errorOf(reply).message).toContain('does not exist');
	});

	it('should refuse unknown and read-only properties with an ERP.net-style 500 error', async () => {
		const unknown = await call(harness, 'Crm_Sales_Customers', { method: 'POST', body: { Number: 'X', Nope: 1 } });
		expect(unknown.status).toBe(500);
		expect(errorOf(unknown).message).toBe(
			"The property 'Nope' does not exist on type 'Erp.Crm_Sales_Customer'. Make sure to only use property names that are defined by the type.",
		);
		const readOnly = await call(harness, 'Crm_Sales_Customers', {
			method: 'POST',
			body: { Number: 'X', CreationUser: 'me' },
		});
		expect(readOnly.status).toBe(500);
		expect(errorOf(readOnly).message).toContain("'CreationUser'");
		expect(errorOf(readOnly).message).toContain('read-only');
	});

	it('should check required attributes', async () => {
		const reply = await call(harness, 'General_Products_Products', { method: 'POST', body: { PartNumber: 'NEW' } });
		expect(reply.status).toBe(500);
		expect(errorOf(reply).message).toContain("'Name'");
	});

	it('should refuse wrong value types', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers', { method: 'POST', body: { GracePeriodDays: 'seven' } });
		expect(reply.status).toBe(500);
		expect(errorOf(reply).message).toContain("'Edm.Int32'");
	});

	it('should need @odata.type for an abstract set (erpnet-action.md)', async () => {
		const untyped = await call(harness, 'General_Contacts_Parties', { method: 'POST', body: { PartyNotes: 'x' } });
		expect(untyped.status).toBe(500);
		expect(errorOf(untyped).message).toContain('abstract');
		const typed = await call(harness, 'General_Contacts_Parties', {
			method: 'POST',
			body: { '@odata.type': 'Erp.General_Contacts_Company', Name: { EN: 'New Company' } },
		});
		expect(typed.status).toBe(201);
		expect(typed.json['@odata.id']).toMatch(/^General_Contacts_Companies\(/);
		expect(typed.json).toMatchObject({ PartyName: { EN: 'New Company' }, PartyType: 'Company' });
	});

	it('should refuse a negative customer credit limit (business rule, HTTP 500)', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers', {
			method: 'POST',
			body: {
				Number: 'NEG',
				Party: { '@odata.id': `General_Contacts_Parties(${ID.companyUni})` },
				CreditLimit: { Value: -1, Currency: 'BGN' },
			},
		});
		expect(reply.status).toBe(500);
		expect(errorOf(reply)).toMatchObject({
			code: 2029,
			type: 'Aloe.EnterpriseOne.Server.ServerAPI.Exceptions.EnterpriseOneServerException',
		});
		expect(errorOf(reply).message).toMatch(/^An error occurred while saving data to the database\r\nThe validation /);
		expect(harness.store.list('Crm_Sales_Customers').map((customer) => customer.Number)).not.toContain('NEG');
	});

	it('should create a sales order with lines from codes only (erpnet-action.md "Import Sales Order")', async () => {
		const reply = await call(harness, 'Crm_Sales_SalesOrders?$expand=Lines($select=LineNo,ProductDescription)', {
			method: 'POST',
			body: {
				DocumentType: { Code: 'CRM_SALES_ORDER' },
				EnterpriseCompany: { '@erpnet.findBy': { Code: 'BG00003' } },
				Customer: { Number: 'AA00015' },
				DocumentCurrency: { CurrencySign: 'BGN' },
				Lines: [
					{
						Product: { PartNumber: 'PRD-001' },
						QuantityUnit: { Code: 'pcs' },
						Quantity: { Value: 1, Unit: 'pcs' },
						UnitPrice: { Value: 20, Currency: 'BGN' },
					},
				],
			},
		});
		expect(reply.status).toBe(201);
		expect(reply.json).toMatchObject({
			Customer: { '@odata.id': `Crm_Sales_Customers(${ID.customer1})` },
			EnterpriseCompany: { '@odata.id': `General_EnterpriseCompanies(${ID.enterpriseCompany})` },
			State: 'New',
		});
		expect(reply.json.Lines).toEqual([
			expect.objectContaining({ LineNo: 10, ProductDescription: { EN: 'Coffee Maker', BG: 'Кафе машина' } }),
		]);
	});

	it('should fail a nested find that matches nothing', async () => {
		const reply = await call(harness, 'Crm_Sales_SalesOrders', {
			method: 'POST',
			body: {
				DocumentType: { Code: 'CRM_SALES_ORDER' },
				EnterpriseCompany: { '@odata.id': `General_EnterpriseCompanies(${ID.enterpriseCompany})` },
				Customer: { Number: 'NOPE' },
			},
		});
		expect(reply.status).toBe(500);
		expect(errorOf(reply).message).toContain(
			"Cannot find an object of type 'Erp.Crm_Sales_Customer' with Code = 'NOPE'",
		);
		expect(harness.store.count('Crm_Sales_SalesOrders')).toBe(2);
	});

	it('should merge nested objects: find by code and update, or create (erpnet-action.md)', async () => {
		const reply = await call(harness, 'General_Products_Products', {
			method: 'POST',
			body: {
				PartNumber: 'DAT001',
				Name: { EN: 'Domain API Test 001' },
				MeasurementUnit: { '@erpnet.action': 'find', '@erpnet.findBy': { Name: 'piece' } },
				ProductGroup: { Code: '450', Name: { EN: 'Domain API Tests' } },
			},
		});
		expect(reply.status).toBe(201);
		expect(reply.json.MeasurementUnit).toEqual({ '@odata.id': `General_Products_MeasurementUnits(${ID.unitPcs})` });
		expect(harness.store.get('General_Products_ProductGroups', ID.productGroup)?.Name).toEqual({
			EN: 'Domain API Tests',
		});
	});

	it('should update an existing object with a top-level @erpnet.action merge', async () => {
		const reply = await call(harness, 'General_Products_Products', {
			method: 'POST',
			body: { '@erpnet.action': 'merge', PartNumber: 'PRD-002', Name: { EN: 'Merged' } },
		});
		expect(reply.status).toBe(200);
		expect(harness.store.get('General_Products_Products', ID.product2)?.Name).toEqual({ EN: 'Merged' });
		expect(harness.store.count('General_Products_Products')).toBe(2);
	});

	it('should create a merge that finds nothing from the data properties only, not from @erpnet.findBy (erpnet-action.md)', async () => {
		const merge = () =>
			call(harness, 'Crm_Sales_Customers', {
				method: 'POST',
				body: {
					'@erpnet.action': 'merge',
					'@erpnet.findBy': { ExternalId: 'EXT-NEW' },
					Number: 'MERGE-NEW',
					Party: { '@odata.id': `General_Contacts_Parties(${ID.companyUni})` },
				},
			});
		const first = await merge();
		const second = await merge();
		expect([first.status, second.status]).toEqual([201, 201]);
		expect(first.json.ExternalId ?? null).toBeNull();
		expect(harness.store.list('Crm_Sales_Customers').filter((record) => record.Number === 'MERGE-NEW')).toHaveLength(2);
	});

	it("should update the found record when a merge also gives that record's own Id", async () => {
		const reply = await call(harness, 'Crm_Sales_Customers', {
			method: 'POST',
			body: { '@erpnet.action': 'merge', '@erpnet.findBy': { Id: ID.customer2 }, Id: ID.customer2, GracePeriodDays: 9 },
		});
		expect(reply.status).toBe(200);
		expect(harness.store.get('Crm_Sales_Customers', ID.customer2)?.GracePeriodDays).toBe(9);
	});

	it('should default EnterpriseCompany from CurrentEnterpriseCompanyId (context-parameters.md)', async () => {
		const byQuery = await call(harness, `Crm_Sales_Customers?CurrentEnterpriseCompanyId=${ID.enterpriseCompany}`, {
			method: 'POST',
			body: { Number: 'CTX1', Party: { '@odata.id': `General_Contacts_Parties(${ID.companyUni})` } },
		});
		expect(byQuery.json.EnterpriseCompany).toEqual({
			'@odata.id': `General_EnterpriseCompanies(${ID.enterpriseCompany})`,
		});
		const byPrefer = await call(harness, 'Crm_Sales_Customers', {
			method: 'POST',
			headers: { Prefer: `CurrentEnterpriseCompanyId=${ID.enterpriseCompany}` },
			body: { Number: 'CTX2', Party: { '@odata.id': `General_Contacts_Parties(${ID.companyUni})` } },
		});
		expect(byPrefer.json.EnterpriseCompany).toEqual({
			'@odata.id': `General_EnterpriseCompanies(${ID.enterpriseCompany})`,
		});
		const invalid = await call(harness, 'Crm_Sales_Customers?CurrentEnterpriseCompanyId=not-a-guid', {
			method: 'POST',
			body: { Number: 'CTX3', Party: { '@odata.id': `General_Contacts_Parties(${ID.companyUni})` } },
		});
		expect(invalid.status).toBe(201);
		expect(invalid.json.EnterpriseCompany).toBeNull();
	});

	it("should need the 'update' scope", async () => {
		const reply = await call(harness, 'Crm_Sales_Customers', { method: 'POST', scopes: 'read', body: { Number: 'X' } });
		expect(reply.status).toBe(403);
		expect(harness.store.count('Crm_Sales_Customers')).toBe(4);
	});
});

describe('currencies and units of Amount and Quantity (update-order.md)', () => {
	it('should set same-entity references from the codes in the values', async () => {
		const reply = await call(harness, 'Crm_Pricing_ProductPrices', {
			method: 'POST',
			body: {
				Product: { '@odata.id': `General_Products_Products(${ID.product1})` },
				PriceQuantity: { Value: 1, Unit: 'pcs' },
				Price: { Value: 25, Currency: 'EUR' },
				Notes: 'update-order same-entity example',
			},
		});
		expect(reply.status).toBe(201);
		expect(reply.json).toMatchObject({
			Currency: { '@odata.id': `General_Currencies_Currencies(${ID.currencyEur})` },
			PriceQuantityMeasurementUnit: { '@odata.id': `General_Products_MeasurementUnits(${ID.unitPcs})` },
			Price: { Value: 25, Currency: 'EUR' },
		});
	});

	it('should refuse a reference and a code that disagree', async () => {
		const reply = await call(harness, 'Crm_Pricing_ProductPrices', {
			method: 'POST',
			body: {
				Product: { '@odata.id': `General_Products_Products(${ID.product1})` },
				Currency: { '@odata.id': `General_Currencies_Currencies(${ID.currencyBgn})` },
				Price: { Value: 25, Currency: 'EUR' },
			},
		});
		expect(reply.status).toBe(500);
	});

	it('should refuse a currency that differs from the one stored in another entity', async () => {
		const reply = await call(harness, `Crm_Sales_SalesOrderLines(${ID.line1})`, {
			method: 'PATCH',
			body: { UnitPrice: { Value: 200, Currency: 'EUR' } },
		});
		expect(reply.status).toBe(500);
		expect(errorOf(reply).message).toContain("does not match 'BGN'");
		const same = await call(harness, `Crm_Sales_SalesOrderLines(${ID.line1})`, {
			method: 'PATCH',
			body: { UnitPrice: { Value: 200, Currency: 'BGN' } },
		});
		expect(same.status).toBe(204);
	});

	it('should fill a missing currency with the effective one', async () => {
		await call(harness, `Crm_Sales_Customers(${ID.customer1})`, {
			method: 'PATCH',
			body: { CreditLimit: { Value: 5 } },
		});
		expect(harness.store.get('Crm_Sales_Customers', ID.customer1)?.CreditLimit).toEqual({ Value: 5, Currency: 'BGN' });
	});
});

describe('PATCH and DELETE', () => {
	it('should update partially with 204', async () => {
		const reply = await call(harness, `Crm_Sales_Customers(${ID.customer1})`, {
			method: 'PATCH',
			body: { GracePeriodDays: 9 },
		});
		expect(reply.status).toBe(204);
		expect(reply.text).toBe('');
		expect(harness.store.get('Crm_Sales_Customers', ID.customer1)).toMatchObject({
			GracePeriodDays: 9,
			Number: 'aa00015',
			ObjectVersion: 2,
		});
	});

	it('should check ObjectVersion when the body carries it (optimistic-locking.md)', async () => {
		const stale = await call(harness, `Crm_Sales_Customers(${ID.customer1})`, {
			method: 'PATCH',
			body: { ObjectVersion: 7, GracePeriodDays: 9 },
		});
		expect(stale.status).toBe(500);
		expect(errorOf(stale).message).toContain('ObjectVersion is 1');
		expect(harness.store.get('Crm_Sales_Customers', ID.customer1)?.GracePeriodDays).toBe(0);
		const current = await call(harness, `Crm_Sales_Customers(${ID.customer1})`, {
			method: 'PATCH',
			body: { ObjectVersion: 1, GracePeriodDays: 9 },
		});
		expect(current.status).toBe(204);
		const read = await call(harness, `Crm_Sales_Customers(${ID.customer1})?$select=ObjectVersion`);
		expect(read.json.ObjectVersion).toBe(2);
	});

	it('should answer 404 for an unknown key', async () => {
		const reply = await call(harness, 'Crm_Sales_Customers(00000000-0000-4000-8000-000000000099)', {
			method: 'PATCH',
			body: {},
		});
		expect(reply.status).toBe(404);
	});

	it('should refuse changes of a Released document (working-with-documents.md)', async () => {
		const reply = await call(harness, `Crm_Sales_SalesOrders(${ID.orderReleased})`, {
			method: 'PATCH',
			body: { DocumentNotes: 'x' },
		});
		expect(reply.status).toBe(500);
		expect(errorOf(reply).message).toContain('adjustment documents');
		const line = await call(harness, `Crm_Sales_SalesOrderLines(${ID.line3})`, {
			method: 'PATCH',
			body: { Notes: 'x' },
		});
		expect(line.status).toBe(500);
	});

	it('should add lines with an inline collection in PATCH (working-with-documents.md)', async () => {
		const reply = await call(harness, `Crm_Sales_SalesOrders(${ID.orderNew})`, {
			method: 'PATCH',
			body: { Lines: [{ Product: { PartNumber: 'PRD-002' }, Quantity: { Value: 3, Unit: 'pcs' } }] },
		});
		expect(reply.status).toBe(204);
		expect(harness.store.childrenOf('Crm_Sales_SalesOrderLines', ID.orderNew).map((line) => line.LineNo)).toEqual([
			10, 20, 30,
		]);
	});

	it('should give the R27159 message of change-language.md, in Bulgarian with culture=bg', async () => {
		const body = { FromDate: '2022-01-01', ThruDate: '2021-01-01' };
		const english = await call(harness, `Crm_Sales_Customers(${ID.customer1})`, { method: 'PATCH', body });
		expect(errorOf(english).message).toBe(
			"An error occurred while saving data to the database\r\n  The validation R27159: FromDateLessThanThruDate failed for event Commit: \r\n\r\nCustomer's From Date 1/1/2022 12:00:00 AM should not be greater than customer's Thru Date 1/1/2021 12:00:00 AM. (Constraint R27159)",
		);
		const bulgarian = await call(harness, `Crm_Sales_Customers(${ID.customer1})?culture=bg`, { method: 'PATCH', body });
		expect(errorOf(bulgarian).message).toContain(
			"Стойността на полето 'От дата' 1.01.2022 г. 0:00:00 ч. не трябва да надвишава",
		);
		const byHeader = await call(harness, `Crm_Sales_Customers(${ID.customer1})`, {
			method: 'PATCH',
			body,
			headers: { 'Accept-Language': 'bg-BG,bg;q=0.9' },
		});
		expect(errorOf(byHeader).message).toMatch(/^Грешка при записване/);
	});

	it('should delete with 204, then answer 404', async () => {
		expect((await call(harness, `Crm_Sales_Customers(${ID.customer2})`, { method: 'DELETE' })).status).toBe(204);
		expect((await call(harness, `Crm_Sales_Customers(${ID.customer2})`)).status).toBe(404);
		expect((await call(harness, `Crm_Sales_Customers(${ID.customer2})`, { method: 'DELETE' })).status).toBe(404);
	});

	it('should refuse to delete an object that others reference, and delete an order with its lines', async () => {
		const referenced = await call(harness, `Crm_Sales_Customers(${ID.customer1})`, { method: 'DELETE' });
		expect(referenced.status).toBe(500);
		expect(errorOf(referenced).message).toContain(
			`is referenced by 'Crm_Sales_SalesOrders(${ID.orderNew})' (Customer)`,
		);
		expect(harness.store.get('Crm_Sales_Customers', ID.customer1)).toBeDefined();
		expect((await call(harness, `Crm_Sales_SalesOrders(${ID.orderNew})`, { method: 'DELETE' })).status).toBe(204);
		expect(harness.store.get('Crm_Sales_SalesOrderLines', ID.line1)).toBeUndefined();
		expect((await call(harness, `Crm_Sales_Customers(${ID.customer1})`, { method: 'DELETE' })).status).toBe(204);
	});

	it('should refuse PUT', async () => {
		expect((await call(harness, `Crm_Sales_Customers(${ID.customer1})`, { method: 'PUT', body: {} })).status).toBe(405);
	});
});

describe('functions', () => {
	it('should answer GetVersion like handling-renames.md', async () => {
		const reply = await call(harness, 'GetVersion');
		expect(reply.json).toEqual({
			'@odata.context': `${harness.root}$metadata#Erp.OpenObject`,
			version: expect.stringMatching(/^26\.2\./),
		});
		harness.context.legacy = true;
		expect((await call(harness, 'GetVersion()')).json.version).toBe('26.1.0.0');
	});

	it('should list the renames with GetRenamedEntityTypes', async () => {
		const reply = await call(harness, 'GetRenamedEntityTypes');
		expect(reply.json['@odata.context']).toBe(`${harness.root}$metadata#Collection(Erp.OpenObject)`);
		expect(values(reply)).toContainEqual({
			OldName: 'Crm_Customers',
			NewName: 'Crm_Sales_Customers',
			Version: '25.1.2.28',
		});
	});
});

describe('$metadata', () => {
	it('should describe the model as EDMX in namespace Erp', async () => {
		const reply = await call(harness, '$metadata');
		expect(reply.status).toBe(200);
		expect(reply.headers.get('content-type')).toMatch(/^application\/xml/);
		expect(reply.text).toContain('<Schema Namespace="Erp"');
		expect(reply.text).toMatch(/<EntityType Name="Crm_Sales_Customer">\s*<Key><PropertyRef Name="Id"\/><\/Key>/);
		expect(reply.text).toContain('<EntityType Name="General_Contacts_Company" BaseType="Erp.General_Contacts_Party">');
		expect(reply.text).toContain('<Property Name="CreditLimit" Type="Erp.Amount"/>');
		expect(reply.text).toContain('<ComplexType Name="MultilanguageString" OpenType="true"/>');
		expect(reply.text).toMatch(/<EnumType Name="General_Documents_DocumentState"><Member Name="New" Value="0"\/>/);
		expect(reply.text).toContain('<NavigationPropertyBinding Path="Party" Target="General_Contacts_Parties"/>');
	});
});

describe('model JSON (discover-model.md)', () => {
	it('should list repositories in compact form without null properties, anonymously for standardmodel', async () => {
		const reply = await call(harness, '/api/domain/standardmodel', { scopes: null });
		expect(reply.status).toBe(200);
		const list = reply.json as unknown as Array<Record<string, unknown>>;
		const customers = list.find((repository) => repository.Name === 'Crm_Sales_Customers');
		expect(customers).toMatchObject({
			Name: 'Crm_Sales_Customers',
			TableName: 'Crm_Customers',
			RepositoryName: 'Crm.Sales.Customers',
			LocalizedName: 'Customers',
			ObjectType: 'Erp.Crm_Sales_Customer',
			IsAggregateRoot: true,
		});
		expect(customers).not.toHaveProperty('Attributes');
		expect(Object.values(customers as object)).not.toContain(null);
	});

	it('should require authentication for currentmodel', async () => {
		expect((await call(harness, '/api/domain/currentmodel', { scopes: null })).status).toBe(401);
		expect((await call(harness, '/api/domain/currentmodel')).status).toBe(200);
	});

	it('should describe one repository in detail with the documented field names', async () => {
		const reply = await call(harness, '/api/domain/currentmodel/Crm_Sales_Customers');
		const attributes = reply.json.Attributes as Array<Record<string, unknown>>;
		expect(attributes.find((attribute) => attribute.Name === 'Number')).toMatchObject({
			Type: 'Edm.String',
			ReadOnly: false,
			IsCustomProperty: false,
			BaseInfo: {
				Nullable: true,
				MaxLength: 16,
				Orderable: true,
				SupportedFilters: 'Equals, Like',
				RequiresUserInput: false,
				DefaultValueType: 'None',
			},
		});
		expect(attributes.find((attribute) => attribute.Name === 'CreditLimit')).toMatchObject({ Type: 'Erp.Amount' });
		expect(attributes.find((attribute) => attribute.Name === 'Active')).toMatchObject({
			Type: 'Edm.Boolean',
			BaseInfo: { DefaultValueType: 'Constant' },
		});
		const references = reply.json.References as Array<Record<string, unknown>>;
		expect(references.find((reference) => reference.Name === 'Party')).toMatchObject({
			ReferencedEntitySet: 'General_Contacts_Parties',
			ReferencedType: 'Erp.General_Contacts_Party',
			ReadOnly: false,
			IsOwnership: false,
			IsFilterable: true,
		});
		expect(reply.json).toHaveProperty('ChildCollections');
		expect(reply.json).toHaveProperty('Methods');
	});

	it('should describe enums, child collections and the dotted repository name', async () => {
		const reply = await call(harness, '/api/domain/currentmodel/Crm.Sales.SalesOrders');
		const state = (reply.json.Attributes as Array<Record<string, unknown>>).find(
			(attribute) => attribute.Name === 'State',
		);
		expect(state).toMatchObject({ Type: 'Erp.General_Documents_DocumentState', ReadOnly: true });
		expect(state?.enumValues).toContainEqual({
			Value: 30,
			Name: 'Released',
			LocalizedName: 'Released',
			LocalizedDescription: null,
		});
		expect(reply.json.ChildCollections).toContainEqual(
			expect.objectContaining({ Name: 'Lines', ChildEntitySet: 'Crm_Sales_SalesOrderLines' }),
		);
	});

	it('should include member details for every repository with details=true', async () => {
		const reply = await call(harness, '/api/domain/currentmodel?details=true');
		const list = reply.json as unknown as Array<Record<string, unknown>>;
		expect(list.every((repository) => Array.isArray(repository.Attributes))).toBe(true);
	});

	it('should answer 404 for an unknown repository', async () => {
		expect((await call(harness, '/api/domain/currentmodel/No_Such_Things')).status).toBe(404);
	});
});

describe('$batch (batch.md)', () => {
	/** The request of batch.md (BaseMeasurementCategory left out: the sandbox model has no MeasurementCategories). */
	const batchRequest = [
		'--batch_123',
		'Content-Type: application/http',
		'Content-Transfer-Encoding:binary',
		'',
		'GET General_Products_Products?$top=1&$select=PartNumber,Name HTTP/1.1',
		'',
		'--batch_123',
		'Content-Type: application/http',
		'Content-Transfer-Encoding:binary',
		'',
		'GET General_Products_ProductGroups?$top=2&$select=Name,Code HTTP/1.1',
		'',
		'--batch_123',
		'Content-Type: multipart/mixed; boundary=changeset_1',
		'',
		'--changeset_1',
		'Content-Type: application/http',
		'Content-Transfer-Encoding: binary',
		'Content-ID: 1',
		'',
		'POST General_Products_Products HTTP/1.1',
		'Content-Type: application/json',
		'',
		'{',
		'  "PartNumber": "PRD-005",',
		'  "Name": { "EN": "PRD-005" },',
		'  "MeasurementUnit": { "Code": "pcs" },',
		'  "ProductGroup": { "Code": "450" },',
		'  "CostingCurrency": { "CurrencySign": "EUR" }',
		'}',
		'',
		'--changeset_1',
		'Content-Type: application/http',
		'Content-Transfer-Encoding: binary',
		'Content-ID: 2',
		'',
		'PATCH $1 HTTP/1.1',
		'Content-Type: application/json',
		'',
		'{ "StandardCostPerLot": { "Value": 10, "Currency": "EUR" } }',
		'',
		'--changeset_1',
		'Content-Type: application/http',
		'Content-Transfer-Encoding: binary',
		'Content-ID: 3',
		'',
		'POST $1/Prices HTTP/1.1',
		'Content-Type: application/json',
		'',
		'{ "Price": { "Value": 12, "Currency": "EUR" }, "PriceQuantity": { "Value": 1, "Unit": "pcs" } }',
		'--changeset_1--',
		'--batch_123--',
	].join('\n');

	async function postBatch(body: string, scopes = 'read update'): Promise<Reply> {
		return call(harness, '$batch', {
			method: 'POST',
			body,
			scopes,
			headers: { 'content-type': 'multipart/mixed; boundary=batch_123' },
		});
	}

	function boundaryOf(reply: Reply): string {
		const match = /^multipart\/mixed; boundary=(batchresponse_[0-9a-f-]{36})$/.exec(
			reply.headers.get('content-type') ?? '',
		);
		if (!match) throw new Error(`unexpected content type ${reply.headers.get('content-type')}`);
		return match[1];
	}

	it('should answer every part in order, in the format of the real capture', async () => {
		const reply = await postBatch(batchRequest);
		expect(reply.status).toBe(200);
		const boundary = boundaryOf(reply);
		const parts = reply.text.split(`--${boundary}`);
		expect(parts[0]).toBe('');
		expect(parts[parts.length - 1]).toBe('--\r\n');
		expect(parts).toHaveLength(5);
		expect(parts[1]).toMatch(
			new RegExp(
				'^\\r\\nContent-Type: application/http\\r\\nContent-Transfer-Encoding: binary\\r\\n\\r\\nHTTP/1\\.1 200 OK\\r\\n' +
					'Content-Type: application/json;odata\\.metadata=minimal;odata\\.streaming=true;IEEE754Compatible=false;charset=utf-8\\r\\n' +
					'OData-Version: 4\\.0\\r\\n\\r\\n\\{"@odata\\.context":"[^"]+/api/domain/odata/\\$metadata#General_Products_Products","@odata\\.nextLink":"[^"]+/api/domain/odata/General_Products_Products\\?%24top=1&%24select=PartNumber%2cName&%24skiptoken=' +
					GUID +
					'","value":\\[',
			),
		);
		expect(parts[2]).toContain('$metadata#General_Products_ProductGroups');
		const changeset = parts[3];
		const changesetBoundary =
			/^\r\nContent-Type: multipart\/mixed; boundary=(changesetresponse_[0-9a-f-]{36})\r\n\r\n/.exec(changeset)?.[1];
		expect(changesetBoundary).toBeDefined();
		const responses = changeset.split(`--${changesetBoundary}`).slice(1, -1);
		expect(responses.map((part) => /Content-ID: (\d+)/.exec(part)?.[1])).toEqual(['1', '2', '3']);
		expect(responses.map((part) => /HTTP\/1\.1 (\d+ [A-Za-z ]+)\r\n/.exec(part)?.[1])).toEqual([
			'201 Created',
			'204 No Content',
			'201 Created',
		]);
		const product = harness.store
			.list('General_Products_Products')
			.find((record) => record.PartNumber === 'PRD-005') as EntityRecord;
		expect(product.StandardCostPerLot).toEqual({ Value: 10, Currency: 'EUR' });
		const prices = harness.store.childrenOf('Crm_Pricing_ProductPrices', String(product.Id), 'Product');
		expect(prices).toHaveLength(1);
		expect(prices[0].Price).toEqual({ Value: 12, Currency: 'EUR' });
	});

	it('should roll back the whole changeset and answer only the failing request, like the capture', async () => {
		const failing = batchRequest.replace(
			'{ "StandardCostPerLot": { "Value": 10, "Currency": "EUR" } }',
			'{ "NoSuchProperty": 1 }',
		);
		const reply = await postBatch(failing);
		const boundary = boundaryOf(reply);
		const parts = reply.text.split(`--${boundary}`);
		expect(parts).toHaveLength(5);
		const changeset = parts[3];
		const changesetBoundary = /boundary=(changesetresponse_[0-9a-f-]{36})/.exec(changeset)?.[1] as string;
		const responses = changeset.split(`--${changesetBoundary}`).slice(1, -1);
		expect(responses).toHaveLength(1);
		expect(responses[0]).toMatch(
			/^\r\nContent-Type: application\/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 2\r\n\r\nHTTP\/1\.1 500 Internal Server Error\r\nContent-Type: application\/json\r\n\r\n\{"error":\{"message":"The property \\u0027NoSuchProperty\\u0027 does not exist/,
		);
		expect(harness.store.list('General_Products_Products').map((record) => record.PartNumber)).not.toContain('PRD-005');
		expect(harness.store.count('Crm_Pricing_ProductPrices')).toBe(0);
	});

	it('should still run the parts outside a failed changeset', async () => {
		const body = [
			'--batch_123',
			'Content-Type: application/http',
			'',
			`PATCH Crm_Sales_Customers(${ID.customer1}) HTTP/1.1`,
			'Content-Type: application/json',
			'',
			'{ "CreditLimit": { "Value": -5, "Currency": "BGN" } }',
			'--batch_123',
			'Content-Type: application/http',
			'',
			`GET Crm_Sales_Customers(${ID.customer1})?$select=Number HTTP/1.1`,
			'',
			'--batch_123--',
		].join('\r\n');
		const reply = await postBatch(body);
		const parts = reply.text.split(`--${boundaryOf(reply)}`);
		expect(parts[1]).toContain('HTTP/1.1 500 Internal Server Error');
		expect(parts[2]).toContain('HTTP/1.1 200 OK');
		expect(parts[2]).toContain('"Number":"aa00015"');
	});

	it("should refuse writes in a changeset without the 'update' scope", async () => {
		const reply = await postBatch(batchRequest, 'read');
		expect(reply.text).toContain('HTTP/1.1 403 Forbidden');
		expect(harness.store.list('General_Products_Products').map((record) => record.PartNumber)).not.toContain('PRD-005');
	});

	it('should refuse a body that is not multipart/mixed', async () => {
		const reply = await call(harness, '$batch', { method: 'POST', body: '{}' });
		expect(reply.status).toBe(500);
		expect(errorOf(reply).message).toContain('multipart/mixed');
	});
});
