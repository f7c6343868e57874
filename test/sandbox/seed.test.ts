import { attributesOf, getEntitySet, isAssignableTo, referencesOf } from '../../sandbox/src/schema';
import type { AttributeDefinition } from '../../sandbox/src/schema';
import {
	SEEDED_STORED_ATTRIBUTES,
	applicationSecretHash,
	customerNumber,
	DEFAULT_CLIENT_ID,
	generateSeed,
	INACTIVE_CUSTOMER_REMAINDER,
	isReferenceValue,
	parseEntityId,
	SALES_ORDER_DOCUMENT_TYPE_CODE,
	SEEDED_TRUSTED_APPLICATIONS,
	VOID_ORDER_REMAINDER,
} from '../../sandbox/src/seed';
import type {
	AmountValue,
	QuantityValue,
	ReferenceValue,
	SeedData,
	WireRecord,
	WireValue,
} from '../../sandbox/src/seed';

const GUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T00:00:00Z$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const data = generateSeed();

function records(setName: string, seed: SeedData = data): WireRecord[] {
	return seed[setName] ?? [];
}

function byId(seed: SeedData): Map<string, { setName: string; record: WireRecord }> {
	const index = new Map<string, { setName: string; record: WireRecord }>();
	for (const [setName, list] of Object.entries(seed)) {
		for (const record of list) index.set(record.Id as string, { setName, record });
	}
	return index;
}

function target(value: WireValue, index = byId(data)): WireRecord | undefined {
	const parsed = isReferenceValue(value) ? parseEntityId(value['@odata.id']) : undefined;
	return parsed && index.get(parsed.id)?.record;
}

function isEmpty(value: WireValue): boolean {
	if (value === null || value === '') return true;
	return typeof value === 'object' && Object.keys(value).length === 0;
}

describe('generateSeed', () => {
	it('should generate the default sizes and the fixed master data', () => {
		expect(records('Crm_Sales_Customers')).toHaveLength(25);
		expect(records('General_Products_Products')).toHaveLength(40);
		expect(records('Crm_Sales_SalesOrders')).toHaveLength(20);
		expect(records('Crm_Sales_SalesOrderLines').length).toBeGreaterThanOrEqual(20);
		expect(records('General_Contacts_Companies').length + records('General_Contacts_Persons').length).toBe(25 + 1);
		expect(records('General_EnterpriseCompanies')).toHaveLength(1);
		expect(records('Systems_Security_TrustedApplications')).toHaveLength(6);
		for (const setName of [
			'General_Products_ProductGroups',
			'General_Products_MeasurementUnits',
			'General_Currencies_Currencies',
			'Systems_Documents_DocumentTypes',
			'Systems_Security_Users',
		]) {
			expect(records(setName).length).toBeGreaterThan(0);
		}
	});

	it('should be deterministic for a seed and differ between seeds', () => {
		expect(JSON.stringify(generateSeed({ seed: 42 }))).toBe(JSON.stringify(data));
		const other = generateSeed({ seed: 7 });
		expect(records('Crm_Sales_Customers', other)[0].Id).not.toBe(records('Crm_Sales_Customers')[0].Id);
	});

	it('should keep the ids of the first records when sizes grow', () => {
		const larger = generateSeed({ sizes: { customers: 100, products: 80, salesOrders: 40 } });
		expect(records('Crm_Sales_Customers', larger)[3].Id).toBe(records('Crm_Sales_Customers')[3].Id);
		expect(records('General_Products_Products', larger)[5].Id).toBe(records('General_Products_Products')[5].Id);
		expect(records('Crm_Sales_Customers', larger)).toHaveLength(100);
	});

	it('should give every record a unique lower-case v4 GUID and ObjectVersion 1', () => {
		const ids = Object.values(data).flatMap((list) => list.map((record) => record.Id));
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(GUID_V4);
		for (const list of Object.values(data)) for (const record of list) expect(record.ObjectVersion).toBe(1);
	});

	it('should store exactly the members of the model, and only in concrete sets', () => {
		for (const [setName, list] of Object.entries(data)) {
			expect(getEntitySet(setName)?.abstract).toBe(false);
			const members = [...attributesOf(setName), ...referencesOf(setName)].map((member) => member.name).sort();
			// Stored attributes are members of the instance's model, not of the model pages (stored-attributes.ts).
			const stored = SEEDED_STORED_ATTRIBUTES.filter((seed) => seed.entityName === setName).map(
				(seed) => seed.attribute,
			);
			for (const record of list) {
				const keys = Object.keys(record);
				expect(keys.filter((key) => !stored.includes(key)).sort()).toEqual(members);
			}
		}
	});

	it('should fill required attributes and non-nullable members', () => {
		const gaps: string[] = [];
		for (const [setName, list] of Object.entries(data)) {
			const required = attributesOf(setName).filter((definition) => definition.required);
			const nonNullable = [...attributesOf(setName), ...referencesOf(setName)].filter(
				(definition) => !definition.nullable,
			);
			for (const record of list) {
				for (const { name } of required) if (isEmpty(record[name])) gaps.push(`${setName}.${name} is empty`);
				for (const { name } of nonNullable) if (record[name] === null) gaps.push(`${setName}.${name} is null`);
			}
		}
		expect(gaps).toEqual([]);
	});

	it('should point every reference at an existing record of the declared set or a set derived from it', () => {
		const index = byId(data);
		for (const [setName, list] of Object.entries(data)) {
			for (const definition of referencesOf(setName)) {
				for (const record of list) {
					const value = record[definition.name];
					if (value === null) continue;
					const odataId = (value as ReferenceValue)['@odata.id'];
					const parsed = parseEntityId(odataId);
					expect(parsed?.setName).toBe(definition.targetSet);
					const found = parsed && index.get(parsed.id);
					expect({ reference: `${setName}.${definition.name}`, found: found !== undefined }).toEqual({
						reference: `${setName}.${definition.name}`,
						found: true,
					});
					expect(isAssignableTo(found!.setName, definition.targetSet)).toBe(true);
				}
			}
		}
	});

	it('should write values in the wire shape of their type', () => {
		const currencies = new Set(records('General_Currencies_Currencies').map((currency) => currency.CurrencySign));
		const units = new Set(records('General_Products_MeasurementUnits').map((unit) => unit.Code));
		for (const [setName, list] of Object.entries(data)) {
			for (const definition of attributesOf(setName)) {
				for (const record of list) {
					const value = record[definition.name];
					if (value !== null) expectWireValue(definition, value, currencies, units);
				}
			}
		}
	});

	it('should number customers C000001, C000002, ... with every tenth one inactive', () => {
		const customers = records('Crm_Sales_Customers');
		expect(customers.map((customer) => customer.Number)).toEqual(customers.map((_, index) => customerNumber(index)));
		expect(customers[0].Number).toBe('C000001');
		const inactive = customers.filter((customer) => customer.Active === false).map((customer) => customer.Number);
		expect(inactive).toEqual(['C000008', 'C000018']);
		expect(INACTIVE_CUSTOMER_REMAINDER).toBe(7);
		for (const customer of customers) expect(customer.ThruDate === null).toBe(customer.Active);
	});

	it('should store customer parties in Companies and Persons and reference them through Parties', () => {
		const index = byId(data);
		const partySets = records('Crm_Sales_Customers').map((customer) => {
			const odataId = (customer.Party as ReferenceValue)['@odata.id'];
			expect(odataId).toMatch(/^General_Contacts_Parties\(/);
			return index.get(parseEntityId(odataId)!.id)!.setName;
		});
		expect(new Set(partySets)).toEqual(new Set(['General_Contacts_Companies', 'General_Contacts_Persons']));
	});

	it('should include names that need escaping and non-ASCII text', () => {
		const displayTexts = records('Crm_Sales_Customers').map((customer) => customer.DisplayText as string);
		expect(displayTexts).toEqual(
			expect.arrayContaining([
				"O'Brien & Sons Ltd.",
				"Siobhán O'Neill",
				'Müller Maschinenbau GmbH',
				'100% Bio + Fresh Ltd.',
			]),
		);
		expect(displayTexts.some((text) => /[А-Яа-я]/.test(text))).toBe(true);
		const names = records('General_Contacts_Companies').map((company) => company.PartyName as Record<string, string>);
		expect(names).toContainEqual({ EN: "O'Brien & Sons Ltd.", BG: "О'Брайън и синове ООД" });
		expect(names).toContainEqual({ BG: 'ЕТ „Тунджа – Георги Колев“' });
	});

	it('should compute DisplayText from the display format', () => {
		const index = byId(data);
		for (const customer of records('Crm_Sales_Customers')) {
			const party = target(customer.Party, index)!;
			const name = party.PartyName as Record<string, string>;
			expect(customer.DisplayText).toBe(name.EN ?? name.BG);
		}
		expect(records('Crm_Sales_SalesOrders')[0].DisplayText).toBe('Sales Order SO000001');
		expect(records('Crm_Sales_SalesOrderLines')[0].DisplayText).toBe('1. SO000001 Sales Order');
		expect(records('Systems_Security_Users').map((user) => user.DisplayText)).toContain('Administrator <admin> [INT]');
		expect(records('General_Currencies_Currencies').map((currency) => currency.DisplayText)).toEqual([
			'BGN',
			'EUR',
			'USD',
			'GBP',
		]);
	});

	it('should give sales orders the CRM_SALES_ORDER type, lines that add up, and every state', () => {
		const index = byId(data);
		const [documentType] = records('Systems_Documents_DocumentTypes').filter(
			(type) => type.Code === SALES_ORDER_DOCUMENT_TYPE_CODE,
		);
		expect(documentType).toMatchObject({
			EntityName: 'Crm_Sales_Orders',
			TypeName: { EN: 'Sales Order', BG: 'Поръчка за продажба' },
		});
		const orders = records('Crm_Sales_SalesOrders');
		expect(new Set(orders.map((order) => order.State))).toEqual(
			new Set(['New', 'Planned', 'FirmPlanned', 'Released', 'Completed', 'Closed']),
		);
		expect(orders.filter((order) => order.Void).map((order) => order.DocumentNo)).toEqual(['SO000010', 'SO000020']);
		expect(VOID_ORDER_REMAINDER).toBe(9);
		for (const order of orders) {
			expect(target(order.DocumentType, index)).toBe(documentType);
			expect((order.MasterDocument as ReferenceValue)['@odata.id']).toBe(`General_Documents_Documents(${order.Id})`);
			expect(target(order.Customer, index)?.Active).toBe(true);
			const lines = records('Crm_Sales_SalesOrderLines').filter((line) => target(line.SalesOrder, index) === order);
			expect(lines.length).toBeGreaterThan(0);
			expect(lines.map((line) => line.LineNo)).toEqual(lines.map((_, position) => position + 1));
			const total = lines.reduce((sum, line) => sum + (line.LineAmount as AmountValue).Value, 0);
			expect((order.TotalLineAmount as AmountValue).Value).toBeCloseTo(total, 2);
			const currency = target(order.DocumentCurrency, index)?.CurrencySign;
			for (const line of lines) expect((line.UnitPrice as AmountValue).Currency).toBe(currency);
		}
	});

	it('should seed the six trusted applications with base64(sha256(secret)) hashes', () => {
		expect(applicationSecretHash('DEMO')).toBe('T/AGymuI51LwjLeIFxRQXOs9IHnupDKs/ajhWODR2C4=');
		const index = byId(data);
		const applications = records('Systems_Security_TrustedApplications');
		expect(applications.map((application) => application.ApplicationUri)).toEqual([
			DEFAULT_CLIENT_ID,
			'n8n.sandbox/special',
			'n8n.sandbox/readonly',
			'n8n.sandbox/disabled',
			'n8n.sandbox/nouser',
			'n8n.sandbox/writeonly',
		]);
		SEEDED_TRUSTED_APPLICATIONS.forEach((seeded, position) => {
			expect(applications[position]).toMatchObject({
				ApplicationSecretHash: applicationSecretHash(seeded.secret),
				Scope: seeded.scope,
				IsEnabled: seeded.isEnabled,
				SystemUserAllowed: seeded.systemUserAllowed,
				ClientType: 'Confidential',
			});
			expect(target(applications[position].SystemUser, index)?.Login).toBe('n8n.service');
		});
		expect(applications.find((application) => application.ApplicationUri === 'n8n.sandbox/disabled')?.IsEnabled).toBe(
			false,
		);
		expect(
			applications.find((application) => application.ApplicationUri === 'n8n.sandbox/nouser')?.SystemUserAllowed,
		).toBe(false);
	});

	it('should freeze values shared between records', () => {
		const [first, second] = records('Crm_Sales_Customers');
		expect(first.EnterpriseCompany).toBe(second.EnterpriseCompany);
		expect(Object.isFrozen(first.EnterpriseCompany)).toBe(true);
	});

	it('should accept empty and odd sizes, and reject invalid ones', () => {
		const empty = generateSeed({ sizes: { customers: 0, products: 0, salesOrders: 5 } });
		expect(records('Crm_Sales_Customers', empty)).toEqual([]);
		expect(records('Crm_Sales_SalesOrders', empty)).toEqual([]);
		const noProducts = generateSeed({ sizes: { customers: 3, products: 0, salesOrders: 2 } });
		expect(records('Crm_Sales_SalesOrders', noProducts)).toHaveLength(2);
		expect(() => generateSeed({ sizes: { customers: -1 } })).toThrow('sizes.customers');
		expect(() => generateSeed({ sizes: { products: 1.5 } })).toThrow('sizes.products');
	});

	// No timed assertion (team rule: speed belongs in npm run bench); on a shared, loaded machine it took 33-48 s.
	it('should generate 100,000 customers', () => {
		const large = generateSeed({ sizes: { customers: 100_000 } });
		expect(records('Crm_Sales_Customers', large)).toHaveLength(100_000);
		expect(records('Crm_Sales_Customers', large)[99_999].Number).toBe('C100000');
	});
});

function expectWireValue(
	definition: AttributeDefinition,
	value: WireValue,
	currencies: Set<WireValue>,
	units: Set<WireValue>,
) {
	const where = definition.name;
	switch (definition.type) {
		case 'Guid':
			expect(value).toMatch(GUID_V4);
			break;
		case 'Date':
			expect({ where, value }).toEqual({ where, value: expect.stringMatching(DATE) });
			break;
		case 'DateTime':
			expect({ where, value }).toEqual({ where, value: expect.stringMatching(DATE_TIME) });
			break;
		case 'Boolean':
			expect(typeof value).toBe('boolean');
			break;
		case 'Int16':
		case 'Int32':
		case 'Int64':
		case 'Decimal':
			expect(typeof value).toBe('number');
			break;
		case 'Enum':
			expect(definition.enumValues?.map((member) => member.name)).toContain(value);
			break;
		case 'Amount':
			expect(typeof (value as AmountValue).Value).toBe('number');
			expect(currencies.has((value as AmountValue).Currency)).toBe(true);
			break;
		case 'Quantity':
			expect(typeof (value as QuantityValue).Value).toBe('number');
			expect(units.has((value as QuantityValue).Unit)).toBe(true);
			break;
		case 'MultilanguageString':
			for (const [language, text] of Object.entries(value as Record<string, string>)) {
				expect(language).toMatch(/^(EN|BG)$/);
				if (definition.maxLength) expect(text.length).toBeLessThanOrEqual(definition.maxLength);
			}
			break;
		case 'String':
			expect(typeof value).toBe('string');
			if (definition.maxLength)
				expect({ where, length: (value as string).length <= definition.maxLength }).toEqual({ where, length: true });
			break;
	}
}
