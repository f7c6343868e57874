/**
 * Bound methods of an entity set, as the instance's model lists them (`Methods` of
 * `GET /api/domain/currentmodel/{EntitySet}`, https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html):
 * actions are POSTed with a JSON body, functions called with GET and the OData parameter syntax
 * `Set(id)/Name(p1='text',p2=10)` (https://docs.erp.net/dev/domain-api/operations/index.html).
 */
import type { FieldType, IDataObject, ResourceMapperField } from 'n8n-workflow';

import type { ModelMethod, ModelMethodParameter } from '../../../core/odata';
import {
	dateValue,
	entityId,
	isDateType,
	isGuid,
	NUMERIC_TYPE,
	parseEntityId,
	stringLiteral,
} from '../../../core/odata';
import { EDM_FIELD_TYPES } from './fields';

/**
 * Methods never offered to the AI-tool variant: arbitrary code, bulk data and transaction control
 * (https://docs.erp.net/dev/domain-api/operations/index.html: ExecuteScript "Executes raw JavaScript in the domain
 * context"), and anything whose
 * name says it is administrative.
 */
const UNSAFE_METHODS = new Set([
	'ExecuteScript',
	'Import',
	'BeginTransaction',
	'EndTransaction',
	'CreateAdjustmentDocuments',
	'Reset',
]);
const UNSAFE_NAME = /script|admin|transaction|password|secret|permission|security/i;

export function isUnsafeMethod(name: string): boolean {
	return UNSAFE_METHODS.has(name) || UNSAFE_NAME.test(name);
}

/** The method's own parameters: the binding parameter (the record itself) is left out. */
export function methodParameters(method: ModelMethod, entityType?: string): ModelMethodParameter[] {
	const parameters = method.Parameters ?? [];
	return parameters.filter(
		(parameter, index) => !(index === 0 && (parameter.Name === 'bindingParameter' || parameter.Type === entityType)),
	);
}

function isEdm(type: string): boolean {
	return type.startsWith('Edm.');
}

export function methodParameterFieldType(type: string): FieldType {
	return EDM_FIELD_TYPES[type] ?? 'string';
}

/** `Erp.Systems_Security_User` → `Systems_Security_User`. */
function shortType(type: string): string {
	return type.replace(/^Erp\./, '');
}

/**
 * Resource-mapper fields for a method's parameters; none is marked required (the model does not say which are
 * optional).
 */
export function methodParameterFields(method: ModelMethod, entityType?: string): ResourceMapperField[] {
	return methodParameters(method, entityType).map((parameter) => {
		const type = parameter.Type ?? 'Edm.String';
		const hint = isEdm(type)
			? type.replace(/^Edm\./, '')
			: `${shortType(type)}: a record ID such as Set(<GUID>), or an enumeration value`;
		return {
			id: parameter.Name,
			displayName: `${parameter.Name} (${hint})`,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: methodParameterFieldType(type),
		};
	});
}

/**
 * A parameter value as the Domain API takes it: an entity ID (`Set(guid)`) becomes `{"@odata.id": ...}`
 * (https://docs.erp.net/dev/domain-api/common-tasks/create-notification.html), JSON objects pass through, anything else
 * is sent as given.
 */
export function methodArgument(value: unknown, type: string): unknown {
	if (isDateType(type)) return dateValue(value, type === 'Edm.Date');
	if (typeof value !== 'string' || isEdm(type)) return value;
	const text = value.trim();
	const parsed = parseEntityId(text);
	if (parsed) return { '@odata.id': entityId(parsed.entitySet, parsed.id) };
	if (text.startsWith('{')) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return value;
		}
	}
	return value;
}

/** An OData URL literal (OData 4.01 URL conventions, 5.1.1.6): strings quoted with `''` escaping. */
export function odataLiteral(value: unknown, type: string): string {
	if (value === null || value === undefined) return 'null';
	if (isDateType(type)) value = dateValue(value, type === 'Edm.Date');
	if (typeof value === 'boolean' || typeof value === 'number') return String(value);
	if (type === 'Edm.Guid' && typeof value === 'string' && isGuid(value)) return value;
	if (typeof value === 'object') {
		const odataId = (value as IDataObject)['@odata.id'];
		if (typeof odataId === 'string') return stringLiteral(odataId);
		return stringLiteral(JSON.stringify(value));
	}
	const text = String(value);
	if (NUMERIC_TYPE.test(type) && /^-?\d+(\.\d+)?$/.test(text)) return text;
	if (type === 'Edm.Boolean' && /^(true|false)$/i.test(text)) return text.toLowerCase();
	return stringLiteral(text);
}

/**
 * `Name(a='x',b=10)` with each literal percent-encoded: the function segment, in parameter order; parameters left empty
 * are omitted.
 */
export function functionSegment(method: ModelMethod, values: IDataObject, entityType?: string): string {
	const parts = methodParameters(method, entityType)
		.filter((parameter) => values[parameter.Name] !== undefined && values[parameter.Name] !== '')
		.map(
			(parameter) =>
				`${parameter.Name}=${encodeURIComponent(odataLiteral(values[parameter.Name], parameter.Type ?? 'Edm.String'))}`,
		);
	return `${method.Name}(${parts.join(',')})`;
}

/** The JSON body of an action: the given parameters, converted to what the Domain API takes. */
export function actionBody(method: ModelMethod, values: IDataObject, entityType?: string): IDataObject {
	const body: IDataObject = {};
	for (const parameter of methodParameters(method, entityType)) {
		const value = values[parameter.Name];
		if (value === undefined || value === '') continue;
		body[parameter.Name] = methodArgument(value, parameter.Type ?? 'Edm.String') as IDataObject[keyof IDataObject];
	}
	return body;
}
