import { domainModel } from '../../../sandbox/src/schema';
import { compareSqlGuids, sqlGuidSortKey } from '../../../sandbox/src/store/guid-order';
import { createMemoryStore } from '../../../sandbox/src/store/memory-store';
import { createFixtureStore, fixtureSeed, ID, ref } from '../odata/fixture';

describe('SQL Server uniqueidentifier order', () => {
	it('should order the ids of the real $batch capture as the server paged them', () => {
		// batch.md: page 1 = edf2bd2a…, 7d05ca48…; the skiptoken (first of page 2) = d8372f13….
		const ids = [
			'd8372f13-a7f5-484f-bc20-00b929a00283',
			'7d05ca48-e51a-4672-b187-002a1beef969',
			'edf2bd2a-7e4d-e111-a06c-00155d00050a',
		];
		expect([...ids].sort(compareSqlGuids)).toEqual([
			'edf2bd2a-7e4d-e111-a06c-00155d00050a',
			'7d05ca48-e51a-4672-b187-002a1beef969',
			'd8372f13-a7f5-484f-bc20-00b929a00283',
		]);
	});

	it('should compare the last six bytes first, then bytes 8-9, then the byte-swapped groups', () => {
		expect(sqlGuidSortKey('00112233-4455-6677-8899-aabbccddeeff')).toBe(
			'aabbccddeeff' + '8899' + '7766' + '5544' + '33221100',
		);
	});
});

describe('createMemoryStore', () => {
	it('should list records in SQL Server Id order, not text order', () => {
		const store = createFixtureStore();
		expect(store.list('Crm_Sales_Customers').map((record) => record.Id)).toEqual([
			ID.customer1,
			ID.customer2,
			ID.customer3,
			ID.customer4,
		]);
	});

	it('should scan from a skip token inclusively', () => {
		const store = createFixtureStore();
		expect([...store.scan('Crm_Sales_Customers', ID.customer3)].map((record) => record.Id)).toEqual([
			ID.customer3,
			ID.customer4,
		]);
	});

	it('should show companies and persons through the abstract General_Contacts_Parties set', () => {
		const store = createFixtureStore();
		const parties = store.list('General_Contacts_Parties').map((record) => record.Id);
		expect(parties).toHaveLength(4);
		expect(parties).toEqual(expect.arrayContaining([ID.companyUni, ID.personPeter]));
		expect(store.get('General_Contacts_Parties', ID.personPeter)?.PartyType).toBe('Person');
		expect(store.get('General_Contacts_Companies', ID.personPeter)).toBeUndefined();
		expect(store.count('General_Contacts_Parties')).toBe(4);
	});

	it('should refuse to insert into an abstract set', () => {
		const store = createFixtureStore();
		expect(() => store.insert('General_Contacts_Parties', { PartyCode: 'X' })).toThrow(/abstract/);
	});

	it('should return copies, so that callers cannot change stored data', () => {
		const store = createFixtureStore();
		const customer = store.get('Crm_Sales_Customers', ID.customer1) as Record<string, unknown>;
		customer.Number = 'changed';
		expect(store.get('Crm_Sales_Customers', ID.customer1)?.Number).toBe('aa00015');
	});

	it('should find ids case-insensitively', () => {
		const store = createFixtureStore();
		expect(store.get('Crm_Sales_Customers', ID.customer1.toUpperCase())?.Number).toBe('aa00015');
	});

	it('should assign an Id, ObjectVersion 1 and AggregateLastUpdateTimeUtc on insert and keep the order', () => {
		const store = createFixtureStore();
		const inserted = store.insert('Crm_Sales_Customers', { Id: '00000000-0000-4000-8000-000000000000', Number: 'NEW' });
		expect(inserted.ObjectVersion).toBe(1);
		expect(typeof inserted.AggregateLastUpdateTimeUtc).toBe('string');
		expect(store.list('Crm_Sales_Customers')[0].Number).toBe('NEW');
		const generated = store.insert('Crm_Sales_Customers', { Number: 'NEW2' });
		expect(String(generated.Id)).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('should refuse a duplicate Id', () => {
		const store = createFixtureStore();
		expect(() => store.insert('Crm_Sales_Customers', { Id: ID.customer1 })).toThrow(/already exists/);
	});

	it('should bump ObjectVersion on every change of an aggregate root', () => {
		const store = createFixtureStore();
		expect(store.patch('Crm_Sales_Customers', ID.customer1, { Number: 'X1' })?.ObjectVersion).toBe(2);
		expect(store.patch('Crm_Sales_Customers', ID.customer1, { Number: 'X2' })?.ObjectVersion).toBe(3);
	});

	it("should bump the order's ObjectVersion when one of its lines changes (object-version.md)", () => {
		const store = createFixtureStore();
		const before = store.get('Crm_Sales_SalesOrders', ID.orderNew)?.ObjectVersion as number;
		store.patch('Crm_Sales_SalesOrderLines', ID.line1, { Notes: 'changed' });
		expect(store.get('Crm_Sales_SalesOrders', ID.orderNew)?.ObjectVersion).toBe(before + 1);
		expect(store.get('Crm_Sales_SalesOrderLines', ID.line2)?.ObjectVersion).toBe(before + 1);
		expect(store.get('Crm_Sales_SalesOrders', ID.orderReleased)?.ObjectVersion).toBe(1);
		store.insert('Crm_Sales_SalesOrderLines', { LineNo: 30, SalesOrder: ref('Crm_Sales_SalesOrders', ID.orderNew) });
		expect(store.get('Crm_Sales_SalesOrders', ID.orderNew)?.ObjectVersion).toBe(before + 2);
		store.remove('Crm_Sales_SalesOrderLines', ID.line2);
		expect(store.get('Crm_Sales_SalesOrders', ID.orderNew)?.ObjectVersion).toBe(before + 3);
	});

	it("should give seeded children their aggregate root's ObjectVersion", () => {
		const seed = fixtureSeed();
		seed.Crm_Sales_SalesOrders[0].ObjectVersion = 5;
		const store = createMemoryStore(seed, domainModel);
		expect(store.get('Crm_Sales_SalesOrderLines', ID.line1)?.ObjectVersion).toBe(5);
		expect(store.get('Crm_Sales_SalesOrderLines', ID.line3)?.ObjectVersion).toBe(1);
	});

	it('should index children by owner and delete them with their owner', () => {
		const store = createFixtureStore();
		expect(store.childrenOf('Crm_Sales_SalesOrderLines', ID.orderNew).map((line) => line.LineNo)).toEqual([10, 20]);
		expect(store.remove('Crm_Sales_SalesOrders', ID.orderNew)).toBe(true);
		expect(store.get('Crm_Sales_SalesOrderLines', ID.line1)).toBeUndefined();
		expect(store.count('Crm_Sales_SalesOrderLines')).toBe(1);
		expect(store.remove('Crm_Sales_SalesOrders', ID.orderNew)).toBe(false);
	});

	it('should roll back everything an atomic action did when it throws', () => {
		const store = createFixtureStore();
		expect(() =>
			store.atomically(() => {
				store.insert('Crm_Sales_Customers', { Number: 'TEMP' });
				store.patch('Crm_Sales_Customers', ID.customer1, { Number: 'CHANGED' });
				store.remove('Crm_Sales_SalesOrders', ID.orderNew);
				throw new Error('fail');
			}),
		).toThrow('fail');
		expect(store.count('Crm_Sales_Customers')).toBe(4);
		expect(store.get('Crm_Sales_Customers', ID.customer1)).toMatchObject({ Number: 'aa00015', ObjectVersion: 1 });
		expect(store.childrenOf('Crm_Sales_SalesOrderLines', ID.orderNew)).toHaveLength(2);
		expect(store.get('Crm_Sales_SalesOrders', ID.orderNew)?.ObjectVersion).toBe(1);
	});

	it('should reset to the seed data', () => {
		const store = createFixtureStore();
		store.remove('Crm_Sales_Customers', ID.customer1);
		store.insert('Crm_Sales_Customers', { Number: 'NEW' });
		store.reset();
		expect(store.list('Crm_Sales_Customers').map((record) => record.Number)).toEqual([
			'aa00015',
			'ab30151',
			'number050',
			'C0004',
		]);
	});

	it('should not change the seed data it was given', () => {
		const seed = fixtureSeed();
		const store = createMemoryStore(seed, domainModel);
		store.patch('Crm_Sales_Customers', ID.customer1, { Number: 'CHANGED' });
		expect(seed.Crm_Sales_Customers[0].Number).toBe('aa00015');
	});

	it('should keep sets the model does not know (e.g. security records) as plain sets', () => {
		const store = createMemoryStore({ Custom_Things: [{ Id: ID.customer1, Name: 'x' }] }, domainModel);
		expect(store.get('Custom_Things', ID.customer1)?.Name).toBe('x');
		expect(store.has('Custom_Things')).toBe(true);
	});

	it('should page through 100,000 customers by keyset in well under a second per page', () => {
		const customers = Array.from({ length: 100_000 }, (_, index) => ({
			Id: `${index.toString(16).padStart(8, '0')}-0000-4000-8000-${(index * 7919).toString(16).padStart(12, '0').slice(-12)}`,
			Number: `C${index}`,
		}));
		const store = createMemoryStore({ Crm_Sales_Customers: customers }, domainModel);
		const started = Date.now();
		let fromId: string | undefined;
		let seen = 0;
		for (;;) {
			const page: string[] = [];
			for (const record of store.scan('Crm_Sales_Customers', fromId)) {
				page.push(String(record.Id));
				if (page.length === 1001) break;
			}
			seen += Math.min(page.length, 1000);
			if (page.length <= 1000) break;
			fromId = page[1000];
		}
		expect(seen).toBe(100_000);
		expect(Date.now() - started).toBeLessThan(2000);
	});
});
