/**
 * Values in the Domain API wire shape (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html captures): multi-language strings keyed by
 * upper-case language codes, Amount/Quantity objects, enums as member names, ISO UTC dates and
 * references as `{ "@odata.id": "Set(guid)" }`.
 */

export type MultilanguageValue = Readonly<Record<string, string>>;

export interface AmountValue {
	Value: number;
	Currency: string;
}

export interface QuantityValue {
	Value: number;
	Unit: string;
}

export interface ReferenceValue {
	'@odata.id': string;
}

export type WireValue =
	| string
	| number
	| boolean
	| null
	| MultilanguageValue
	| AmountValue
	| QuantityValue
	| ReferenceValue;

/** One entity in the wire shape minus `@odata.*` annotations (references keep their `@odata.id`). */
export type WireRecord = Record<string, WireValue>;

export function entityId(setName: string, id: string): string {
	return `${setName}(${id})`;
}

export function referenceTo(setName: string, id: string): ReferenceValue {
	return { '@odata.id': entityId(setName, id) };
}

export function isReferenceValue(value: unknown): value is ReferenceValue {
	return typeof value === 'object' && value !== null && typeof (value as ReferenceValue)['@odata.id'] === 'string';
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SET_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Splits `Set(guid)` (or an absolute URL ending in it) into its parts. */
export function parseEntityId(odataId: string): { setName: string; id: string } | undefined {
	const open = odataId.lastIndexOf('(');
	if (open < 0 || !odataId.endsWith(')')) return undefined;
	const id = odataId.slice(open + 1, -1);
	const setName = odataId.slice(odataId.lastIndexOf('/', open) + 1, open);
	return GUID.test(id) && SET_NAME.test(setName) ? { setName, id: id.toLowerCase() } : undefined;
}

export function multilanguage(english: string, bulgarian?: string): MultilanguageValue {
	return bulgarian === undefined ? { EN: english } : { EN: english, BG: bulgarian };
}

export function amount(value: number, currency: string): AmountValue {
	return { Value: value, Currency: currency };
}

export function quantity(value: number, unit: string): QuantityValue {
	return { Value: value, Unit: unit };
}

/** `2026-05-08T00:00:00Z`: the form ERP.net uses for `date` attributes. */
export function isoDate(date: Date): string {
	return `${date.toISOString().slice(0, 10)}T00:00:00Z`;
}

/** `2026-05-08T09:15:42Z`: second precision, as in the real GetChanges capture. */
export function isoDateTime(date: Date): string {
	return `${date.toISOString().slice(0, 19)}Z`;
}

export function addDays(date: Date, days: number): Date {
	return new Date(date.getTime() + days * 86_400_000);
}

export function addSeconds(date: Date, seconds: number): Date {
	return new Date(date.getTime() + seconds * 1000);
}

export function roundTo(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}
