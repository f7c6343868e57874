/** Currencies and units of Amount and Quantity values (https://docs.erp.net/dev/domain-api/data-manipulation/update-order.html). */
import type { ReferenceDefinition } from '../../schema/types';
import { referenceId, type EntityRecord } from '../../store/memory-store';
import { readMemberPath, type EntitySetInfo } from '../model';
import { BusinessRuleError } from '../errors';
import { findMatches } from './find';
import { referenceTo } from './references';
import type { WriteContext } from './types';

/**
 * A unit or currency stored in the same entity (`Unit: QuantityUnit`) is set from the code in the value;
 * one stored elsewhere (`Currency: SalesOrder.DocumentCurrency`) is not changed, and the code must match it.
 * A value sent without a code gets the effective one.
 */
export function reconcileUnits(
	set: EntitySetInfo,
	changes: EntityRecord,
	current: EntityRecord,
	context: WriteContext,
): void {
	for (const attribute of set.attributes) {
		const value = changes[attribute.name];
		if (
			(attribute.type !== 'Amount' && attribute.type !== 'Quantity') ||
			!attribute.unitExpression ||
			!value ||
			typeof value !== 'object'
		)
			continue;
		const complex = value as Record<string, unknown>;
		const unitField = attribute.type === 'Amount' ? 'Currency' : 'Unit';
		const path = attribute.unitExpression.split('?.').join('.').split('.');
		if (path.length === 1 && set.referenceByName.has(path[0])) {
			reconcileLocalUnit(set, attribute.name, complex, unitField, path[0], changes, current, context);
		} else {
			reconcileExternalUnit(set, attribute.name, complex, unitField, path, { ...current, ...changes }, context);
		}
	}
}

function codeOf(set: EntitySetInfo, record: EntityRecord, context: WriteContext): string | undefined {
	const member = set.definition.codeMember;
	const found = member ? readMemberPath(set, record, member.split('.'), context) : undefined;
	return typeof found?.value === 'string' ? found.value : undefined;
}

function reconcileLocalUnit(
	set: EntitySetInfo,
	attributeName: string,
	complex: Record<string, unknown>,
	unitField: string,
	referenceName: string,
	changes: EntityRecord,
	current: EntityRecord,
	context: WriteContext,
): void {
	const reference = set.referenceByName.get(referenceName) as ReferenceDefinition;
	const target = context.model.getSet(reference.targetSet);
	if (!target) return;
	const code = complex[unitField];
	if (typeof code !== 'string' || code === '') {
		const effective = context.resolveReference(changes[referenceName] ?? current[referenceName]);
		if (effective) complex[unitField] = codeOf(target, effective, context) ?? null;
		return;
	}
	const found = findMatches(target, { kind: 'Code', value: code }, context)[0];
	if (!found)
		throw new BusinessRuleError(
			`Cannot find an object of type '${target.qualifiedType}' with Code = '${code}' for '${attributeName}'.`,
		);
	const explicit = changes[referenceName];
	if (explicit !== undefined && explicit !== null && referenceId(explicit) !== String(found.Id)) {
		throw new BusinessRuleError(
			`'${referenceName}' and '${attributeName}.${unitField}' ('${code}') must refer to the same ${target.definition.repository.split('.').pop()} entry.`,
		);
	}
	changes[referenceName] = referenceTo(reference, String(found.Id));
	complex[unitField] = codeOf(target, found, context) ?? code;
}

function reconcileExternalUnit(
	set: EntitySetInfo,
	attributeName: string,
	complex: Record<string, unknown>,
	unitField: string,
	path: string[],
	record: EntityRecord,
	context: WriteContext,
): void {
	const holder = readMemberPath(set, record, path, context);
	const reference = holder?.set.referenceByName.get(path[path.length - 1]);
	const target = reference ? context.model.getSet(reference.targetSet) : undefined;
	const effectiveRecord = holder ? context.resolveReference(holder.value) : undefined;
	const effective = target && effectiveRecord ? codeOf(target, effectiveRecord, context) : undefined;
	if (!effective) return;
	const code = complex[unitField];
	if (typeof code === 'string' && code !== '' && code.toLowerCase() !== effective.toLowerCase()) {
		throw new BusinessRuleError(
			`The ${unitField.toLowerCase()} '${code}' of '${attributeName}' does not match '${effective}', the effective ${unitField.toLowerCase()} (${path.join('.')}). A ${unitField.toLowerCase()} stored in another entity cannot be changed through '${attributeName}'.`,
		);
	}
	complex[unitField] = effective;
}
