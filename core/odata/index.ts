/**
 * OData and ERP.net data as nodes use them: literals and entity ids, the model's types, stored attributes, dates,
 * multi-language values, output records and `$batch` parts. Files inside `core/` import the module they need
 * directly, never this index (so that no import runs in a circle through it).
 */
export type { BatchOperation } from './batchMultipart';
export { dateValue, isDateOnlyAttribute, isDateType } from './dates';
export { findInstructionKey } from './fieldData';
export { languageKey, withLanguage } from './language';
export { AMOUNT_OR_QUANTITY_TYPE, MULTILANGUAGE_TYPE, NUMERIC_TYPE } from './modelTypes';
export { outputRecord, shapeRecord } from './records';
export {
	StoredAttributeValueError,
	checkAllowedValue,
	isStoredAttribute,
	storedAttributeKind,
	storedAttributeValue,
} from './storedAttributes';
export {
	GUID_REGEX,
	entityId,
	entitySetOf,
	isGuid,
	joinList,
	parseEntityId,
	searchTerm,
	stringLiteral,
} from './syntax';
export type {
	ModelAttribute,
	ModelMethod,
	ModelMethodParameter,
	ModelReference,
	ModelRepository,
	ModelRepositoryDetails,
	ODataCollection,
} from './types';
