import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	contextOptions,
	optionsCollection,
	recordIdLocator,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { decodePrintout, isPrintoutFormat, PRINTOUT_FORMATS, printoutFileName } from '../../helpers/printout';
import { erpNetApiRequest, odataUrl } from '../../../../core/transport';
import { contextHeaders } from '../../../../core/query';
import type { ItemOutcome } from '../node.type';
import type { CommonOptions } from '../entity/parameters';
import { recordTarget, stringParameter, timeoutMs } from '../entity/parameters';
import { referenceTo } from './shared';

interface GetPrintoutOptions extends CommonOptions {
	printout?: string;
	fileName?: string;
}

const properties: INodeProperties[] = [
	recordIdLocator,
	{
		displayName: 'File Format',
		name: 'fileFormat',
		type: 'options',
		options: Object.entries(PRINTOUT_FORMATS).map(([value, format]) => ({ name: format.label, value })),
		default: 'pdf',
		description: 'The format ERP.net renders the printout in',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
	optionsCollection([
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'e.g. invoice.pdf',
			description:
				"Name of the output file. Default: the document number and the format's extension, e.g. SO-000123.pdf.",
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'string',
			default: '',
			placeholder: 'e.g. de',
			description: "Language of the printout (sent as Accept-Language); ERP.net's default is English",
		},
		{
			displayName: 'Printout ID',
			name: 'printout',
			type: 'string',
			default: '',
			placeholder: 'e.g. f5229037-b420-46a4-81a0-f11f7d112879',
			description:
				'A printout defined for the document type (Systems_Documents_Printouts), by ID or entity ID. Empty ' +
				"uses the document type's default printout.",
		},
		...contextOptions,
		timeoutOption,
	]),
];

const displayOptions = {
	show: {
		resource: ['document'],
		operation: ['getPrintout'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * `POST Set(id)/GetPrintout {"fileFormat", "printout"?}`; the result is the file as base64
 * (https://docs.erp.net/dev/domain-api/common-tasks/change-language.html), output as an n8n binary property.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const { entitySet, id, resource, options } = recordTarget<GetPrintoutOptions>(this, itemIndex);
	const fileFormat = stringParameter.call(this, 'fileFormat', itemIndex, 'pdf').toLowerCase();
	if (!isPrintoutFormat(fileFormat)) {
		throw new NodeOperationError(this.getNode(), `"${fileFormat}" is not a printout format ERP.net offers`, {
			itemIndex,
			description: `Use one of: ${Object.keys(PRINTOUT_FORMATS).join(', ')}.`,
		});
	}
	const binaryPropertyName = stringParameter.call(this, 'binaryPropertyName', itemIndex, 'data').trim() || 'data';
	const body: IDataObject = { fileFormat };
	const printout = referenceTo.call(this, options.printout, 'Systems_Documents_Printouts', 'printout', itemIndex);
	if (printout) body.printout = printout;
	const headers = contextHeaders(this.getNode(), options, itemIndex);
	// Read first: a failed read leaves nothing behind, while GetPrintout records a DocumentPrint.
	const documentNo = options.fileName
		? ''
		: await readDocumentNo.call(this, resource, headers, itemIndex, timeoutMs(options));
	const response = (await erpNetApiRequest.call(this, {
		method: 'POST',
		url: await odataUrl.call(this, `${resource}/GetPrintout`),
		body,
		binary: true,
		headers: { ...headers, Accept: 'application/json, */*' },
		itemIndex,
		timeoutMs: timeoutMs(options),
		action: `get the printout of ${resource}`,
	})) as { body: ArrayBuffer | Uint8Array; headers: Record<string, string | undefined> };
	const decoded = decodePrintout(
		Buffer.from(response.body as ArrayBuffer),
		String(response.headers['content-type'] ?? ''),
	);
	if ('problem' in decoded) {
		throw new NodeOperationError(
			this.getNode(),
			`ERP.net's printout of ${resource} could not be read: ${decoded.problem}`,
			{
				itemIndex,
				description:
					'ERP.net returns printouts as base64 text; check that the instance URL points to an ERP.net instance.',
			},
		);
	}
	const fileName = options.fileName?.trim() || printoutFileName(documentNo, fileFormat, id);
	const binary = await this.helpers.prepareBinaryData(decoded.content, fileName, PRINTOUT_FORMATS[fileFormat].mimeType);
	const json: IDataObject = {
		id,
		entitySet,
		fileFormat,
		fileName,
		mimeType: binary.mimeType,
		fileSize: decoded.content.length,
	};
	if (documentNo) json.documentNo = documentNo;
	return { records: [], items: [{ json, binary: { [binaryPropertyName]: binary } }] };
}

async function readDocumentNo(
	this: IExecuteFunctions,
	resource: string,
	headers: IDataObject,
	itemIndex: number,
	timeout: number | undefined,
): Promise<string> {
	const record = (await erpNetApiRequest.call(this, {
		method: 'GET',
		url: await odataUrl.call(this, resource, { $select: 'DocumentNo' }),
		headers,
		itemIndex,
		timeoutMs: timeout,
		action: `read the number of ${resource}`,
	})) as IDataObject;
	return String(record?.DocumentNo ?? '');
}
