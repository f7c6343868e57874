/**
 * Deterministic seed data for the sandbox: the same options always give the same records.
 * Records are in the Domain API wire shape without `@odata.*` annotations, except references,
 * which are `{ "@odata.id": "Set(guid)" }`. Values shared by many records (e.g. the reference to the
 * base currency) are frozen: replace them, never mutate them.
 */
import { seedCustomers } from './customers';
import { seedMasterData } from './master-data';
import { seedProducts } from './products';
import { seedSalesOrders } from './sales-orders';
import { seedStoredAttributes } from './stored-attributes';
import type { SeedData } from './seed-writer';
import { SeedWriter } from './seed-writer';

export interface SeedSizes {
	customers?: number;
	products?: number;
	salesOrders?: number;
}

export interface SeedOptions {
	seed?: number;
	sizes?: SeedSizes;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_SEED_SIZES: Readonly<Required<SeedSizes>> = Object.freeze({
	customers: 25,
	products: 40,
	salesOrders: 20,
});

function sizeOf(name: keyof SeedSizes, sizes: SeedSizes | undefined): number {
	const size = sizes?.[name] ?? DEFAULT_SEED_SIZES[name];
	if (!Number.isInteger(size) || size < 0)
		throw new Error(`seed: sizes.${name} must be a non-negative integer, got ${size}`);
	return size;
}

export function generateSeed(options: SeedOptions = {}): SeedData {
	const writer = new SeedWriter(options.seed ?? DEFAULT_SEED);
	const master = seedMasterData(writer);
	seedCustomers(writer, master, sizeOf('customers', options.sizes));
	seedProducts(writer, master, sizeOf('products', options.sizes));
	seedSalesOrders(writer, master, sizeOf('salesOrders', options.sizes));
	seedStoredAttributes(writer);
	return writer.finish();
}

export type { SeedData } from './seed-writer';
export { ADMIN_LOGIN, BASE_CURRENCY_CODE, DEFAULT_UNIT_CODE } from './seed-writer';
export * from './wire';
export { formatDisplayText } from './display-text';
export type { ReferenceResolver } from './display-text';
export { deterministicGuid } from './random';
export { applicationSecretHash, DEFAULT_CLIENT_ID, SEEDED_TRUSTED_APPLICATIONS } from './trusted-applications';
export type { SeededTrustedApplication } from './trusted-applications';
export { REFERENCE_DATE, SALES_ORDER_DOCUMENT_TYPE_CODE, SERVICE_LOGIN } from './master-data';
export { customerNumber, INACTIVE_CUSTOMER_REMAINDER } from './customers';
export { INACTIVE_PRODUCT_REMAINDER, partNumber } from './products';
export { salesOrderNumber, VOID_ORDER_REMAINDER } from './sales-orders';
export { SEEDED_STORED_ATTRIBUTES } from './stored-attributes';
