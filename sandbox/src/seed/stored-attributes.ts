/**
 * Seeded stored attributes (https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html): definitions in
 * `Systems_Bpm_CustomProperties`, allowed values in `Systems_Bpm_CustomPropertyAllowedValues`, and values on
 * customers and sales orders (`CustomProperty_<escaped code>`: `{Value, ValueId, Description}`). Values follow the
 * record's position, so the random streams of the other seeds are untouched.
 */
import { MASTER_DATA_CREATED_AT } from './master-data';
import type { SeedWriter } from './seed-writer';
import { multilanguage, referenceTo, type WireRecord, type WireValue } from './wire';

const DEFINITIONS_SET = 'Systems_Bpm_CustomProperties';
const ALLOWED_VALUES_SET = 'Systems_Bpm_CustomPropertyAllowedValues';
const CUSTOMERS_SET = 'Crm_Sales_Customers';
const SALES_ORDERS_SET = 'Crm_Sales_SalesOrders';
const COUNTRIES_SET = 'General_Geography_Countries';

interface AllowedValueSeed {
	value: string;
	english: string;
	bulgarian: string;
}

interface DefinitionSeed {
	code: string;
	/** The attribute name the docs' escaping gives (kept literal here so that a test can compare). */
	attribute: string;
	entityName: string;
	name: readonly [string, string];
	limitToAllowedValues?: boolean;
	allowedValuesEntityName?: string;
	maskLength?: number;
	isActive?: boolean;
	allowedValues?: readonly AllowedValueSeed[];
}

/** The seeded definitions; `attribute` is `CustomProperty_` + EscapePropertyCode(code). */
export const SEEDED_STORED_ATTRIBUTES: readonly DefinitionSeed[] = [
	{
		code: 'Segment',
		attribute: 'CustomProperty_Segment',
		entityName: CUSTOMERS_SET,
		name: ['Customer segment', 'Сегмент'],
		limitToAllowedValues: true,
		allowedValues: [
			{ value: 'Retail', english: 'Retail customer', bulgarian: 'Дребно' },
			{ value: 'Wholesale', english: 'Wholesale customer', bulgarian: 'Едро' },
			{ value: 'Distributor', english: 'Distributor', bulgarian: 'Дистрибутор' },
		],
	},
	{
		code: 'Регион',
		attribute: 'CustomProperty__uD0A0_uD0B5_uD0B3_uD0B8_uD0BE_uD0BD',
		entityName: CUSTOMERS_SET,
		name: ['Region', 'Регион'],
	},
	{
		code: 'legacy code',
		attribute: 'CustomProperty_legacy_u0020code',
		entityName: CUSTOMERS_SET,
		name: ['Legacy code (inactive)', 'Стар код'],
		isActive: false,
	},
	{
		code: 'channel',
		attribute: 'CustomProperty_channel',
		entityName: SALES_ORDERS_SET,
		name: ['Sales channel', 'Канал'],
		limitToAllowedValues: true,
		allowedValues: [
			{ value: 'Web', english: 'Web shop', bulgarian: 'Онлайн магазин' },
			{ value: 'Phone', english: 'Phone order', bulgarian: 'По телефона' },
			{ value: 'Shop', english: 'In the shop', bulgarian: 'В магазина' },
		],
	},
	{
		code: 'delivery.note',
		attribute: 'CustomProperty_delivery_u002Enote',
		entityName: SALES_ORDERS_SET,
		name: ['Delivery note', 'Бележка за доставка'],
		maskLength: 40,
	},
	{
		code: 'ship country',
		attribute: 'CustomProperty_ship_u0020country',
		entityName: SALES_ORDERS_SET,
		name: ['Ship to country', 'Държава на доставка'],
		limitToAllowedValues: true,
		allowedValuesEntityName: COUNTRIES_SET,
	},
];

const REGIONS = ['Север', 'Юг', 'Изток', 'Запад'];
const DELIVERY_NOTES = ['Call before delivery', 'Leave at the reception', 'Deliver after 14:00'];

export function seedStoredAttributes(writer: SeedWriter): void {
	const allowed = new Map<string, WireValue[]>();
	let allowedIndex = 0;
	SEEDED_STORED_ATTRIBUTES.forEach((seed, index) => {
		const definition = writer.add(DEFINITIONS_SET, index, definitionValues(seed), MASTER_DATA_CREATED_AT);
		const values = (seed.allowedValues ?? []).map((entry) => {
			const record = writer.add(
				ALLOWED_VALUES_SET,
				allowedIndex++,
				allowedValueOf(entry, definition.Id as string),
				MASTER_DATA_CREATED_AT,
			);
			return customPropertyValue(entry.value, record.Id as string, multilanguage(entry.english, entry.bulgarian));
		});
		allowed.set(seed.code, values);
	});
	setValues(writer.data[CUSTOMERS_SET] ?? [], (record, index) => {
		if (index % 4 !== 3) record.CustomProperty_Segment = pick(allowed.get('Segment'), index);
		if (index % 2 === 0)
			record[attributeOf('Регион')] = customPropertyValue(REGIONS[(index / 2) % REGIONS.length], null, null);
	});
	const countries = writer.data[COUNTRIES_SET] ?? [];
	setValues(writer.data[SALES_ORDERS_SET] ?? [], (record, index) => {
		if (index % 5 !== 4) record.CustomProperty_channel = pick(allowed.get('channel'), index);
		if (index % 3 === 0)
			record[attributeOf('delivery.note')] = customPropertyValue(DELIVERY_NOTES[(index / 3) % 3], null, null);
		const country = countries[index % Math.max(countries.length, 1)];
		if (country) {
			record[attributeOf('ship country')] = customPropertyValue(
				country.Code as string,
				country.Id as string,
				country.Name,
			);
		}
	});
}

function attributeOf(code: string): string {
	return SEEDED_STORED_ATTRIBUTES.find((seed) => seed.code === code)?.attribute as string;
}

function setValues(records: WireRecord[], set: (record: WireRecord, index: number) => void): void {
	records.forEach((record, index) => set(record, index));
}

function pick(values: WireValue[] | undefined, index: number): WireValue {
	return values && values.length > 0 ? values[index % values.length] : null;
}

function definitionValues(seed: DefinitionSeed): WireRecord {
	return {
		Code: seed.code,
		EntityName: seed.entityName,
		Name: multilanguage(...seed.name),
		PropertyType: 'Text',
		LimitToAllowedValues: seed.limitToAllowedValues ?? false,
		AllowedValuesEntityName: seed.allowedValuesEntityName ?? null,
		MaskLength: seed.maskLength ?? null,
		IsActive: seed.isActive ?? true,
	};
}

function allowedValueOf(entry: AllowedValueSeed, definitionId: string): WireRecord {
	return {
		Property: referenceTo(DEFINITIONS_SET, definitionId),
		PropertyAllowedValueField: entry.value,
		Description: multilanguage(entry.english, entry.bulgarian),
		Active: true,
	};
}

/** A frozen `CustomPropertyValue` (shared by the records that hold it). */
function customPropertyValue(value: string, valueId: string | null, description: WireValue): WireValue {
	return Object.freeze({ Value: value, ValueId: valueId, Description: description }) as unknown as WireValue;
}
