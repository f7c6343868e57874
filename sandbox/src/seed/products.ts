/** Products: the catalogue items of each product group, with variants once a group runs out. */
import type { MasterData, ProductGroupSeed } from './master-data';
import { SETS } from './master-data';
import type { NamePair } from './names';
import type { Random } from './random';
import { createRandom } from './random';
import { BASE_CURRENCY_CODE, SeedWriter } from './seed-writer';
import type { WireRecord } from './wire';
import { addDays, amount, multilanguage, quantity, roundTo } from './wire';

const PRODUCTS_FROM = new Date('2024-01-10T09:00:00Z');
const VARIANTS: readonly NamePair[] = [
	['', ''],
	[' Plus', ' Плюс'],
	[' Pro', ' Про'],
	[' Eco', ' Еко'],
	[' Mini', ' Мини'],
	[' Max', ' Макс'],
];

/** Price range per lot, in the base currency, by group code. */
const PRICE_RANGES: Record<string, readonly [number, number]> = {
	HW: [150, 3000],
	ACC: [10, 150],
	OFF: [5, 60],
	FOOD: [8, 60],
	SRV: [60, 150],
};

/** Product i is inactive when i % 13 is this. */
export const INACTIVE_PRODUCT_REMAINDER = 12;

export function partNumber(groupCode: string, index: number): string {
	return `${groupCode}-${String(index + 1).padStart(5, '0')}`;
}

interface CatalogItem {
	group: ProductGroupSeed;
	name: NamePair;
}

export function seedProducts(writer: SeedWriter, master: MasterData, count: number) {
	const random = createRandom(writer.seed, SETS.products);
	const catalog: CatalogItem[] = master.productGroups.flatMap((group) => group.items.map((name) => ({ group, name })));
	for (let index = 0; index < count; index++) {
		const item = catalog[index % catalog.length];
		const round = Math.floor(index / catalog.length);
		const createdAt = addDays(PRODUCTS_FROM, index % 400);
		writer.add(SETS.products, index, productValues(writer, master, random, index, item, round), createdAt);
	}
}

function variantName(name: NamePair, round: number): NamePair {
	const variant = VARIANTS[round % VARIANTS.length];
	const series = round >= VARIANTS.length ? ` ${Math.floor(round / VARIANTS.length) + 1}` : '';
	return [`${name[0]}${variant[0]}${series}`, `${name[1]}${variant[1]}${series}`];
}

function productValues(
	writer: SeedWriter,
	master: MasterData,
	random: Random,
	index: number,
	item: CatalogItem,
	round: number,
): WireRecord {
	const [english, bulgarian] = variantName(item.name, round);
	const [low, high] = PRICE_RANGES[item.group.code] ?? [10, 100];
	const price = roundTo(low + random.next() * (high - low), 2);
	return {
		PartNumber: partNumber(item.group.code, index),
		Name: multilanguage(english, bulgarian),
		ShortName: english.length > 24 ? multilanguage(english.slice(0, 24), bulgarian.slice(0, 24)) : null,
		Description: random.chance(0.4)
			? multilanguage(`${english}, ${item.group.code} range.`, `${bulgarian}, гама ${item.group.code}.`)
			: null,
		CatalogDescriptionHtml: random.chance(0.3) ? `<p><strong>${english}</strong></p>` : null,
		Active: index % 13 !== INACTIVE_PRODUCT_REMAINDER,
		ABCClass: random.pick(['A', 'B', 'B', 'C', 'C', 'C']),
		IsFeatured: random.chance(0.1),
		ShowInCatalog: random.chance(0.6),
		GuaranteePeriodDays: item.group.code === 'HW' ? 730 : null,
		StandardPricePerLot: amount(price, BASE_CURRENCY_CODE),
		StandardCostPerLot: amount(roundTo(price * (0.6 + random.next() * 0.2), 2), BASE_CURRENCY_CODE),
		StandardLotSizeBase: quantity(1, item.group.unitCode),
		ProductGroup: writer.sharedReference(SETS.productGroups, item.group.id),
		ProductType: writer.sharedReference(
			SETS.productTypes,
			item.group.service ? master.productTypeIds.service : master.productTypeIds.stock,
		),
		MeasurementUnit: writer.sharedReference(SETS.units, master.unitIds[item.group.unitCode]),
		CostingCurrency: writer.sharedReference(SETS.currencies, master.currencyIds[BASE_CURRENCY_CODE]),
	};
}
