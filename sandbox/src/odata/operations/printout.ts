/**
 * GetPrintout(fileFormat?='pdf', printout?) on documents (Crm.Sales.SalesOrders "API Methods"): "Gets a
 * document printout as a file. The returned value is Base64 string representation of the file contents."
 * Return type `string`, so the OData JSON body of a primitive result: `{"@odata.context":"…#Edm.String",
 * "value":"<base64>"}` (DECISIONS.md). The language follows `culture`, the culture cookie or Accept-Language
 * (https://docs.erp.net/dev/domain-api/common-tasks/change-language.html). The rendering is the sandbox's own: the document's number, date, state,
 * party, lines and totals, deterministic for the same data and language.
 */
import type { EntityRecord } from '../../store/memory-store';
import { displayText, translate, isMultilanguageValue, type EntitySetInfo, spellOut } from '../model';
import { BusinessRuleError, NotSupportedError, ODataRequestError } from '../errors';
import { serializationContext } from '../request/contexts';
import { jsonResponse } from '../request/json';
import type { ODataResponse } from '../request/types';
import { parseQuery, splitQueryString, type SerializationContext } from '../query';
import type { OperationCall } from './types';
import type { EntityArgument } from './parameters';
import { renderPdf } from './render/pdf';
import { renderPng } from './render/png';

/** "The file format: pdf, html, xlsx, xls, docx, txt and png." */
export const PRINTOUT_FORMATS = ['pdf', 'html', 'xlsx', 'xls', 'docx', 'txt', 'png'] as const;
const RENDERED_FORMATS = new Set(['pdf', 'html', 'txt', 'png']);
/** Systems.Documents.Printouts (renamed from General.Printouts, https://docs.erp.net/model/reference/renames.html). */
const PRINTOUT_SET = 'Systems_Documents_Printouts';

type Labels = Record<
	| 'documentNo'
	| 'date'
	| 'state'
	| 'party'
	| 'line'
	| 'description'
	| 'quantity'
	| 'unitPrice'
	| 'amount'
	| 'total'
	| 'toPay'
	| 'void',
	string
>;

const LABELS: Record<string, Labels> = {
	EN: {
		documentNo: 'Document No',
		date: 'Date',
		state: 'State',
		party: 'Customer',
		line: 'Line',
		description: 'Description',
		quantity: 'Quantity',
		unitPrice: 'Unit price',
		amount: 'Amount',
		total: 'Total',
		toPay: 'Amount to pay',
		void: 'VOID',
	},
	DE: {
		documentNo: 'Belegnummer',
		date: 'Datum',
		state: 'Status',
		party: 'Kunde',
		line: 'Zeile',
		description: 'Beschreibung',
		quantity: 'Menge',
		unitPrice: 'Einzelpreis',
		amount: 'Betrag',
		total: 'Summe',
		toPay: 'Zu zahlen',
		void: 'STORNIERT',
	},
	BG: {
		documentNo: 'Номер',
		date: 'Дата',
		state: 'Състояние',
		party: 'Клиент',
		line: 'Ред',
		description: 'Описание',
		quantity: 'Количество',
		unitPrice: 'Ед. цена',
		amount: 'Сума',
		total: 'Общо',
		toPay: 'За плащане',
		void: 'АНУЛИРАН',
	},
};

interface PrintoutData {
	title: string;
	language: string;
	header: Array<[string, string]>;
	columns: string[];
	rows: string[][];
	totals: Array<[string, string]>;
	voided?: string;
}

function text(value: unknown, context: SerializationContext): string {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'object') return String(value);
	if ('@odata.id' in value) {
		const record = context.resolveReference(value);
		const located = record ? context.store.locate(String(record.Id)) : undefined;
		const set = located ? context.model.getSet(located.entitySet) : undefined;
		return record && set ? displayText(set, record, context) : '';
	}
	if ('Value' in value) {
		const { Value, Currency, Unit } = value as { Value: unknown; Currency?: unknown; Unit?: unknown };
		return [Value, Currency ?? Unit].filter((part) => part !== undefined && part !== null).join(' ');
	}
	return isMultilanguageValue(value) ? translate(value, context.language) : JSON.stringify(value);
}

function printoutData(set: EntitySetInfo, record: EntityRecord, context: SerializationContext): PrintoutData {
	const language = LABELS[context.language ?? 'EN'] ? (context.language ?? 'EN') : 'EN';
	const labels = LABELS[language];
	const typeName = text(record.DocumentType, context) || spellOut(set.definition.typeName.split('_').pop() ?? set.name);
	const party = record.Customer ?? record.ToParty;
	const header: Array<[string, string]> = [
		[labels.documentNo, text(record.DocumentNo, context)],
		[labels.date, String(record.DocumentDate ?? '').slice(0, 10)],
		[labels.state, text(record.State, context)],
	];
	if (party) header.push([labels.party, text(party, context)]);
	const child = set.childByName.get('Lines');
	const lines = child ? context.store.childrenOf(child.childSet, String(record.Id), child.ownerReference) : [];
	const rows = [...lines]
		.sort((left, right) => Number(left.LineNo ?? 0) - Number(right.LineNo ?? 0))
		.map((line) => [
			text(line.LineNo, context),
			text(line.ProductDescription ?? line.Product, context),
			text(line.Quantity, context),
			text(line.UnitPrice, context),
			text(line.LineAmount ?? line.LineCost, context),
		]);
	const totals: Array<[string, string]> = [];
	if (record.TotalLineAmount) totals.push([labels.total, text(record.TotalLineAmount, context)]);
	if (record.AmountToPay) totals.push([labels.toPay, text(record.AmountToPay, context)]);
	return {
		title: `${typeName} ${text(record.DocumentNo, context)}`.trim(),
		language,
		header,
		columns: [labels.line, labels.description, labels.quantity, labels.unitPrice, labels.amount],
		rows,
		totals,
		voided: record.Void === true ? `${labels.void}: ${text(record.VoidReason, context)}` : undefined,
	};
}

function textLines(data: PrintoutData): string[] {
	const widths = data.columns.map((column, index) =>
		Math.max(column.length, ...data.rows.map((row) => row[index].length)),
	);
	const row = (cells: string[]) =>
		cells
			.map((cell, index) => cell.padEnd(widths[index]))
			.join('  ')
			.trimEnd();
	return [
		data.title,
		...(data.voided ? [data.voided] : []),
		'',
		...data.header.map(([label, value]) => `${label}: ${value}`),
		'',
		row(data.columns),
		...data.rows.map(row),
		'',
		...data.totals.map(([label, value]) => `${label}: ${value}`),
	];
}

function escapeHtml(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function renderHtml(data: PrintoutData): string {
	const cells = (tag: string, values: string[]) =>
		values.map((value) => `<${tag}>${escapeHtml(value)}</${tag}>`).join('');
	return [
		'<!DOCTYPE html>',
		`<html lang="${data.language.toLowerCase()}"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title></head><body>`,
		`<h1>${escapeHtml(data.title)}</h1>`,
		...(data.voided ? [`<p class="void">${escapeHtml(data.voided)}</p>`] : []),
		`<dl>${data.header.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`,
		`<table><thead><tr>${cells('th', data.columns)}</tr></thead><tbody>`,
		...data.rows.map((row) => `<tr>${cells('td', row)}</tr>`),
		'</tbody></table>',
		`<dl>${data.totals.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`,
		'</body></html>',
		'',
	].join('\n');
}

export function renderPrintout(format: string, data: PrintoutData): Buffer {
	switch (format) {
		case 'pdf':
			return renderPdf(textLines(data));
		case 'png':
			return renderPng(textLines(data));
		case 'html':
			return Buffer.from(renderHtml(data), 'utf8');
		default:
			return Buffer.from(`${textLines(data).join('\r\n')}\r\n`, 'utf8');
	}
}

function checkPrintout(printout: unknown): void {
	if (printout === null || printout === undefined) return;
	const { entitySet } = printout as EntityArgument;
	if (entitySet !== PRINTOUT_SET) {
		throw new ODataRequestError(`The parameter 'printout' must reference ${PRINTOUT_SET}(<guid>); got '${entitySet}'.`);
	}
	// No printout definitions exist in the sandbox (Systems.Documents.Printouts has no model page here).
	throw new BusinessRuleError(
		`The printout '${PRINTOUT_SET}(${(printout as EntityArgument).id})' is not defined for this document type.`,
	);
}

export function getPrintout(call: OperationCall): ODataResponse {
	const { parameters, environment } = call;
	const format = String(parameters.fileFormat ?? 'pdf').toLowerCase();
	if (!(PRINTOUT_FORMATS as readonly string[]).includes(format)) {
		throw new BusinessRuleError(
			`The file format '${String(parameters.fileFormat)}' is not supported. Use one of: ${PRINTOUT_FORMATS.join(', ')}.`,
		);
	}
	checkPrintout(parameters.printout);
	if (!RENDERED_FORMATS.has(format)) {
		throw new NotSupportedError(
			`The sandbox renders printouts as pdf, html, txt and png only; '${format}' is not available.`,
		);
	}
	const located = environment.store.locate(String(call.record.Id));
	const set = (located && environment.model.getSet(located.entitySet)) || call.set;
	const context = serializationContext(environment, parseQuery(splitQueryString('')));
	const content = renderPrintout(format, printoutData(set, call.record, context));
	return jsonResponse(200, {
		'@odata.context': `${environment.serviceRoot}$metadata#Edm.String`,
		value: content.toString('base64'),
	});
}
