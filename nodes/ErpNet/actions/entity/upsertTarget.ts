import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ModelRepositoryDetails, ODataCollection } from '../../../../core/odata';
import { stringLiteral } from '../../../../core/odata';
import { erpNetApiRequest, odataUrl } from '../../../../core/transport';

/*
 * Create or Update with a multi-language field given as plain text. ERP.net's merge sets "the entire
 * multi-language value" of a found record (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html),
 * and "all pairs are updated simultaneously"
 * (https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html): sending {"EN": text} would erase
 * the record's other languages. So the record the merge would find is read first, by the same criterion; when it
 * exists, the item is sent as an update of that record with all its pairs and the ObjectVersion read.
 */

export type MatchBy = 'Code' | 'ExternalId' | 'Id';

export interface UpsertMatch {
	matchBy: MatchBy;
	value: string;
	externalSystem?: string;
}

/**
 * The attribute `@erpnet.findBy: {Code}` searches: the one the model marks `String_Code`
 * (https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html).
 */
export function codeAttribute(model: ModelRepositoryDetails): string | undefined {
	const codes = (model.Attributes ?? []).filter((attribute) => attribute.BaseInfo?.Subtype === 'String_Code');
	return codes.length === 1 ? codes[0].Name : undefined;
}

function isWritable(model: ModelRepositoryDetails, name: string): boolean {
	return (model.Attributes ?? []).some(
		(attribute) => attribute.Name === name && !attribute.ReadOnly && attribute.SupportsSet !== false,
	);
}

/**
 * The match value as the record's own fields. ERP.net's merge creates the record it does not find "populated with
 * the provided data properties" only (https://docs.erp.net/dev/domain-api/data-manipulation/erpnet-action.html), not
 * with `@erpnet.findBy`: without these every run would add a record with an empty code or ExternalId. `Id` only
 * where the model lets a client set it.
 */
export function matchFields(match: UpsertMatch, model: ModelRepositoryDetails): IDataObject {
	const fields: IDataObject = {};
	if (match.matchBy === 'ExternalId') {
		if (isWritable(model, 'ExternalId')) fields.ExternalId = match.value;
		if (match.externalSystem && isWritable(model, 'ExternalSystem')) fields.ExternalSystem = match.externalSystem;
	} else if (match.matchBy === 'Id') {
		if (isWritable(model, 'Id')) fields.Id = match.value;
	} else {
		const code = codeAttribute(model);
		if (code !== undefined && isWritable(model, code)) fields[code] = match.value;
	}
	return fields;
}

function isGiven(value: unknown): boolean {
	return value !== undefined && value !== null && String(value).trim() !== '';
}

/**
 * The given fields with the match fields added. A field the user also gives must hold the match value (ERP.net
 * compares codes and external IDs without regard to case); another value fails the item, as the record would
 * otherwise be found by one value and saved with another.
 */
export function withMatchFields(
	this: IExecuteFunctions,
	body: IDataObject,
	fields: IDataObject,
	match: IDataObject,
	itemIndex: number,
): IDataObject {
	const result = { ...body };
	for (const [name, value] of Object.entries(match)) {
		const given = fields[name];
		if (!isGiven(given)) {
			result[name] = value;
			continue;
		}
		if (String(given).trim().toLowerCase() !== String(value).toLowerCase()) {
			throw new NodeOperationError(
				this.getNode(),
				`${name} is "${String(given)}", but Value to Match is "${String(value)}"`,
				{
					itemIndex,
					description:
						`Create or Update saves the value it matches by into ${name}. ` +
						`Leave ${name} out of the fields, or give it the same value as Value to Match.`,
				},
			);
		}
	}
	return result;
}

function matchFilter(match: UpsertMatch, model: ModelRepositoryDetails): string | undefined {
	if (match.matchBy === 'Id') return `Id eq ${match.value}`;
	if (match.matchBy === 'ExternalId') {
		const system = match.externalSystem ? ` and ExternalSystem eq ${stringLiteral(match.externalSystem)}` : '';
		return `ExternalId eq ${stringLiteral(match.value)}${system}`;
	}
	const code = codeAttribute(model);
	return code === undefined ? undefined : `${code} eq ${stringLiteral(match.value)}`;
}

/**
 * The record Create or Update would change (its `Id`, `ObjectVersion` and the given multi-language fields), or
 * `undefined` when none matches and the merge will create one. Fails the item when it cannot tell which record
 * it is (no single code attribute in the model, or more than one match), rather than risk erasing languages.
 */
export async function readMergeTarget(
	this: IExecuteFunctions,
	entitySet: string,
	model: ModelRepositoryDetails,
	match: UpsertMatch,
	names: string[],
	headers: IDataObject,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const filter = matchFilter(match, model);
	const asJson =
		`Give ${names.join(', ')} as a JSON object with every language (e.g. {"EN": "Text", "BG": ` +
		'"Текст"}), or match by ID or External ID.';
	if (filter === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`Cannot tell which attribute of ${entitySet} is its code, so ${names.join(', ')} given as plain text ` +
				'could erase its other languages',
			{
				itemIndex,
				description:
					'A plain text changes one language of an existing record, which needs that record read first. ' + asJson,
			},
		);
	}
	const response = (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await odataUrl.call(this, entitySet, {
			$filter: filter,
			$top: 2,
			$select: ['Id', 'ObjectVersion', ...names].join(','),
		}),
		headers,
		itemIndex,
		action: `find the ${entitySet} record with ${match.matchBy} ${match.value}`,
	})) as ODataCollection | undefined;
	const found = response?.value ?? [];
	if (found.length > 1) {
		throw new NodeOperationError(
			this.getNode(),
			`More than one ${entitySet} record has ${match.matchBy} "${match.value}"`,
			{
				itemIndex,
				description:
					`ERP.net would update only one of them, and ${names.join(', ')} given as plain text needs to know which. ` +
					`${asJson}`,
			},
		);
	}
	return found[0];
}
