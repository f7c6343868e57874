/**
 * Fixed master data every sandbox has: currencies, countries, measurement units, product types and
 * groups, the enterprise company, the sales-order document type, users and trusted applications.
 */
import type { NamePair } from './names';
import { ADMIN_LOGIN, BASE_CURRENCY_CODE, SeedWriter } from './seed-writer';
import { applicationSecretHash, SEEDED_TRUSTED_APPLICATIONS } from './trusted-applications';
import { addDays, amount, isoDate, isoDateTime, multilanguage, referenceTo } from './wire';

export const SETS = {
	currencies: 'General_Currencies_Currencies',
	countries: 'General_Geography_Countries',
	units: 'General_Products_MeasurementUnits',
	productTypes: 'General_Products_ProductTypes',
	productGroups: 'General_Products_ProductGroups',
	products: 'General_Products_Products',
	parties: 'General_Contacts_Parties',
	companies: 'General_Contacts_Companies',
	persons: 'General_Contacts_Persons',
	enterpriseCompanies: 'General_EnterpriseCompanies',
	customers: 'Crm_Sales_Customers',
	documents: 'General_Documents_Documents',
	documentTypes: 'Systems_Documents_DocumentTypes',
	salesOrders: 'Crm_Sales_SalesOrders',
	salesOrderLines: 'Crm_Sales_SalesOrderLines',
	users: 'Systems_Security_Users',
	trustedApplications: 'Systems_Security_TrustedApplications',
} as const;

/** "Today" of the sandbox: dates are spread before it, so that data never depends on the clock. */
export const REFERENCE_DATE = new Date('2026-05-08T00:00:00Z');
export const MASTER_DATA_CREATED_AT = new Date('2024-01-02T08:00:00Z');
export const SERVICE_LOGIN = 'n8n.service';
export const SALES_ORDER_DOCUMENT_TYPE_CODE = 'CRM_SALES_ORDER';

export interface ProductGroupSeed {
	id: string;
	code: string;
	unitCode: string;
	service: boolean;
	/** Product names of this group, [EN, BG]. */
	items: readonly NamePair[];
}

export interface MasterData {
	currencyIds: Record<string, string>;
	countryIds: Record<string, string>;
	unitIds: Record<string, string>;
	productTypeIds: { stock: string; service: string };
	productGroups: ProductGroupSeed[];
	enterpriseCompanyId: string;
	/** The Company record behind the enterprise company (its party). */
	enterpriseCompanyPartyId: string;
	salesOrderDocumentTypeId: string;
	serviceUserId: string;
}

const CURRENCIES: ReadonlyArray<readonly [code: string, name: string]> = [
	['BGN', 'Bulgarian lev'],
	['EUR', 'Euro'],
	['USD', 'US dollar'],
	['GBP', 'Pound sterling'],
];

const COUNTRIES: ReadonlyArray<readonly [code: string, english: string, bulgarian: string]> = [
	['BG', 'Bulgaria', 'България'],
	['DE', 'Germany', 'Германия'],
	['GB', 'United Kingdom', 'Обединено кралство'],
	['IE', 'Ireland', 'Ирландия'],
	['US', 'United States', 'Съединени щати'],
];

const UNITS: ReadonlyArray<readonly [code: string, english: string, bulgarian: string, systemUnit: string | null]> = [
	['pcs', 'Pieces', 'Брой', 'Pieces'],
	['kg', 'Kilogram', 'Килограм', 'NetKilograms'],
	['l', 'Liter', 'Литър', 'VolumeLiters'],
	['m', 'Meter', 'Метър', 'LengthMeters'],
	['h', 'Hour', 'Час', null],
	['box', 'Box', 'Кашон', null],
	['pack', 'Pack', 'Пакет', null],
];

interface ProductGroupDefinition {
	code: string;
	name: NamePair;
	parentCode?: string;
	unitCode: string;
	service?: boolean;
	items: readonly NamePair[];
}

const PRODUCT_GROUPS: readonly ProductGroupDefinition[] = [
	{
		code: 'HW',
		name: ['Computer hardware', 'Компютърен хардуер'],
		unitCode: 'pcs',
		items: [
			['Laptop 14"', 'Лаптоп 14"'],
			['Monitor 27"', 'Монитор 27"'],
			['Docking station', 'Докинг станция'],
			['SSD 1 TB', 'SSD диск 1 TB'],
			['Wi-Fi router', 'Wi-Fi рутер'],
			['Laser printer', 'Лазерен принтер'],
		],
	},
	{
		code: 'ACC',
		name: ['Accessories', 'Аксесоари'],
		parentCode: 'HW',
		unitCode: 'pcs',
		items: [
			['Wireless mouse', 'Безжична мишка'],
			['Keyboard (BG phonetic)', 'Клавиатура (БДС фонетична)'],
			['USB-C cable 2 m', 'USB-C кабел 2 м'],
			['Headset', 'Слушалки с микрофон'],
		],
	},
	{
		code: 'OFF',
		name: ['Office supplies', 'Офис консумативи'],
		unitCode: 'pack',
		items: [
			['Copy paper A4, 500 sheets', 'Копирна хартия A4, 500 листа'],
			['Ballpoint pens, 10 pcs', 'Химикалки, 10 бр.'],
			['Sticky notes', 'Самозалепващи листчета'],
			['Toner cartridge', 'Тонер касета'],
			['Envelopes C4', 'Пликове C4'],
		],
	},
	{
		code: 'FOOD',
		name: ['Food and beverages', 'Храни и напитки'],
		unitCode: 'kg',
		items: [
			['Coffee beans', 'Кафе на зърна'],
			['White brine cheese', 'Бяло саламурено сирене'],
			['Bee honey', 'Пчелен мед'],
			['Rose jam', 'Сладко от рози'],
			['Lyutenitsa', 'Лютеница'],
		],
	},
	{
		code: 'SRV',
		name: ['Services', 'Услуги'],
		unitCode: 'h',
		service: true,
		items: [
			['Installation service', 'Услуга по инсталация'],
			['Consulting', 'Консултация'],
			['On-site support', 'Поддръжка на място'],
			['Training', 'Обучение'],
		],
	},
];

export function seedMasterData(writer: SeedWriter): MasterData {
	const currencyIds = seedCurrencies(writer);
	const countryIds = seedCountries(writer);
	const unitIds = seedUnits(writer);
	const productTypeIds = seedProductTypes(writer);
	const productGroups = seedProductGroups(writer, unitIds, productTypeIds);
	const { enterpriseCompanyId, enterpriseCompanyPartyId } = seedEnterpriseCompany(writer, currencyIds, countryIds);
	const salesOrderDocumentTypeId = seedDocumentTypes(writer);
	const serviceUserId = seedUsers(writer);
	seedTrustedApplications(writer, serviceUserId);
	return {
		currencyIds,
		countryIds,
		unitIds,
		productTypeIds,
		productGroups,
		enterpriseCompanyId,
		enterpriseCompanyPartyId,
		salesOrderDocumentTypeId,
		serviceUserId,
	};
}

function seedCurrencies(writer: SeedWriter): Record<string, string> {
	const ids: Record<string, string> = {};
	CURRENCIES.forEach(([code, name], index) => {
		const record = writer.add(
			SETS.currencies,
			index,
			{ CurrencySign: code, Name: name, ShowOrder: index + 1 },
			MASTER_DATA_CREATED_AT,
		);
		ids[code] = record.Id as string;
	});
	return ids;
}

function seedCountries(writer: SeedWriter): Record<string, string> {
	const ids: Record<string, string> = {};
	COUNTRIES.forEach(([code, english, bulgarian], index) => {
		const values = { Code: code, Name: multilanguage(english, bulgarian), IntrastatCode: code === 'US' ? null : code };
		ids[code] = writer.add(SETS.countries, index, values, MASTER_DATA_CREATED_AT).Id as string;
	});
	return ids;
}

function seedUnits(writer: SeedWriter): Record<string, string> {
	const ids: Record<string, string> = {};
	UNITS.forEach(([code, english, bulgarian, systemUnit], index) => {
		const values = {
			Code: code,
			Name: multilanguage(english, bulgarian),
			SystemUnit: systemUnit,
			IsDefaultUnit: code === 'pcs',
		};
		ids[code] = writer.add(SETS.units, index, values, MASTER_DATA_CREATED_AT).Id as string;
	});
	return ids;
}

function seedProductTypes(writer: SeedWriter): { stock: string; service: string } {
	const stock = writer.add(
		SETS.productTypes,
		0,
		{ Code: 'STOCK', Name: multilanguage('Stocked goods', 'Складови стоки'), IsDefault: true, IsShipped: true },
		MASTER_DATA_CREATED_AT,
	);
	const service = writer.add(
		SETS.productTypes,
		1,
		{ Code: 'SERVICE', Name: multilanguage('Services', 'Услуги'), IsStocked: false, IsServiced: true },
		MASTER_DATA_CREATED_AT,
	);
	return { stock: stock.Id as string, service: service.Id as string };
}

function seedProductGroups(
	writer: SeedWriter,
	unitIds: Record<string, string>,
	productTypeIds: { stock: string; service: string },
): ProductGroupSeed[] {
	const idsByCode = new Map<string, string>();
	return PRODUCT_GROUPS.map((group, index) => {
		const parentId = group.parentCode ? idsByCode.get(group.parentCode) : undefined;
		const values = {
			Code: group.code,
			Name: multilanguage(...group.name),
			FullPath: group.parentCode ? `/${group.parentCode}/${group.code}/` : `/${group.code}/`,
			Parent: group.parentCode ? `/${group.parentCode}/` : '/',
			ParentGroup: parentId ? referenceTo(SETS.productGroups, parentId) : null,
			DefaultMeasurementUnit: writer.sharedReference(SETS.units, unitIds[group.unitCode]),
			DefaultProductType: writer.sharedReference(
				SETS.productTypes,
				group.service ? productTypeIds.service : productTypeIds.stock,
			),
		};
		const id = writer.add(SETS.productGroups, index, values, MASTER_DATA_CREATED_AT).Id as string;
		idsByCode.set(group.code, id);
		return { id, code: group.code, unitCode: group.unitCode, service: group.service === true, items: group.items };
	});
}

function seedEnterpriseCompany(
	writer: SeedWriter,
	currencyIds: Record<string, string>,
	countryIds: Record<string, string>,
): { enterpriseCompanyId: string; enterpriseCompanyPartyId: string } {
	const name = multilanguage('Sandbox Trading Ltd.', 'Сандбокс Трейдинг ООД');
	const registrationNumber = '204512347';
	const company = writer.add(
		SETS.companies,
		0,
		{
			PartyCode: '00001',
			PartyName: name,
			Name: name,
			PartyType: 'Company',
			PartyUniqueNumber: registrationNumber,
			RegistrationNumber: registrationNumber,
			RegistrationVATNumber: `BG${registrationNumber}`,
			IsVATRegistered: true,
			RegistrationType: multilanguage('Ltd.', 'ООД'),
			City: multilanguage('Sofia', 'София'),
			RegistrationPrimaryAddress: multilanguage(
				'115 Tsarigradsko Shose Blvd, Sofia',
				'бул. Цариградско шосе 115, София',
			),
			ResponsiblePersonName: multilanguage('Elena Marinova', 'Елена Маринова'),
			Country: writer.sharedReference(SETS.countries, countryIds.BG),
		},
		MASTER_DATA_CREATED_AT,
	);
	const enterpriseCompany = writer.add(
		SETS.enterpriseCompanies,
		0,
		{
			Company: writer.sharedReference(SETS.companies, company.Id as string),
			BaseCurrency: writer.sharedReference(SETS.currencies, currencyIds[BASE_CURRENCY_CODE]),
			DefaultCustomerCreditLimitBase: amount(5000, BASE_CURRENCY_CODE),
			BIStartDate: isoDate(MASTER_DATA_CREATED_AT),
		},
		MASTER_DATA_CREATED_AT,
	);
	return { enterpriseCompanyId: enterpriseCompany.Id as string, enterpriseCompanyPartyId: company.Id as string };
}

function seedDocumentTypes(writer: SeedWriter): string {
	const record = writer.add(
		SETS.documentTypes,
		0,
		{
			Code: SALES_ORDER_DOCUMENT_TYPE_CODE,
			TypeName: multilanguage('Sales Order', 'Поръчка за продажба'),
			EntityName: 'Crm_Sales_Orders',
			Description: multilanguage(
				'Sales orders entered by the sales team.',
				'Поръчки за продажба, въведени от търговския екип.',
			),
		},
		MASTER_DATA_CREATED_AT,
	);
	return record.Id as string;
}

function seedUsers(writer: SeedWriter): string {
	const createdAt = isoDateTime(MASTER_DATA_CREATED_AT);
	writer.add(
		SETS.users,
		0,
		{
			Login: ADMIN_LOGIN,
			Name: multilanguage('Administrator', 'Администратор'),
			Email: 'admin@sandbox.erp.local',
			EmailConfirmed: true,
			IsAdmin: true,
			UserType: 'InternalUser',
			CreationTimeUtc: createdAt,
		},
		MASTER_DATA_CREATED_AT,
	);
	const service = writer.add(
		SETS.users,
		1,
		{
			Login: SERVICE_LOGIN,
			Name: multilanguage('n8n integration', 'n8n интеграция'),
			UserType: 'InternalUser',
			Notes: 'System user of the n8n trusted applications.',
			CreationTimeUtc: createdAt,
		},
		MASTER_DATA_CREATED_AT,
	);
	writer.add(
		SETS.users,
		2,
		{
			Login: 'maria.georgieva',
			Name: multilanguage('Maria Georgieva', 'Мария Георгиева'),
			Email: 'maria.georgieva@sandbox.erp.local',
			EmailConfirmed: true,
			UserType: 'InternalUser',
			DefaultLanguage: 'bg',
			CreationTimeUtc: isoDateTime(addDays(MASTER_DATA_CREATED_AT, 30)),
		},
		addDays(MASTER_DATA_CREATED_AT, 30),
	);
	return service.Id as string;
}

function seedTrustedApplications(writer: SeedWriter, serviceUserId: string) {
	SEEDED_TRUSTED_APPLICATIONS.forEach((application, index) => {
		const createdAt = addDays(MASTER_DATA_CREATED_AT, 60 + index);
		writer.add(
			SETS.trustedApplications,
			index,
			{
				ApplicationUri: application.applicationUri,
				Name: application.name,
				ClientType: 'Confidential',
				ApplicationSecretHash: applicationSecretHash(application.secret),
				Scope: application.scope,
				IsEnabled: application.isEnabled,
				SystemUserAllowed: application.systemUserAllowed,
				SystemUser: writer.sharedReference(SETS.users, serviceUserId),
				Notes: application.notes,
				CreationTimeUtc: isoDateTime(createdAt),
			},
			createdAt,
		);
	});
}
