/**
 * The server-side validations the sandbox runs on commit. Failures are HTTP 500 with the ERP.net envelope
 * (https://docs.erp.net/dev/domain-api/data-manipulation/error-handling.html), worded like the real R17342 capture in https://docs.erp.net/dev/domain-api/data-manipulation/batch.html and the R27159
 * example in https://docs.erp.net/dev/domain-api/common-tasks/change-language.html.
 */
import { type EntityRecord, type MemoryStore, referenceId } from '../../store/memory-store';
import { BusinessRuleError } from '../errors';
import { DuplicateKeyError, validationFailure } from './errors';
import type { EvaluationContext } from '../query';
import { DOCUMENT_STATE_ORDINALS, type EntitySetInfo } from '../model';

/** What a rule may read: the values and, for uniqueness, the stored records. */
type RuleContext = EvaluationContext & { store: MemoryStore };
type Rule = (
	set: EntitySetInfo,
	record: EntityRecord,
	previous: EntityRecord | undefined,
	context: RuleContext,
) => void;

/** Runs every rule for a record about to be inserted (`previous` undefined) or updated. */
export function validateBusinessRules(
	set: EntitySetInfo,
	record: EntityRecord,
	previous: EntityRecord | undefined,
	context: RuleContext,
): void {
	for (const rule of RULES) rule(set, record, previous, context);
}

/** A customer's credit limit cannot be negative (null means "no limit", model page of Crm.Sales.Customers). */
const creditLimitNotNegative: Rule = (set, record) => {
	if (set.name !== 'Crm_Sales_Customers') return;
	const limit = record.CreditLimit as { Value?: unknown } | null | undefined;
	if (limit && typeof limit.Value === 'number' && limit.Value < 0) {
		throw validationFailure(
			'CustomerCreditLimitNotNegative',
			`The credit limit of customer '${String(record.Number ?? '')}' cannot be negative (${limit.Value}).`,
		);
	}
};

/** R27159 FromDateLessThanThruDate, with the English and Bulgarian texts of https://docs.erp.net/dev/domain-api/common-tasks/change-language.html. */
const customerFromDateBeforeThruDate: Rule = (set, record, _previous, context) => {
	if (set.name !== 'Crm_Sales_Customers' || !record.FromDate || !record.ThruDate) return;
	const from = new Date(String(record.FromDate));
	const thru = new Date(String(record.ThruDate));
	if (!(from.getTime() > thru.getTime())) return;
	if ((context.language ?? 'EN').toUpperCase() === 'BG') {
		throw new BusinessRuleError(
			`Грешка при записване.\r\n  Валидацията R27159: FromDateLessThanThruDate не е била успешна при събитие Commit: \r\n\r\nСтойността на полето 'От дата' ${bulgarianDateTime(from)} не трябва да надвишава стойността на полето 'До дата' ${bulgarianDateTime(thru)}. (Constraint R27159)`,
		);
	}
	throw new BusinessRuleError(
		`An error occurred while saving data to the database\r\n  The validation R27159: FromDateLessThanThruDate failed for event Commit: \r\n\r\nCustomer's From Date ${englishDateTime(from)} should not be greater than customer's Thru Date ${englishDateTime(thru)}. (Constraint R27159)`,
	);
};

/** .NET en-US `G` format: `1/1/2022 12:00:00 AM`. */
export function englishDateTime(date: Date): string {
	const hours = date.getUTCHours();
	const hour12 = hours % 12 === 0 ? 12 : hours % 12;
	const time = `${hour12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
	return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${time}`;
}

/** .NET bg-BG `G` format as in https://docs.erp.net/dev/domain-api/common-tasks/change-language.html: `1.01.2022 г. 0:00:00 ч.`. */
export function bulgarianDateTime(date: Date): string {
	const time = `${date.getUTCHours()}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
	return `${date.getUTCDate()}.${pad(date.getUTCMonth() + 1)}.${date.getUTCFullYear()} г. ${time} ч.`;
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}

const RELEASED_ORDINAL = DOCUMENT_STATE_ORDINALS.Released;

function isDocumentSet(set: EntitySetInfo): boolean {
	return set.name === 'General_Documents_Documents' || set.ancestors.includes('General_Documents_Documents');
}

/**
 * https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html: "documents on state Released or above can not be modified directly. They must
 * be modified with adjustment documents". Applies to the document and to its lines.
 */
const releasedDocumentsAreReadOnly: Rule = (set, record, previous, context) => {
	let document: EntityRecord | undefined;
	if (isDocumentSet(set)) document = previous;
	else if (set.ownerReference && isDocumentSet(context.model.getSet(set.ownerReference.targetSet) ?? set)) {
		const ownerId = referenceId((previous ?? record)[set.ownerReference.name]);
		document = ownerId
			? context.resolveReference({ '@odata.id': `${set.ownerReference.targetSet}(${ownerId})` })
			: undefined;
	}
	const state = document ? DOCUMENT_STATE_ORDINALS[String(document.State)] : undefined;
	if (state === undefined || state < RELEASED_ORDINAL) return;
	throw new BusinessRuleError(
		`The document '${String(document?.DocumentNo ?? '')}' is in state ${String(document?.State)} and cannot be modified directly. Documents on state Released or above must be modified with adjustment documents.`,
	);
};

/**
 * Members the model pages call unique: `Code` of a web hook and of a user business rule ("The unique code of the
 * WebHook/UserBusinessRule"), `ActionNo` and `ConditionNo` within their rule ("unique within the business rule").
 */
const UNIQUE_MEMBERS: Record<string, { attribute: string; withinOwner: boolean }> = {
	Systems_Config_WebHooks: { attribute: 'Code', withinOwner: false },
	Systems_Bpm_UserBusinessRules: { attribute: 'Code', withinOwner: false },
	Systems_Bpm_UserBusinessRuleActions: { attribute: 'ActionNo', withinOwner: true },
	Systems_Bpm_UserBusinessRuleConditions: { attribute: 'ConditionNo', withinOwner: true },
};

/** The duplicate-key failure of https://docs.erp.net/dev/domain-api/data-manipulation/error-handling.html (code 2129, its messageFormat). */
const uniqueMembers: Rule = (set, record, previous, context) => {
	const unique = UNIQUE_MEMBERS[set.name];
	const value = record[unique?.attribute ?? ''];
	if (!unique || value === undefined || value === null || (previous && previous[unique.attribute] === value)) return;
	const ownerName = set.ownerReference?.name;
	const ownerId = unique.withinOwner && ownerName ? referenceId(record[ownerName]) : undefined;
	const siblings = ownerId ? context.store.childrenOf(set.name, ownerId) : context.store.scan(set.name);
	for (const sibling of siblings) {
		if (sibling.Id === record.Id || sibling[unique.attribute] !== value) continue;
		const table = `dbo.${set.definition.table ?? set.name}`;
		const index = `IX_${set.definition.table ?? set.name}_${unique.attribute}`;
		throw new DuplicateKeyError(table, index, String(value));
	}
};

const RULES: Rule[] = [
	creditLimitNotNegative,
	customerFromDateBeforeThruDate,
	releasedDocumentsAreReadOnly,
	uniqueMembers,
];
