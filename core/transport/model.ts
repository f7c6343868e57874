import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	STORED_ATTRIBUTE_PREFIX,
	escapePropertyCode,
	isStoredAttribute,
	isStoredAttributeName,
	storedAttributeName,
} from '../odata/storedAttributes';
import { entityId, parseEntityId, stringLiteral } from '../odata/syntax';
import type {
	ModelAttribute,
	ModelRepository,
	ModelRepositoryDetails,
	ODataCollection,
	StoredAttributeDefinition,
} from '../odata/types';
import { erpNetApiRequest } from './request';
import type { ErpNetFunctions } from './types';
import { apiUrl, assertEntitySetName, odataUrl } from './urls';

const detailsByContext = new WeakMap<object, Map<string, Promise<ModelRepositoryDetails>>>();

/** The instance's repositories, compact form (`GET /api/domain/currentmodel`,
 * https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html). */
export async function getModelRepositories(this: ErpNetFunctions): Promise<ModelRepository[]> {
	const response = await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await apiUrl.call(this, 'currentmodel'),
		action: 'read the instance model',
	});
	return Array.isArray(response) ? (response as ModelRepository[]) : [];
}

/** One repository in detail (`GET /api/domain/currentmodel/{EntitySet}`), fetched once per execution. */
export async function getEntitySetModel(
	this: ErpNetFunctions,
	entitySet: string,
	itemIndex?: number,
): Promise<ModelRepositoryDetails> {
	assertEntitySetName(this.getNode(), entitySet, itemIndex);
	return await cachedPerContext(
		detailsByContext,
		this,
		entitySet,
		async () =>
			(await erpNetApiRequest.call(this, {
				method: 'GET',
				url: await apiUrl.call(this, `currentmodel/${entitySet}`),
				itemIndex,
				action: `read the model of ${entitySet}`,
			})) as ModelRepositoryDetails,
	);
}

/** One promise per context (execution or editor request) and key; a failed one is forgotten, so it is tried again. */
async function cachedPerContext<T>(
	caches: WeakMap<object, Map<string, Promise<T>>>,
	context: object,
	key: string,
	read: () => Promise<T>,
): Promise<T> {
	let cache = caches.get(context);
	if (!cache) {
		cache = new Map();
		caches.set(context, cache);
	}
	let value = cache.get(key);
	if (!value) {
		value = read();
		value.catch(() => cache?.delete(key));
		cache.set(key, value);
	}
	return await value;
}

// ---------------------------------------------------------------------------------------------------------
// Stored attributes (https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html)

/**
 * How long after `/api/domain/reset` the node does not ask an instance to reset again. ERP.net caches an
 * instance's model "until the next restart" and a reset re-reads it for every user of the instance, so the node
 * resets only when a stored attribute it needs is defined but missing, and then at most once per minute.
 */
export const MODEL_RESET_INTERVAL_MS = 60_000;

const lastResetByInstance = new Map<string, number>();
const definitionsByContext = new WeakMap<object, Promise<StoredAttributeDefinition[]>>();
const fieldsByContext = new WeakMap<object, Map<string, Promise<ModelRepositoryDetails>>>();

/** Forgets the reset times (tests). */
export function forgetModelResets(): void {
	lastResetByInstance.clear();
}

/**
 * The model of one entity set with each stored attribute's definition (`StoredAttribute`: code, name, allowed
 * values or the entity its values come from). A definition of this set that the model does not show yet (created
 * after ERP.net last read its model) makes the node reset the instance's model (bounded, see
 * MODEL_RESET_INTERVAL_MS) and read it again. Every field consumer (Fields to Return, Conditions, the resource
 * mapper, writes, Summarize) gets stored attributes this way.
 */
export async function getEntitySetFields(
	this: ErpNetFunctions,
	entitySet: string,
	itemIndex?: number,
): Promise<ModelRepositoryDetails> {
	return await cachedPerContext(
		fieldsByContext,
		this,
		entitySet,
		async () => await readEntitySetFields.call(this, entitySet, itemIndex),
	);
}

async function readEntitySetFields(
	this: ErpNetFunctions,
	entitySet: string,
	itemIndex?: number,
): Promise<ModelRepositoryDetails> {
	let model = await getEntitySetModel.call(this, entitySet, itemIndex);
	const definitions = (await storedAttributeDefinitions.call(this, itemIndex)).filter((definition) =>
		definesFor(definition, model),
	);
	const missing = definitions.filter((definition) => !attributeOfDefinition(model, definition));
	if (missing.length > 0 && (await resetInstanceModel.call(this, itemIndex))) {
		model = await rereadEntitySetModel.call(this, entitySet, itemIndex);
	}
	return await withDefinitions.call(this, model, definitions, itemIndex);
}

/**
 * The model for an operation that names fields (select, conditions, written fields). A stored attribute the model
 * does not know is looked for among the definitions: when it is defined, the instance's model is reset (bounded)
 * and read again; when it is still unknown, the item fails with what to do. `withDefinitions` (writes) adds the
 * stored attributes' definitions as getEntitySetFields does.
 */
export async function getEntitySetModelFor(
	this: ErpNetFunctions,
	entitySet: string,
	fieldNames: string[],
	itemIndex?: number,
	withDefinitions = false,
): Promise<ModelRepositoryDetails> {
	const stored = fieldNames.filter(isStoredAttributeName);
	const complete = async () => (withDefinitions ? await getEntitySetFields.call(this, entitySet, itemIndex) : model);
	let model = await getEntitySetModel.call(this, entitySet, itemIndex);
	if (stored.length === 0) return model;
	const known = (name: string) => (model.Attributes ?? []).some((attribute) => attribute.Name === name);
	if (stored.every(known)) return await complete();
	const definitions = await storedAttributeDefinitions.call(this, itemIndex);
	const defined = stored.filter(
		(name) => !known(name) && definitions.some((definition) => namesOf(definition).includes(name)),
	);
	if (defined.length > 0 && (await resetInstanceModel.call(this, itemIndex))) {
		model = await rereadEntitySetModel.call(this, entitySet, itemIndex);
	}
	const unknown = stored.find((name) => !known(name));
	if (unknown) throw unknownStoredAttribute(this.getNode(), entitySet, unknown, defined.includes(unknown), itemIndex);
	return await complete();
}

function unknownStoredAttribute(node: INode, entitySet: string, name: string, defined: boolean, itemIndex?: number) {
	return new NodeOperationError(node, `${entitySet} has no stored attribute ${name}`, {
		itemIndex,
		description: defined
			? 'It is defined in Systems_Bpm_CustomProperties, but ERP.net does not expose it yet. The node asked ERP.net to ' +
				'refresh its model (/api/domain/reset) less than a minute ago; try again in a minute.'
			: 'No active stored attribute with this name is defined (Systems_Bpm_CustomProperties). Check the code: ' +
				'the name is CustomProperty_ followed by the code, with characters other than A-Z, a-z, 0-9 and _ escaped ' +
				'(e.g. "color.name" → CustomProperty_color_u002Ename).',
	});
}

async function rereadEntitySetModel(
	this: ErpNetFunctions,
	entitySet: string,
	itemIndex?: number,
): Promise<ModelRepositoryDetails> {
	detailsByContext.get(this)?.delete(entitySet);
	fieldsByContext.get(this)?.delete(entitySet);
	return await getEntitySetModel.call(this, entitySet, itemIndex);
}

/**
 * `GET /api/domain/reset` at most once per MODEL_RESET_INTERVAL_MS per instance; false when it was skipped or failed.
 */
async function resetInstanceModel(this: ErpNetFunctions, itemIndex?: number): Promise<boolean> {
	const url = await apiUrl.call(this, 'reset');
	const last = lastResetByInstance.get(url);
	if (last !== undefined && Date.now() - last < MODEL_RESET_INTERVAL_MS) return false;
	lastResetByInstance.set(url, Date.now());
	try {
		await erpNetApiRequest.call(this, { method: 'GET', url, itemIndex, action: 'refresh the instance model' });
		return true;
	} catch {
		// Without the right to reset, the model stays as ERP.net exposes it.
		return false;
	}
}

/** Active definitions (`Systems_Bpm_CustomProperties`), once per execution; none when the user may not read them. */
async function storedAttributeDefinitions(
	this: ErpNetFunctions,
	itemIndex?: number,
): Promise<StoredAttributeDefinition[]> {
	let definitions = definitionsByContext.get(this);
	if (!definitions) {
		definitions = readDefinitions.call(this, itemIndex).catch(() => []);
		definitionsByContext.set(this, definitions);
	}
	return await definitions;
}

async function readDefinitions(this: ErpNetFunctions, itemIndex?: number): Promise<StoredAttributeDefinition[]> {
	const response = (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await odataUrl.call(this, 'Systems_Bpm_CustomProperties', {
			$select: 'Id,Code,Name,EntityName,LimitToAllowedValues,AllowedValuesEntityName,PropertyType,MaskLength',
			$filter: 'IsActive eq true',
			$top: DEFINITIONS_PAGE,
		}),
		itemIndex,
		action: 'read the stored attribute definitions',
	})) as ODataCollection;
	return (response.value ?? []).map((record) => ({
		Id: String(record.Id),
		Code: String(record.Code),
		Name: textOf(record.Name),
		EntityName: typeof record.EntityName === 'string' ? record.EntityName : undefined,
		LimitToAllowedValues: record.LimitToAllowedValues === true,
		AllowedValuesEntityName: typeof record.AllowedValuesEntityName === 'string' ? record.AllowedValuesEntityName : null,
		PropertyType: typeof record.PropertyType === 'string' ? record.PropertyType : undefined,
		MaskLength: typeof record.MaskLength === 'number' ? record.MaskLength : null,
	}));
}

/** Definitions and allowed values are read in one page each: instances define tens of them, not thousands. */
const DEFINITIONS_PAGE = 1000;

function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (!value || typeof value !== 'object') return undefined;
	const texts = value as Record<string, unknown>;
	const text = texts.EN ?? texts.en ?? Object.values(texts).find((candidate) => typeof candidate === 'string');
	return typeof text === 'string' ? text : undefined;
}

/** `EntityName` as the docs write it (`Crm_Sales_Customers`) or in repository form (`Crm.Sales.Customers`). */
function definesFor(definition: StoredAttributeDefinition, model: ModelRepositoryDetails): boolean {
	const entityName = definition.EntityName?.replace(/\./g, '_');
	return (
		entityName !== undefined && (entityName === model.Name || entityName === model.RepositoryName?.replace(/\./g, '_'))
	);
}

/**
 * The attribute names a code may have: the docs' escaping, and (stored-attributes.html says "letters", not only
 * A-Z) the same with other letters and digits kept.
 */
function namesOf(definition: StoredAttributeDefinition): string[] {
	const strict = storedAttributeName(definition.Code);
	const lenient = `${STORED_ATTRIBUTE_PREFIX}${[...definition.Code]
		.map((character) => (/^[\p{L}\p{Nd}]$/u.test(character) ? character : escapePropertyCode(character)))
		.join('')}`;
	return strict === lenient ? [strict] : [strict, lenient];
}

function attributeOfDefinition(
	model: ModelRepositoryDetails,
	definition: StoredAttributeDefinition,
): ModelAttribute | undefined {
	const names = namesOf(definition);
	return (model.Attributes ?? []).find((attribute) => names.includes(attribute.Name));
}

/** A copy of the model whose stored attributes carry their definitions, with allowed values. */
async function withDefinitions(
	this: ErpNetFunctions,
	model: ModelRepositoryDetails,
	definitions: StoredAttributeDefinition[],
	itemIndex?: number,
): Promise<ModelRepositoryDetails> {
	const matched = new Map<string, StoredAttributeDefinition>();
	for (const definition of definitions) {
		const attribute = attributeOfDefinition(model, definition);
		if (attribute && isStoredAttribute(attribute)) matched.set(attribute.Name, definition);
	}
	if (matched.size === 0) return model;
	const allowed = await allowedValuesOf.call(this, [...matched.values()], itemIndex);
	return {
		...model,
		Attributes: (model.Attributes ?? []).map((attribute) => {
			const definition = matched.get(attribute.Name);
			if (!definition) return attribute;
			const values = allowed.get(definition.Id);
			return { ...attribute, StoredAttribute: values ? { ...definition, AllowedValues: values } : definition };
		}),
	};
}

/**
 * Active allowed values (`Systems_Bpm_CustomPropertyAllowedValues`) of the definitions whose values are not another
 * entity's.
 */
async function allowedValuesOf(
	this: ErpNetFunctions,
	definitions: StoredAttributeDefinition[],
	itemIndex?: number,
): Promise<Map<string, NonNullable<StoredAttributeDefinition['AllowedValues']>>> {
	const result = new Map<string, NonNullable<StoredAttributeDefinition['AllowedValues']>>();
	const own = definitions.filter((definition) => !definition.AllowedValuesEntityName);
	if (own.length === 0) return result;
	const properties = own
		.map((definition) => stringLiteral(entityId('Systems_Bpm_CustomProperties', definition.Id)))
		.join(',');
	let response: ODataCollection;
	try {
		response = (await erpNetApiRequest.call(this, {
			method: 'GET',
			url: await odataUrl.call(this, 'Systems_Bpm_CustomPropertyAllowedValues', {
				$select: 'Id,PropertyAllowedValueField,Description,Property',
				$filter: `Active eq true and Property in (${properties})`,
				$top: DEFINITIONS_PAGE,
			}),
			itemIndex,
			action: 'read the allowed values of stored attributes',
		})) as ODataCollection;
	} catch {
		return result;
	}
	for (const record of response.value ?? []) {
		const property = record.Property as { '@odata.id'?: string } | null;
		const propertyId = parseEntityId(String(property?.['@odata.id'] ?? ''))?.id;
		if (!propertyId) continue;
		const values = result.get(propertyId) ?? [];
		values.push({
			Value: String(record.PropertyAllowedValueField),
			ValueId: String(record.Id).toLowerCase(),
			Description: textOf(record.Description),
		});
		result.set(propertyId, values);
	}
	return result;
}
