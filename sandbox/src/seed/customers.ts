/**
 * Customers and their parties. Every customer has its own party, stored in its concrete set
 * (Companies or Persons); `Customer.Party` points at it through the abstract Parties set, as in the
 * expanded `Party` of https://docs.erp.net/dev/domain-api/querying-data/query-options/search.html.
 */
import type { MasterData } from './master-data';
import { REFERENCE_DATE, SETS } from './master-data';
import type { NamePair } from './names';
import {
	CITIES,
	COMPANY_ACTIVITIES,
	COMPANY_STEMS,
	FEMALE_FIRST_NAMES,
	LEGAL_FORMS,
	MALE_FIRST_NAMES,
	STREETS,
	SURNAMES,
} from './names';
import type { Random } from './random';
import { createRandom } from './random';
import { BASE_CURRENCY_CODE, SeedWriter } from './seed-writer';
import type { ReferenceValue, WireRecord } from './wire';
import { addDays, addSeconds, amount, isoDate, referenceTo } from './wire';

const CUSTOMERS_FROM = new Date('2024-02-01T07:00:00Z');
const CUSTOMERS_UNTIL = new Date('2026-04-30T17:00:00Z');
const BIRTH_DATES_FROM = new Date('1950-01-01T00:00:00Z');
/** The enterprise company's own party has code 00001. */
const FIRST_CUSTOMER_PARTY_CODE = 2;

/** Customer i is inactive when i % 10 is this: 10 % of them, predictable for tests. */
export const INACTIVE_CUSTOMER_REMAINDER = 7;

export function customerNumber(index: number): string {
	return `C${String(index + 1).padStart(6, '0')}`;
}

/** English and Bulgarian text; null leaves that language out. */
type Texts = readonly [english: string | null, bulgarian: string | null];

/** Keys of generated names for {@link SeedWriter.sharedTextByKey}; the ranges do not overlap. */
const COMPANY_NAME_KEYS = 1_000_000;
const PERSON_NAME_KEYS = 2_000_000;
const ADDRESS_KEYS = 3_000_000;

interface CompanyParty {
	kind: 'company';
	name: Texts;
	/** Set for generated names, which repeat. */
	nameKey?: number;
	legalForm: NamePair;
	countryCode: string;
}

interface PersonParty {
	kind: 'person';
	firstName: NamePair;
	lastName: NamePair;
	nameKey?: number;
	gender: 'Female' | 'Male';
	countryCode: string;
}

type PartyChoice = CompanyParty | PersonParty;

/** The first customers carry the names that filter-escaping and URL-encoding tests need. */
const SPECIAL_PARTIES: readonly PartyChoice[] = [
	{
		kind: 'company',
		name: ["O'Brien & Sons Ltd.", "О'Брайън и синове ООД"],
		legalForm: ['Ltd.', 'ООД'],
		countryCode: 'IE',
	},
	{
		kind: 'person',
		firstName: ['Siobhán', 'Шивон'],
		lastName: ["O'Neill", "О'Нийл"],
		gender: 'Female',
		countryCode: 'IE',
	},
	{
		kind: 'company',
		name: ['Müller Maschinenbau GmbH', 'Мюлер Машиненбау ГмбХ'],
		legalForm: ['GmbH', 'ГмбХ'],
		countryCode: 'DE',
	},
	{
		kind: 'company',
		name: ['100% Bio + Fresh Ltd.', '100% Био + Фреш ЕООД'],
		legalForm: ['Ltd.', 'ЕООД'],
		countryCode: 'BG',
	},
	// Only a Bulgarian name, with „“ quotes and an en dash.
	{ kind: 'company', name: [null, 'ЕТ „Тунджа – Георги Колев“'], legalForm: ['Sole trader', 'ЕТ'], countryCode: 'BG' },
];

export function seedCustomers(writer: SeedWriter, master: MasterData, count: number) {
	const random = createRandom(writer.seed, SETS.customers);
	const span = CUSTOMERS_UNTIL.getTime() - CUSTOMERS_FROM.getTime();
	for (let index = 0; index < count; index++) {
		const spacing = Math.floor((index * span) / Math.max(count, 1));
		const createdAt = addSeconds(new Date(CUSTOMERS_FROM.getTime() + spacing), random.int(0, 3600));
		const active = index % 10 !== INACTIVE_CUSTOMER_REMAINDER;
		const choice = SPECIAL_PARTIES[index] ?? randomParty(random);
		const partyId = seedParty(writer, master, random, index, choice, active, createdAt);
		writer.add(
			SETS.customers,
			index,
			customerValues(writer, master, random, index, partyId, active, createdAt),
			createdAt,
		);
	}
}

const FEMALE_SURNAMES: readonly NamePair[] = SURNAMES.map(([english, bulgarian]) => [`${english}a`, `${bulgarian}а`]);

function randomParty(random: Random): PartyChoice {
	if (random.chance(0.6)) {
		const stem = random.int(0, COMPANY_STEMS.length - 1);
		const activity = random.int(0, COMPANY_ACTIVITIES.length - 1);
		const form = random.int(0, LEGAL_FORMS.length - 1);
		const [stemText, activityText, legalForm] = [COMPANY_STEMS[stem], COMPANY_ACTIVITIES[activity], LEGAL_FORMS[form]];
		const name: Texts = [
			`${stemText[0]} ${activityText[0]} ${legalForm[0]}`,
			`${stemText[1]} ${activityText[1]} ${legalForm[1]}`,
		];
		const nameKey = COMPANY_NAME_KEYS + stem * 10_000 + activity * 100 + form;
		return { kind: 'company', name, nameKey, legalForm, countryCode: 'BG' };
	}
	const female = random.chance(0.5);
	const firstNames = female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES;
	const first = random.int(0, firstNames.length - 1);
	const last = random.int(0, SURNAMES.length - 1);
	// Bulgarian female surnames add "a": Ivanov → Ivanova, Иванов → Иванова.
	const lastName = (female ? FEMALE_SURNAMES : SURNAMES)[last];
	const nameKey = PERSON_NAME_KEYS + (female ? 100_000 : 0) + first * 1000 + last;
	return {
		kind: 'person',
		firstName: firstNames[first],
		lastName,
		nameKey,
		gender: female ? 'Female' : 'Male',
		countryCode: 'BG',
	};
}

/** Adds the party of customer `index` to its concrete set and returns its id. */
function seedParty(
	writer: SeedWriter,
	master: MasterData,
	random: Random,
	index: number,
	choice: PartyChoice,
	active: boolean,
	createdAt: Date,
): string {
	const city = random.pick(CITIES);
	const common: WireRecord = {
		PartyCode: String(index + FIRST_CUSTOMER_PARTY_CODE).padStart(5, '0'),
		IsActive: active,
		City: writer.sharedText(...city),
	};
	const country = writer.sharedReference(SETS.countries, master.countryIds[choice.countryCode]);
	if (choice.kind === 'company') {
		// Companies index 0 is the enterprise company itself.
		const values = companyValues(writer, random, index, choice, city, common, country);
		return writer.add(SETS.companies, index + 1, values, createdAt).Id as string;
	}
	return writer.add(SETS.persons, index, personValues(writer, random, index, choice, common, country), createdAt)
		.Id as string;
}

function companyValues(
	writer: SeedWriter,
	random: Random,
	index: number,
	choice: CompanyParty,
	city: NamePair,
	common: WireRecord,
	country: ReferenceValue,
): WireRecord {
	// 9-digit UIC, unique per index: 7919 is coprime with 900,000,000.
	const registrationNumber = String(100_000_000 + ((index * 7919) % 900_000_000));
	const isVatRegistered = random.chance(0.7);
	const name =
		choice.nameKey === undefined
			? writer.sharedText(...choice.name)
			: writer.sharedTextByKey(choice.nameKey, () => choice.name);
	const street = random.int(0, STREETS.length - 1);
	const number = random.int(1, 180);
	const addressKey = ADDRESS_KEYS + number * 10_000 + street * 100 + CITIES.indexOf(city);
	common.PartyName = name;
	common.Name = name;
	common.PartyType = 'Company';
	common.PartyUniqueNumber = registrationNumber;
	common.RegistrationNumber = registrationNumber;
	common.RegistrationVATNumber = isVatRegistered ? `BG${registrationNumber}` : null;
	common.IsVATRegistered = isVatRegistered;
	common.RegistrationType = writer.sharedText(...choice.legalForm);
	common.RegistrationPrimaryAddress = writer.sharedTextByKey(addressKey, () => [
		`${number} ${STREETS[street][0]}, ${city[0]}`,
		`${STREETS[street][1]} ${number}, ${city[1]}`,
	]);
	common.Country = country;
	return common;
}

function personValues(
	writer: SeedWriter,
	random: Random,
	index: number,
	choice: PersonParty,
	common: WireRecord,
	country: ReferenceValue,
): WireRecord {
	// Birth dates spread over 50 years; (day, serial) is unique per index, so the number is too.
	const birthDate = addDays(BIRTH_DATES_FROM, (index * 7919) % 18_250);
	const nationalNumber = bulgarianPersonalNumber(birthDate, Math.floor(index / 18_250) % 1000);
	const [firstEnglish, firstBulgarian] = choice.firstName;
	const [lastEnglish, lastBulgarian] = choice.lastName;
	const fullName = (): Texts => [`${firstEnglish} ${lastEnglish}`, `${firstBulgarian} ${lastBulgarian}`];
	common.PartyName =
		choice.nameKey === undefined ? writer.sharedText(...fullName()) : writer.sharedTextByKey(choice.nameKey, fullName);
	common.PartyType = 'Person';
	common.PartyUniqueNumber = nationalNumber;
	common.FirstName = writer.sharedText(...choice.firstName);
	common.LastName = writer.sharedText(...choice.lastName);
	common.Gender = choice.gender;
	common.BirthDate = isoDate(birthDate);
	common.NationalNumber = nationalNumber;
	common.Title = random.chance(0.2) ? writer.sharedText('Eng.', 'инж.') : null;
	common.Nationality = country;
	return common;
}

/** An EGN: YYMMDD (+40 on the month from 2000 on), a 3-digit serial and the weighted checksum. */
function bulgarianPersonalNumber(birthDate: Date, serial: number): string {
	const year = birthDate.getUTCFullYear();
	const month = birthDate.getUTCMonth() + 1 + (year >= 2000 ? 40 : 0);
	const digits = [
		String(year % 100).padStart(2, '0'),
		String(month).padStart(2, '0'),
		String(birthDate.getUTCDate()).padStart(2, '0'),
		String(serial).padStart(3, '0'),
	].join('');
	const weights = [2, 4, 8, 5, 10, 9, 7, 3, 6];
	const sum = weights.reduce((total, weight, position) => total + weight * Number(digits[position]), 0);
	return `${digits}${(sum % 11) % 10}`;
}

function customerValues(
	writer: SeedWriter,
	master: MasterData,
	random: Random,
	index: number,
	partyId: string,
	active: boolean,
	createdAt: Date,
): WireRecord {
	const currencyCode = random.chance(0.8) ? BASE_CURRENCY_CODE : 'EUR';
	const endOfRelationship = addDays(createdAt, random.int(30, 400));
	return {
		Number: customerNumber(index),
		Party: referenceTo(SETS.parties, partyId),
		Active: active,
		EnterpriseCompany: writer.sharedReference(SETS.enterpriseCompanies, master.enterpriseCompanyId),
		DefaultCurrency: writer.sharedReference(SETS.currencies, master.currencyIds[currencyCode]),
		CreditLimit: random.chance(0.5) ? null : amount(random.int(1, 50) * 1000, BASE_CURRENCY_CODE),
		DefaultPaymentTermDays: random.pick([0, 7, 14, 30, 45, 60]),
		DefaultDeliveryTermDays: random.pick([0, 1, 2, 3, 5, 7]),
		GracePeriodDays: random.pick([0, 0, 3, 5, 10]),
		FromDate: isoDate(createdAt),
		ThruDate: active ? null : isoDate(endOfRelationship < REFERENCE_DATE ? endOfRelationship : REFERENCE_DATE),
	};
}
