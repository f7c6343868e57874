/** Defaults (model, type, back-end) and the required-members check of a new record. */
import { randomUUID } from 'node:crypto';

import type { AttributeDefinition, ReferenceDefinition } from '../../schema/types';
import { referenceId, type EntityRecord } from '../../store/memory-store';
import { isMultilanguageValue, translate, attributeValue, type EntitySetInfo } from '../model';
import { BusinessRuleError } from '../errors';
import { referenceTo } from './references';
import type { WriteContext } from './types';

/** The server time a write's transaction started (the sandbox clock, store/clock.ts). */
export function transactionStart(context: WriteContext): number {
	const clock = context.store.clock;
	return clock.now() - Math.max(0, clock.commitDelayMs);
}

/** `timeZoneOffsetMs`: the server's local zone, for `Default(Now)` (store/clock.ts). */
export function applyModelDefaults(set: EntitySetInfo, values: EntityRecord, now: number, timeZoneOffsetMs = 0): void {
	for (const attribute of set.attributes) {
		if (values[attribute.name] !== undefined || attribute.name === set.keyAttribute || attribute.system) continue;
		const value = modelDefault(attribute, now, timeZoneOffsetMs);
		if (value !== undefined) values[attribute.name] = value;
	}
}

/** The party type follows the concrete type (the model's `Default("P")` belongs to the Parties base). */
const PARTY_TYPE_BY_SET: Record<string, string> = {
	General_Contacts_Companies: 'Company',
	General_Contacts_Persons: 'Person',
	Logistics_Inventory_Stores: 'Store',
	General_Contacts_CompanyLocations: 'CompanyLocation',
	General_Contacts_CompanyDivisions: 'CompanyDivision',
};

export function applyTypeDefaults(set: EntitySetInfo, values: EntityRecord): void {
	const partyType = PARTY_TYPE_BY_SET[set.name];
	if (partyType && set.attributeByName.has('PartyType') && values.PartyType === undefined) values.PartyType = partyType;
}

function withoutMilliseconds(instant: number): string {
	return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function modelDefault(attribute: AttributeDefinition, now: number, timeZoneOffset: number): unknown {
	switch (attribute.defaultValueType) {
		case 'CurrentDate':
			return `${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`;
		case 'CurrentDateTime':
			return withoutMilliseconds(now + timeZoneOffset);
		case 'CurrentDateTimeUtc':
			return withoutMilliseconds(now);
		case 'Constant':
			if (attribute.type === 'Amount' && typeof attribute.defaultApiValue === 'number')
				return { Value: attribute.defaultApiValue, Currency: null };
			if (attribute.type === 'Quantity' && typeof attribute.defaultApiValue === 'number')
				return { Value: attribute.defaultApiValue, Unit: null };
			return attribute.defaultApiValue;
		default:
			return undefined;
	}
}

/** The back-end defaults of the model pages that the sandbox implements (auto numbers, derived values). */
export function applyBackEndDefaults(set: EntitySetInfo, values: EntityRecord, context: WriteContext): void {
	const has = (name: string) => values[name] !== undefined && values[name] !== null;
	if (set.referenceByName.has('EnterpriseCompany') && !has('EnterpriseCompany') && context.currentEnterpriseCompanyId) {
		values.EnterpriseCompany = referenceTo(
			set.referenceByName.get('EnterpriseCompany') as ReferenceDefinition,
			context.currentEnterpriseCompanyId,
		);
	}
	for (const name of ['DocumentNo', 'PartyCode']) {
		if (set.attributeByName.has(name) && !has(name)) values[name] = nextNumber(set, name, context);
	}
	for (const [name, step] of Object.entries(CONSECUTIVE_NUMBER_STEPS)) {
		if (set.attributeByName.has(name) && !has(name)) values[name] = nextLineNumber(set, name, values, context, step);
	}
	if (set.attributeByName.has('PartyName') && !has('PartyName')) {
		const partyName = derivedPartyName(values);
		if (partyName) values.PartyName = partyName;
	}
	if (set.attributeByName.has('ProductDescription') && !has('ProductDescription')) {
		const product = context.resolveReference(values.Product);
		if (product && isMultilanguageValue(product.Name)) values.ProductDescription = { ...product.Name };
	}
	if (set.attributeByName.has('EntityName') && !has('EntityName') && set.definition.table)
		values.EntityName = set.definition.table;
	if (set.attributeByName.has('CreationUser') && !has('CreationUser'))
		values.CreationUser = context.currentUser ?? 'sandbox';
	if (set.attributeByName.has('CreationTime') && !has('CreationTime'))
		values.CreationTime = withoutMilliseconds(transactionStart(context) + context.store.clock.timeZoneOffsetMs);
	if (set.attributeByName.has('QuantityBase') && !has('QuantityBase') && has('Quantity'))
		values.QuantityBase = values.Quantity;
	if (set.attributeByName.has('ApplyDate') && !has('ApplyDate') && has('DocumentDate'))
		values.ApplyDate = values.DocumentDate;
	applyDocumentDefaults(set, values, context);
}

function applyDocumentDefaults(set: EntitySetInfo, values: EntityRecord, context: WriteContext): void {
	const has = (name: string) => values[name] !== undefined && values[name] !== null;
	if (set.ownerReference && set.referenceByName.has('Document') && !has('Document')) {
		const ownerId = referenceId(values[set.ownerReference.name]);
		const documentReference = set.referenceByName.get('Document') as ReferenceDefinition;
		if (ownerId) values.Document = referenceTo(documentReference, ownerId);
	}
	if (set.referenceByName.has('FromParty') && !has('FromParty')) {
		const company = context.resolveReference(values.EnterpriseCompany);
		const partyId = company ? referenceId(company.Company) : undefined;
		if (partyId) values.FromParty = referenceTo(set.referenceByName.get('FromParty') as ReferenceDefinition, partyId);
	}
	if (set.referenceByName.has('MasterDocument') && !has('MasterDocument')) {
		// "If this is the root it is equal to Id": the id is fixed here so the reference can point to itself.
		values.Id = String(values.Id ?? randomUUID()).toLowerCase();
		values.MasterDocument = referenceTo(
			set.referenceByName.get('MasterDocument') as ReferenceDefinition,
			String(values.Id),
		);
	}
}

function derivedPartyName(values: EntityRecord): Record<string, string> | undefined {
	if (isMultilanguageValue(values.Name)) return { ...values.Name };
	const parts = ['FirstName', 'MiddleName', 'LastName'].map((name) => values[name]).filter(isMultilanguageValue);
	if (parts.length === 0) return undefined;
	const languages = new Set(parts.flatMap((part) => Object.keys(part)));
	return Object.fromEntries(
		[...languages].map((language) => [
			language,
			parts
				.map((part) => translate(part, language))
				.filter(Boolean)
				.join(' '),
		]),
	);
}

function nextNumber(set: EntitySetInfo, name: string, context: WriteContext): string {
	let highest = 0;
	for (const record of context.store.scan(set.name)) {
		const digits = String(attributeValue(set, record, name) ?? '').replace(/\D/g, '');
		if (digits.length > 0 && digits.length < 16) highest = Math.max(highest, Number(digits));
	}
	return String(highest + 1).padStart(6, '0');
}

/**
 * Numbers consecutive within the owner and their step, from the pages' "Back-End Default Expression":
 * `...Max() + 10` for ConditionNo (Systems.Bpm.UserBusinessRuleConditions), `+ 1` for ActionNo
 * (Systems.Bpm.UserBusinessRuleActions); LineNo and LineOrd step by 10.
 */
const CONSECUTIVE_NUMBER_STEPS: Record<string, number> = { LineNo: 10, LineOrd: 10, ConditionNo: 10, ActionNo: 1 };

function nextLineNumber(
	set: EntitySetInfo,
	name: string,
	values: EntityRecord,
	context: WriteContext,
	step: number,
): number {
	const ownerId = set.ownerReference ? referenceId(values[set.ownerReference.name]) : undefined;
	const siblings = ownerId ? context.store.childrenOf(set.name, ownerId) : [];
	const highest = siblings.reduce((max, sibling) => Math.max(max, Number(sibling[name] ?? 0)), 0);
	return highest + step;
}

export function checkRequired(set: EntitySetInfo, values: EntityRecord): void {
	const missing: string[] = [];
	for (const attribute of set.attributes) {
		// Read-only attributes are computed by the server; only what a client can send is demanded.
		const requiresInput =
			attribute.required && !attribute.readOnly && !attribute.system && attribute.name !== set.keyAttribute;
		if (requiresInput && (values[attribute.name] === undefined || values[attribute.name] === null))
			missing.push(attribute.name);
	}
	for (const reference of set.definition.references) {
		if (reference.required && !referenceId(values[reference.name])) missing.push(reference.name);
	}
	if (missing.length > 0) {
		throw new BusinessRuleError(
			`An error occurred while saving data to the database\r\nThe required attribute${missing.length > 1 ? 's' : ''} ${missing
				.map((name) => `'${name}'`)
				.join(', ')} of '${set.definition.repository}' must have a value.`,
		);
	}
}
