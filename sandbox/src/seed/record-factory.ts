/**
 * Completes the values a builder chose into a full record of an entity set: every attribute and
 * reference of the model, in model order, with model defaults where the builder is silent.
 */
import { attributesOf, getEntitySet, keyAttributeOf, referencesOf } from '../schema';
import type { AttributeDefinition } from '../schema';
import type { WireRecord, WireValue } from './wire';
import { amount, isoDate, quantity } from './wire';

export interface RecordContext {
	/** Creation time of the record; also the value of `Today`/`Now` defaults. */
	createdAt: Date;
	/** `createdAt` as an ISO string, shared by all the record's time stamps. */
	createdAtText: string;
	/** Login of the user who created the record: CreationUser, UpdateUser. */
	user: string;
	/** Currency code for Amount defaults (the enterprise company's base currency). */
	currency: string;
	/** Unit code for Quantity defaults. */
	unit: string;
}

type Fallback = (context: RecordContext, values: WireRecord) => WireValue;

interface MemberPlan {
	name: string;
	fallback: Fallback;
}

/** Builds the record keyed `id` from the builder's `values`. */
export type RecordFactory = (id: string, values: WireRecord, context: RecordContext) => WireRecord;

function zeroOf(definition: AttributeDefinition): Fallback {
	switch (definition.type) {
		case 'Boolean':
			return () => false;
		case 'Int16':
		case 'Int32':
		case 'Int64':
		case 'Decimal':
			return () => 0;
		case 'Amount':
			return (context) => amount(0, context.currency);
		case 'Quantity':
			return (context) => quantity(0, context.unit);
		case 'MultilanguageString':
			return () => ({});
		default:
			return () => '';
	}
}

function defaultOf(definition: AttributeDefinition): Fallback | undefined {
	const value = definition.defaultApiValue;
	if (value !== undefined) {
		if (definition.type === 'Amount') return (context) => amount(Number(value), context.currency);
		if (definition.type === 'Quantity') return (context) => quantity(Number(value), context.unit);
		return () => value;
	}
	switch (definition.defaultValueType) {
		case 'CurrentDate':
			return (context) => isoDate(context.createdAt);
		case 'CurrentDateTime':
		case 'CurrentDateTimeUtc':
			return (context) => context.createdAtText;
		default:
			return undefined;
	}
}

function missing(setName: string, name: string): Fallback {
	return () => {
		throw new Error(`seed: ${setName}.${name} is required but the builder gave no value`);
	};
}

function systemFallback(name: string): Fallback | undefined {
	switch (name) {
		case 'ObjectVersion':
			return () => 1;
		case 'DisplayText':
			return () => '';
		case 'AggregateLastUpdateTimeUtc':
			return (context, values) => values.UpdateTime ?? values.CreationTime ?? context.createdAtText;
		default:
			return undefined;
	}
}

/** Seed records were created, and not changed since, by the context's user at its time. */
function auditFallback(name: string): Fallback | undefined {
	if (/^(Party)?(Creation|Update)Time$/.test(name)) return (context) => context.createdAtText;
	if (/^(Party)?(Creation|Update)User$/.test(name)) return (context) => context.user;
	return undefined;
}

function attributeFallback(setName: string, definition: AttributeDefinition, isKey: boolean): Fallback {
	if (isKey) return missing(setName, definition.name);
	const fallback =
		(definition.system ? systemFallback(definition.name) : auditFallback(definition.name)) ?? defaultOf(definition);
	if (fallback) return fallback;
	if (definition.nullable) return () => null;
	if (definition.required && !definition.calculated) return missing(setName, definition.name);
	return zeroOf(definition);
}

function planOf(setName: string, keyName: string): MemberPlan[] {
	const attributes = attributesOf(setName).map((definition) => ({
		name: definition.name,
		fallback: attributeFallback(setName, definition, definition.name === keyName),
	}));
	const references = referencesOf(setName).map((definition) => ({
		name: definition.name,
		fallback: definition.nullable ? () => null : missing(setName, definition.name),
	}));
	return [...attributes, ...references];
}

/**
 * JSON.parse yields an object in V8's fast-properties mode; copies of it share its hidden class,
 * whereas adding 40 properties one by one would leave every record a slower, larger dictionary.
 */
function templateOf(plan: MemberPlan[]): WireRecord {
	return JSON.parse(JSON.stringify(Object.fromEntries(plan.map((member) => [member.name, null]))));
}

function unknownMember(setName: string, values: WireRecord, known: Set<string>): Error {
	const name = Object.keys(values).find((key) => values[key] !== undefined && !known.has(key));
	return new Error(`seed: ${setName} has no member '${name}'`);
}

export function createRecordFactory(setName: string): RecordFactory {
	const set = getEntitySet(setName);
	if (!set) throw new Error(`seed: unknown entity set ${setName}`);
	const keyName = keyAttributeOf(set);
	const plan = planOf(setName, keyName);
	const known = new Set(plan.map((member) => member.name));
	const template = templateOf(plan);
	return (id, values, context) => {
		const record: WireRecord = { ...template };
		record[keyName] = id;
		let given = 0;
		for (const { name, fallback } of plan) {
			if (name === keyName) continue;
			const value = values[name];
			if (value === undefined) {
				record[name] = fallback(context, values);
			} else {
				record[name] = value;
				given++;
			}
		}
		let defined = 0;
		for (const key in values) if (values[key] !== undefined) defined++;
		if (defined !== given) throw unknownMember(setName, values, known);
		return record;
	};
}
