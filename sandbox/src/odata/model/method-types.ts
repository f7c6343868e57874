/**
 * EDM types of the model pages' "API Methods" (parameters and return types), shared by the JSON model
 * (`Methods`, https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html) and `$metadata` (bound Action/Function elements).
 */
import type { MethodDefinition, MethodParameterDefinition } from '../../schema/types';
import { EDM_NAMESPACE, type EntitySetInfo, type ModelIndex } from './model-index';

const PRIMITIVES: Record<string, string> = {
	string: 'Edm.String',
	boolean: 'Edm.Boolean',
	int16: 'Edm.Int16',
	int32: 'Edm.Int32',
	int64: 'Edm.Int64',
	decimal: 'Edm.Decimal',
	double: 'Edm.Double',
	guid: 'Edm.Guid',
	datetime: 'Edm.DateTimeOffset',
	date: 'Edm.DateTimeOffset',
};

/** `Crm_Sales_Customers` → `Crm_Sales_Customer` for sets outside the sandbox's model. */
export function singularOf(entitySet: string): string {
	if (entitySet.endsWith('ies')) return `${entitySet.slice(0, -3)}y`;
	if (entitySet.endsWith('sses') || entitySet.endsWith('xes')) return entitySet.slice(0, -2);
	return entitySet.endsWith('s') ? entitySet.slice(0, -1) : entitySet;
}

export function entityTypeOfSet(index: ModelIndex, entitySet: string): string {
	return index.getSet(entitySet)?.qualifiedType ?? `${EDM_NAMESPACE}.${singularOf(entitySet)}`;
}

/** `General.Documents.DocumentState` → `Erp.General_Documents_DocumentState` (as enum attributes are named). */
export function enumTypeOfParameter(parameter: MethodParameterDefinition): string {
	return `${EDM_NAMESPACE}.${parameter.type.split('.').join('_')}`;
}

export function parameterEdmType(index: ModelIndex, parameter: MethodParameterDefinition): string {
	if (parameter.kind === 'entity' && parameter.targetSet) return entityTypeOfSet(index, parameter.targetSet);
	if (parameter.kind === 'enum') return enumTypeOfParameter(parameter);
	return PRIMITIVES[parameter.type.toLowerCase()] ?? 'Edm.String';
}

/** `void`, `Edm.String`, the binding type for `EntityObject` (CreateCopy), `Collection(...)`. */
export function returnEdmType(index: ModelIndex, set: EntitySetInfo, method: MethodDefinition): string {
	if (method.returnType === 'void') return 'void';
	const itemName = method.returnType.replace(/^Collection Of /, '');
	let item: string;
	if (method.returnSet) item = entityTypeOfSet(index, method.returnSet);
	else if (itemName === 'EntityObject') item = set.qualifiedType;
	else if (PRIMITIVES[itemName.toLowerCase()]) item = PRIMITIVES[itemName.toLowerCase()];
	else item = `${EDM_NAMESPACE}.${itemName.split('.').pop() ?? itemName}`;
	return method.returnsCollection ? `Collection(${item})` : item;
}

/** The set that declares the method: EntityObject methods are bound to every root type, others to their repository's type. */
export function declaringSetName(method: MethodDefinition): string | undefined {
	return method.declaringType === 'EntityObject' ? undefined : method.declaringType.replace(/\./g, '_');
}
