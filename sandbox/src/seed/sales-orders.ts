/**
 * Sales orders with their lines, for active customers and products. Amounts are in the customer's
 * default currency; the header totals are the sums of the lines (AmountToPay adds 20 % VAT).
 */
import type { MasterData } from './master-data';
import { REFERENCE_DATE, SETS } from './master-data';
import type { Random } from './random';
import { createRandom } from './random';
import { ADMIN_LOGIN, BASE_CURRENCY_CODE, SeedWriter } from './seed-writer';
import type { AmountValue, QuantityValue, ReferenceValue, WireRecord } from './wire';
import {
	addDays,
	addSeconds,
	amount,
	isoDate,
	isoDateTime,
	multilanguage,
	parseEntityId,
	quantity,
	referenceTo,
	roundTo,
} from './wire';

const ORDERS_FROM = new Date('2026-01-05T00:00:00Z');
const BGN_PER_EUR = 1.95583;
const VAT_RATE = 0.2;
/** The first orders take every state once, so that state filters always find something. */
const STATES_IN_ORDER = ['New', 'Planned', 'FirmPlanned', 'Released', 'Completed', 'Closed'] as const;
const WEIGHTED_STATES = [
	'New',
	'New',
	'Planned',
	'FirmPlanned',
	'FirmPlanned',
	'Released',
	'Released',
	'Released',
	'Completed',
	'Closed',
];
const RELEASED_OR_LATER = new Set(['Released', 'Completed', 'Closed']);
/** Order i is void when i % 10 is this (from the 10th order on). */
export const VOID_ORDER_REMAINDER = 9;

export function salesOrderNumber(index: number): string {
	return `SO${String(index + 1).padStart(6, '0')}`;
}

interface LineDraft {
	values: WireRecord;
	unitCode: string;
	lineAmount: number;
}

export function seedSalesOrders(writer: SeedWriter, master: MasterData, count: number) {
	const customers = (writer.data[SETS.customers] ?? []).filter((customer) => customer.Active === true);
	const products = (writer.data[SETS.products] ?? []).filter((product) => product.Active === true);
	if (customers.length === 0) return;
	const random = createRandom(writer.seed, SETS.salesOrders);
	const currencyCodes = new Map(Object.entries(master.currencyIds).map(([code, id]) => [id, code]));
	const days = Math.max(1, Math.round((REFERENCE_DATE.getTime() - ORDERS_FROM.getTime()) / 86_400_000) - 1);
	let lineIndex = 0;
	for (let index = 0; index < count; index++) {
		const customer = random.pick(customers);
		const currency =
			currencyCodes.get(parseEntityId((customer.DefaultCurrency as ReferenceValue)['@odata.id'])?.id ?? '') ??
			BASE_CURRENCY_CODE;
		const documentDate = addDays(ORDERS_FROM, Math.floor((index * days) / Math.max(count, 1)));
		const createdAt = addSeconds(documentDate, 8 * 3600 + random.int(0, 9 * 3600));
		const orderId = writer.idOf(SETS.salesOrders, index);
		const lines = draftLines(random, orderId, products, currency, customer, documentDate);
		const values = orderValues(writer, master, random, index, customer, currency, documentDate, createdAt, lines);
		writer.add(SETS.salesOrders, index, values, createdAt, { currency });
		for (const line of lines) {
			writer.add(SETS.salesOrderLines, lineIndex++, line.values, createdAt, { currency, unit: line.unitCode });
		}
	}
}

function stateOf(random: Random, index: number): string {
	return STATES_IN_ORDER[index] ?? random.pick(WEIGHTED_STATES);
}

function deliveryDate(customer: WireRecord, documentDate: Date): string {
	return isoDate(addDays(documentDate, Number(customer.DefaultDeliveryTermDays ?? 0)));
}

function orderValues(
	writer: SeedWriter,
	master: MasterData,
	random: Random,
	index: number,
	customer: WireRecord,
	currency: string,
	documentDate: Date,
	createdAt: Date,
	lines: LineDraft[],
): WireRecord {
	const state = stateOf(random, index);
	const isVoid = index % 10 === VOID_ORDER_REMAINDER;
	const released = RELEASED_OR_LATER.has(state);
	const total = roundTo(
		lines.reduce((sum, line) => sum + line.lineAmount, 0),
		2,
	);
	const orderId = writer.idOf(SETS.salesOrders, index);
	return {
		DocumentNo: salesOrderNumber(index),
		DocumentDate: isoDate(documentDate),
		DocumentType: writer.sharedReference(SETS.documentTypes, master.salesOrderDocumentTypeId),
		EntityName: 'Crm_Sales_Orders',
		State: state,
		Void: isVoid,
		VoidReason: isVoid ? 'Entered twice by mistake' : null,
		VoidTime: isVoid ? isoDateTime(addDays(createdAt, 1)) : null,
		VoidUser: isVoid ? ADMIN_LOGIN : null,
		IsValidField: released && !isVoid,
		IsReleased: released && !isVoid,
		FullState: isVoid ? 'Void' : state,
		StateTagsAttribute: '',
		ReleaseTime: released ? isoDateTime(addDays(createdAt, 1)) : null,
		CompleteTime:
			state === 'Completed' || state === 'Closed' ? isoDateTime(clampToReference(addDays(createdAt, 5))) : null,
		Customer: referenceTo(SETS.customers, customer.Id as string),
		EnterpriseCompany: writer.sharedReference(SETS.enterpriseCompanies, master.enterpriseCompanyId),
		DocumentCurrency: writer.sharedReference(SETS.currencies, master.currencyIds[currency]),
		FromParty: writer.sharedReference(SETS.parties, master.enterpriseCompanyPartyId),
		ToParty: customer.Party,
		MasterDocument: referenceTo(SETS.documents, orderId),
		CustomerPurchaseOrderNo: random.chance(0.5)
			? `PO-${documentDate.getUTCFullYear()}-${random.int(1000, 9999)}`
			: null,
		RequiredDeliveryDate: deliveryDate(customer, documentDate),
		PaymentDueDate: isoDate(addDays(documentDate, Number(customer.DefaultPaymentTermDays ?? 0))),
		DocumentNotes: random.chance(0.2)
			? random.pick(['Deliver to the back entrance.', 'Доставка до склада в Пловдив.', 'Call before delivery.'])
			: null,
		TotalLineAmount: amount(total, currency),
		AmountToPay: amount(roundTo(total * (1 + VAT_RATE), 2), currency),
	};
}

function clampToReference(date: Date): Date {
	return date < REFERENCE_DATE ? date : REFERENCE_DATE;
}

function draftLines(
	random: Random,
	orderId: string,
	products: WireRecord[],
	currency: string,
	customer: WireRecord,
	documentDate: Date,
): LineDraft[] {
	if (products.length === 0) return [];
	const orderReference = referenceTo(SETS.salesOrders, orderId);
	const count = random.int(1, 4);
	const lines: LineDraft[] = [];
	for (let lineNo = 1; lineNo <= count; lineNo++) {
		const product = random.pick(products);
		const unitCode = (product.StandardLotSizeBase as QuantityValue).Unit;
		const basePrice = (product.StandardPricePerLot as AmountValue).Value;
		const unitPrice = currency === BASE_CURRENCY_CODE ? basePrice : roundTo(basePrice / BGN_PER_EUR, 2);
		const lineQuantity = unitCode === 'h' ? random.int(1, 8) : random.int(1, 20);
		const discount = random.pick([0, 0, 0, 0.05, 0.1]);
		const lineAmount = roundTo(lineQuantity * unitPrice * (1 - discount), 2);
		const productName = product.Name;
		lines.push({
			unitCode,
			lineAmount,
			values: {
				LineNo: lineNo,
				SalesOrder: orderReference,
				Document: orderReference,
				Product: referenceTo(SETS.products, product.Id as string),
				ProductDescription: productName ?? multilanguage(String(product.PartNumber)),
				QuantityUnit: product.MeasurementUnit,
				Quantity: quantity(lineQuantity, unitCode),
				QuantityBase: quantity(lineQuantity, unitCode),
				StandardQuantityBase: quantity(lineQuantity, unitCode),
				UnitPrice: amount(unitPrice, currency),
				StandardUnitPrice: amount(unitPrice, currency),
				LineCustomDiscountPercent: discount,
				LineAmount: amount(lineAmount, currency),
				RequiredDeliveryDate: deliveryDate(customer, documentDate),
			},
		});
	}
	return lines;
}
