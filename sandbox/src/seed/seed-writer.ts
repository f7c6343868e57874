/**
 * Collects the records of one seed run: deterministic ids, model-complete records, an id index
 * for DisplayText, and shared (frozen) values for references many records point to.
 */
import { formatDisplayText } from './display-text';
import type { ReferenceResolver } from './display-text';
import { deterministicGuid } from './random';
import { createRecordFactory } from './record-factory';
import type { RecordContext, RecordFactory } from './record-factory';
import type { MultilanguageValue, ReferenceValue, WireRecord } from './wire';
import { isoDateTime, parseEntityId, referenceTo } from './wire';

/** Entity set name → records in the wire shape. */
export type SeedData = Record<string, WireRecord[]>;

export const BASE_CURRENCY_CODE = 'BGN';
export const DEFAULT_UNIT_CODE = 'pcs';
export const ADMIN_LOGIN = 'admin';

/** Who created a record, and the currency and unit of its Amount/Quantity defaults. */
export type RecordOrigin = Partial<Pick<RecordContext, 'currency' | 'unit' | 'user'>>;

export class SeedWriter {
	readonly data: SeedData = {};
	private readonly recordsById = new Map<string, { setName: string; record: WireRecord }>();
	private readonly factories = new Map<string, RecordFactory>();
	private readonly sharedReferences = new Map<string, Map<string, ReferenceValue>>();
	private readonly sharedTexts = new Map<string | null, Map<string | null, MultilanguageValue>>();
	private readonly textsByKey = new Map<number, MultilanguageValue>();

	constructor(readonly seed: number) {}

	idOf(setName: string, index: number): string {
		return deterministicGuid(this.seed, setName, index);
	}

	/**
	 * Completes `values` to a full record of `setName`, keyed by the deterministic id for `index`,
	 * created at `createdAt` by `origin.user` (admin), with Amount/Quantity defaults in the base
	 * currency and pieces unless `origin` says otherwise.
	 */
	add(setName: string, index: number, values: WireRecord, createdAt: Date, origin: RecordOrigin = {}): WireRecord {
		const id = this.idOf(setName, index);
		const context: RecordContext = {
			createdAt,
			createdAtText: isoDateTime(createdAt),
			user: origin.user ?? ADMIN_LOGIN,
			currency: origin.currency ?? BASE_CURRENCY_CODE,
			unit: origin.unit ?? DEFAULT_UNIT_CODE,
		};
		const record = this.factoryOf(setName)(id, values, context);
		(this.data[setName] ??= []).push(record);
		this.recordsById.set(id, { setName, record });
		return record;
	}

	/** A reference shared by many records; frozen, so replace it rather than mutate it. */
	sharedReference(setName: string, id: string): ReferenceValue {
		const byId = this.sharedReferences.get(setName) ?? new Map<string, ReferenceValue>();
		this.sharedReferences.set(setName, byId);
		let reference = byId.get(id);
		if (!reference) {
			reference = Object.freeze(referenceTo(setName, id));
			byId.set(id, reference);
		}
		return reference;
	}

	/** A multi-language value shared by every record with the same texts; frozen like shared references. */
	sharedText(english: string | null, bulgarian: string | null = null): MultilanguageValue {
		const byBulgarian = this.sharedTexts.get(english) ?? new Map<string | null, MultilanguageValue>();
		this.sharedTexts.set(english, byBulgarian);
		let text = byBulgarian.get(bulgarian);
		if (!text) {
			const texts: Record<string, string> = {};
			if (english !== null) texts.EN = english;
			if (bulgarian !== null) texts.BG = bulgarian;
			text = Object.freeze(texts);
			byBulgarian.set(bulgarian, text);
		}
		return text;
	}

	/**
	 * Like {@link sharedText}, looked up by a number the caller makes unique per text pair: composing
	 * and hashing the strings of 100,000 generated names costs more than building the records.
	 */
	sharedTextByKey(key: number, texts: () => readonly [string | null, string | null]): MultilanguageValue {
		let text = this.textsByKey.get(key);
		if (!text) {
			text = this.sharedText(...texts());
			this.textsByKey.set(key, text);
		}
		return text;
	}

	readonly resolve: ReferenceResolver = (odataId) => {
		const parsed = parseEntityId(odataId);
		return parsed ? this.recordsById.get(parsed.id) : undefined;
	};

	/** Fills DisplayText once every record exists, and returns the data. */
	finish(): SeedData {
		for (const [setName, records] of Object.entries(this.data)) {
			for (const record of records) {
				if ('DisplayText' in record) record.DisplayText = formatDisplayText(setName, record, this.resolve);
			}
		}
		return this.data;
	}

	private factoryOf(setName: string): RecordFactory {
		let factory = this.factories.get(setName);
		if (!factory) {
			factory = createRecordFactory(setName);
			this.factories.set(setName, factory);
		}
		return factory;
	}
}
