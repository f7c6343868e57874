/**
 * The record fields of Create, Update and Upsert: read from the resource mapper or the JSON body, mapped values
 * refused when they carry instructions, and turned into the Domain API body the entity set's model allows.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ModelRepositoryDetails } from '../../../../core/odata';
import { findInstructionKey, StoredAttributeValueError } from '../../../../core/odata';
import { getEntitySetModelFor } from '../../../../core/transport';
import { toDomainApiBody } from '../../helpers/fields';

/**
 * The entity set's model for the given fields (stored attributes with their definitions, core/transport/model.ts)
 * and the Domain API body of the write; a value the model refuses fails the item before any request.
 */
export async function writeBody(
	this: IExecuteFunctions,
	entitySet: string,
	fields: IDataObject,
	language: string,
	itemIndex: number,
): Promise<{ model: ModelRepositoryDetails; body: IDataObject }> {
	const model = await getEntitySetModelFor.call(this, entitySet, Object.keys(fields), itemIndex, true);
	let body: IDataObject | undefined;
	let refusal = '';
	try {
		body = toDomainApiBody(fields, model, language);
	} catch (error) {
		// toDomainApiBody refuses only stored-attribute values (StoredAttributeValueError).
		refusal = error instanceof StoredAttributeValueError ? error.message : String(error);
	}
	if (body === undefined) {
		throw new NodeOperationError(this.getNode(), refusal, {
			itemIndex,
			description:
				'A stored attribute takes text, or {"Value": "...", "ValueId": "...", "Description": {...}} as ERP.net ' +
				'returns it.',
		});
	}
	return { model, body };
}

/** The record fields given on create/update: from the resource mapper or the JSON body. */
export function getRecordFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const inputMode = this.getNodeParameter('fieldsInput', itemIndex, 'mapper') as string;
	if (inputMode === 'json') {
		const raw = this.getNodeParameter('jsonBody', itemIndex, '{}') as unknown;
		const parsed = typeof raw === 'string' ? parseJsonBody.call(this, raw, itemIndex) : raw;
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
			throw new NodeOperationError(this.getNode(), 'The JSON must be one object, e.g. {"Number": "C0001"}', {
				itemIndex,
			});
		}
		return parsed as IDataObject;
	}
	const mappingMode = this.getNodeParameter('columns.mappingMode', itemIndex, 'defineBelow') as string;
	if (mappingMode === 'autoMapInputData') {
		const schema = this.getNodeParameter('columns.schema', itemIndex, []) as Array<{ id: string; removed?: boolean }>;
		const known = new Set(schema.filter((field) => !field.removed).map((field) => field.id));
		const input = this.getInputData()[itemIndex]?.json ?? {};
		return refuseInstructions.call(
			this,
			Object.fromEntries(Object.entries(input).filter(([key]) => known.has(key))),
			itemIndex,
		);
	}
	const values = this.getNodeParameter('columns.value', itemIndex, {}) as IDataObject;
	return refuseInstructions.call(
		this,
		Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined)),
		itemIndex,
	);
}

/** Mapped values are data: an `@erpnet.*`/`@odata.*` key in a field name or inside a value fails the item. */
function refuseInstructions(this: IExecuteFunctions, fields: IDataObject, itemIndex: number): IDataObject {
	for (const [name, value] of Object.entries(fields)) {
		const found = name.includes('@')
			? name
			: findInstructionKey(typeof value === 'string' ? jsonObjectOf(value) : value);
		if (found) {
			throw new NodeOperationError(
				this.getNode(),
				`The value of ${name} contains "${found}", which ERP.net would run as an instruction`,
				{
					itemIndex,
					description:
						'Mapped field values are data: @erpnet.* and @odata.* keys are refused, so that input data cannot ' +
						'create, delete or re-target records. To send such annotations on purpose, use "Fields Input: ' +
						'JSON".',
				},
			);
		}
	}
	return fields;
}

function jsonObjectOf(text: string): unknown {
	if (!/^\s*[[{]/.test(text)) return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function parseJsonBody(this: IExecuteFunctions, raw: string, itemIndex: number): unknown {
	try {
		return JSON.parse(raw) as unknown;
	} catch (error) {
		throw new NodeOperationError(this.getNode(), 'The JSON is not valid', {
			itemIndex,
			description: (error as Error).message,
		});
	}
}
