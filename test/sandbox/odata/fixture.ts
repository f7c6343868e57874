/**
 * A small, hand-written data set over the sandbox's real domain model, so that the Domain API layers can
 * be tested record by record. Ids are chosen so that SQL Server order (last six bytes first) differs from
 * text order.
 */
import { domainModel } from '../../../sandbox/src/schema';
import {
	createMemoryStore,
	type EntityRecord,
	type MemoryStore,
	type SeedData,
} from '../../../sandbox/src/store/memory-store';

export const ID = {
	enterpriseCompany: 'ec000000-0000-4000-8000-000000000001',
	enterpriseCompanyParty: 'ec000000-0000-4000-8000-0000000000c1',
	currencyBgn: 'cc000000-0000-4000-8000-000000000001',
	currencyEur: 'cc000000-0000-4000-8000-000000000002',
	unitPcs: 'aa000000-0000-4000-8000-000000000001',
	productGroup: 'ab000000-0000-4000-8000-000000000001',
	documentType: 'ad000000-0000-4000-8000-000000000001',
	companyUni: 'f0000000-0000-4000-8000-000000000003',
	companyBlackSea: '0f000000-0000-4000-8000-000000000004',
	personPeter: 'e0000000-0000-4000-8000-000000000001',
	/** SQL order of the customers: customer1 < customer2 < customer3 < customer4 (text order is the reverse). */
	customer1: 'ffffffff-0000-4000-8000-000000000001',
	customer2: 'eeeeeeee-0000-4000-8000-000000000002',
	customer3: 'dddddddd-0000-4000-8000-000000000003',
	customer4: 'cccccccc-0000-4000-8000-000000000004',
	product1: '10000000-0000-4000-8000-00000000a001',
	product2: '20000000-0000-4000-8000-00000000a002',
	orderNew: '30000000-0000-4000-8000-00000000b001',
	orderReleased: '40000000-0000-4000-8000-00000000b002',
	line1: '50000000-0000-4000-8000-00000000c001',
	line2: '60000000-0000-4000-8000-00000000c002',
	line3: '70000000-0000-4000-8000-00000000c003',
} as const;

export function ref(entitySet: string, id: string): { '@odata.id': string } {
	return { '@odata.id': `${entitySet}(${id})` };
}

function company(id: string, code: string, en: string, bg: string): EntityRecord {
	return {
		Id: id,
		PartyCode: code,
		PartyName: { EN: en, BG: bg },
		Name: { EN: en, BG: bg },
		PartyType: 'Company',
		IsActive: true,
		RegistrationNumber: `BG${code}`,
		BranchNumber: 0,
	};
}

function customer(id: string, number: string, party: EntityRecord, values: EntityRecord): EntityRecord {
	return {
		Id: id,
		Number: number,
		Party: party,
		Active: true,
		CreditLimit: null,
		DefaultDeliveryTermDays: 0,
		DefaultPaymentTermDays: 0,
		GracePeriodDays: 0,
		FromDate: '2020-01-01T00:00:00Z',
		ThruDate: null,
		EnterpriseCompany: ref('General_EnterpriseCompanies', ID.enterpriseCompany),
		...values,
	};
}

export function fixtureSeed(): SeedData {
	return {
		General_Currencies_Currencies: [
			{ Id: ID.currencyBgn, CurrencySign: 'BGN', Name: 'Bulgarian lev', IsActive: true },
			{ Id: ID.currencyEur, CurrencySign: 'EUR', Name: 'Euro', IsActive: true },
		],
		General_Products_MeasurementUnits: [{ Id: ID.unitPcs, Code: 'pcs', Name: { EN: 'Pieces', BG: 'Бройки' } }],
		General_Products_ProductGroups: [{ Id: ID.productGroup, Code: '450', Name: { EN: 'Goods' } }],
		Systems_Documents_DocumentTypes: [
			{ Id: ID.documentType, Code: 'CRM_SALES_ORDER', TypeName: { EN: 'Sales order' }, EntityName: 'Crm_Sales_Orders' },
		],
		General_Contacts_Companies: [
			company(ID.companyUni, '00001', 'UNI Sofia Ltd', 'УНИ София Лтд'),
			company(ID.companyBlackSea, '00002', 'Black Sea Print LP', 'Черно море Принт КД'),
			company(ID.enterpriseCompanyParty, '00003', 'Sandbox Enterprise', 'Сандбокс'),
		],
		General_Contacts_Persons: [
			{
				Id: ID.personPeter,
				PartyCode: '00004',
				PartyName: { EN: 'Peter Petrov' },
				FirstName: { EN: 'Peter' },
				LastName: { EN: 'Petrov' },
				PartyType: 'Person',
				IsActive: true,
			},
		],
		General_EnterpriseCompanies: [
			{
				Id: ID.enterpriseCompany,
				Company: ref('General_Contacts_Companies', ID.enterpriseCompanyParty),
				BaseCurrency: ref('General_Currencies_Currencies', ID.currencyBgn),
				IsActive: true,
			},
		],
		Crm_Sales_Customers: [
			customer(ID.customer1, 'aa00015', ref('General_Contacts_Parties', ID.companyUni), {
				CreditLimit: { Value: 1000, Currency: 'BGN' },
				FromDate: '2020-01-05T10:30:00Z',
			}),
			customer(ID.customer2, 'ab30151', ref('General_Contacts_Parties', ID.personPeter), {
				Active: false,
				GracePeriodDays: 7,
			}),
			customer(ID.customer3, 'number050', ref('General_Contacts_Parties', ID.companyBlackSea), {
				GracePeriodDays: 50,
				CreditLimit: { Value: 250.5, Currency: 'BGN' },
				AggregateLastUpdateTimeUtc: '2023-06-09T10:00:00Z',
			}),
			customer(ID.customer4, 'C0004', ref('General_Contacts_Parties', ID.companyUni), {
				EnterpriseCompany: null,
				AggregateLastUpdateTimeUtc: '2023-06-09T09:00:00Z',
			}),
		],
		General_Products_Products: [
			{
				Id: ID.product1,
				PartNumber: 'PRD-001',
				Name: { EN: 'Coffee Maker', BG: 'Кафе машина' },
				Active: true,
				ABCClass: 'A',
				ProductGroup: ref('General_Products_ProductGroups', ID.productGroup),
				MeasurementUnit: ref('General_Products_MeasurementUnits', ID.unitPcs),
				StandardPricePerLot: { Value: 12.5, Currency: 'BGN' },
			},
			{
				Id: ID.product2,
				PartNumber: 'PRD-002',
				Name: { EN: 'Suspension Arm - Rear Left' },
				Active: false,
				ABCClass: 'C',
				ProductGroup: ref('General_Products_ProductGroups', ID.productGroup),
				MeasurementUnit: ref('General_Products_MeasurementUnits', ID.unitPcs),
			},
		],
		Crm_Sales_SalesOrders: [
			salesOrder(ID.orderNew, 'SO000001', 'New', ID.customer1, '2020-01-05T00:00:00Z'),
			salesOrder(ID.orderReleased, 'SO000002', 'Released', ID.customer3, '2020-01-06T00:00:00Z'),
		],
		Crm_Sales_SalesOrderLines: [
			line(ID.line1, ID.orderNew, 10, ID.product1, 2, 25),
			line(ID.line2, ID.orderNew, 20, ID.product2, 5, 15.45),
			line(ID.line3, ID.orderReleased, 10, ID.product1, 1, 12.5),
		],
	};
}

function salesOrder(id: string, number: string, state: string, customerId: string, date: string): EntityRecord {
	return {
		Id: id,
		DocumentNo: number,
		DocumentDate: date,
		State: state,
		Void: false,
		EntityName: 'Crm_Sales_Orders',
		DocumentType: ref('Systems_Documents_DocumentTypes', ID.documentType),
		EnterpriseCompany: ref('General_EnterpriseCompanies', ID.enterpriseCompany),
		Customer: ref('Crm_Sales_Customers', customerId),
		DocumentCurrency: ref('General_Currencies_Currencies', ID.currencyBgn),
		FromParty: ref('General_Contacts_Parties', ID.enterpriseCompanyParty),
		MasterDocument: ref('General_Documents_Documents', id),
	};
}

function line(
	id: string,
	orderId: string,
	lineNo: number,
	productId: string,
	quantity: number,
	amount: number,
): EntityRecord {
	return {
		Id: id,
		LineNo: lineNo,
		SalesOrder: ref('Crm_Sales_SalesOrders', orderId),
		Document: ref('General_Documents_Documents', orderId),
		Product: ref('General_Products_Products', productId),
		Quantity: { Value: quantity, Unit: 'pcs' },
		QuantityBase: { Value: quantity, Unit: 'pcs' },
		LineAmount: { Value: amount, Currency: 'BGN' },
		UnitPrice: { Value: amount / quantity, Currency: 'BGN' },
		ProductDescription: { EN: 'line' },
	};
}

export function createFixtureStore(): MemoryStore {
	return createMemoryStore(fixtureSeed(), domainModel);
}
