/** Body parsing: each member of a POST/PATCH body to a stored value (annotations.ts reads the annotations). */
import type { AttributeDefinition, ReferenceDefinition } from '../../schema/types';
import { conversionError, ODataRequestError } from '../errors';
import { type EntitySetInfo, convertStoredAttributeValue } from '../model';
import { convertAttributeValue } from './convert';
import { bindReference, resolveReferenceValue } from './references';
import type { JsonObject, ParsedBody, WriteContext } from './types';

const IGNORED_ANNOTATIONS = new Set([
	'@odata.type',
	'@odata.id',
	'@odata.context',
	'@odata.etag',
	'@erpnet.action',
	'@erpnet.findBy',
]);

export function parseBody(
	set: EntitySetInfo,
	object: JsonObject,
	context: WriteContext,
	mode: 'create' | 'update',
): ParsedBody {
	const parsed: ParsedBody = { values: {}, children: [] };
	for (const [name, value] of Object.entries(object)) {
		if (IGNORED_ANNOTATIONS.has(name)) continue;
		if (name.endsWith('@odata.bind')) {
			const referenceName = name.slice(0, -'@odata.bind'.length);
			const reference = set.referenceByName.get(referenceName);
			if (!reference) throw unknownProperty(referenceName, set);
			checkWritableReference(reference, set);
			parsed.values[referenceName] = bindReference(reference, value, context);
			continue;
		}
		if (name.includes('@')) continue;
		parseMember(set, name, value, context, mode, parsed);
	}
	return parsed;
}

function unknownProperty(name: string, set: EntitySetInfo): ODataRequestError {
	return new ODataRequestError(
		`The property '${name}' does not exist on type '${set.qualifiedType}'. Make sure to only use property names that are defined by the type.`,
	);
}

function parseMember(
	set: EntitySetInfo,
	name: string,
	value: unknown,
	context: WriteContext,
	mode: 'create' | 'update',
	parsed: ParsedBody,
): void {
	if (name === 'ObjectVersion') {
		if (typeof value !== 'number' || !Number.isInteger(value)) throw conversionError(value, 'Edm.Int32');
		parsed.objectVersion = value;
		return;
	}
	const attribute = set.attributeByName.get(name);
	if (attribute) {
		checkWritableAttribute(attribute, set, mode);
		parsed.values[name === set.keyAttribute ? 'Id' : name] = attribute.storedAttribute
			? convertStoredAttributeValue(attribute, value, context.store)
			: convertAttributeValue(attribute, value);
		return;
	}
	const reference = set.referenceByName.get(name);
	if (reference) {
		checkWritableReference(reference, set);
		parsed.values[name] = resolveReferenceValue(reference, value, context);
		return;
	}
	const child = set.childByName.get(name);
	if (child) {
		if (!Array.isArray(value) || value.some((item) => !item || typeof item !== 'object')) {
			throw new ODataRequestError(`The child collection '${name}' must be a JSON array of objects.`);
		}
		parsed.children.push({
			childSet: child.childSet,
			ownerReference: child.ownerReference,
			items: value as JsonObject[],
		});
		return;
	}
	throw unknownProperty(name, set);
}

function checkWritableAttribute(attribute: AttributeDefinition, set: EntitySetInfo, mode: 'create' | 'update'): void {
	const isKey = attribute.name === set.keyAttribute;
	if (isKey && mode === 'update') throw readOnlyError(attribute.name, set);
	if (!isKey && (attribute.readOnly || attribute.calculated)) throw readOnlyError(attribute.name, set);
}

function checkWritableReference(reference: ReferenceDefinition, set: EntitySetInfo): void {
	if (reference.readOnly) throw readOnlyError(reference.name, set);
}

function readOnlyError(name: string, set: EntitySetInfo): ODataRequestError {
	return new ODataRequestError(`The property '${name}' of type '${set.qualifiedType}' is read-only and cannot be set.`);
}
