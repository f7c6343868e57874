/**
 * GetPrintout results. The model page says the action returns "Base64 string representation of the file
 * contents" (https://docs.erp.net/model/entities/General.Documents.html#getprintout); no response is published,
 * so every plausible form is accepted: the OData primitive wrapper `{"value":"<base64>"}`, a bare JSON string,
 * plain base64 text, or the file's own bytes with a file Content-Type.
 */

/** The formats the model page lists: "pdf, html, xlsx, xls, docx, txt and png". */
export const PRINTOUT_FORMATS = {
	pdf: { mimeType: 'application/pdf', label: 'PDF' },
	html: { mimeType: 'text/html', label: 'HTML' },
	xlsx: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel (XLSX)' },
	xls: { mimeType: 'application/vnd.ms-excel', label: 'Excel 97-2003 (XLS)' },
	docx: { mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word (DOCX)' },
	txt: { mimeType: 'text/plain', label: 'Text' },
	png: { mimeType: 'image/png', label: 'PNG Image' },
} as const;

export type PrintoutFormat = keyof typeof PRINTOUT_FORMATS;

const UNSAFE_FILE_NAME_CHARACTERS = '\\/:*?"<>|';
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;

export function isPrintoutFormat(value: string): value is PrintoutFormat {
	return Object.prototype.hasOwnProperty.call(PRINTOUT_FORMATS, value);
}

function isJsonContentType(contentType: string): boolean {
	return /json/i.test(contentType);
}

function isTextContentType(contentType: string): boolean {
	return contentType === '' || /^text\/plain/i.test(contentType);
}

/** The base64 text inside a JSON body: `{"value": "..."}` (OData) or `"..."`; undefined for any other JSON. */
function base64OfJson(text: string): string | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return undefined;
	}
	if (typeof parsed === 'string') return parsed;
	if (parsed && typeof parsed === 'object' && typeof (parsed as { value?: unknown }).value === 'string') {
		return (parsed as { value: string }).value;
	}
	return undefined;
}

export type DecodedPrintout = { content: Buffer } | { problem: string };

/** The file's bytes from the response body and its Content-Type; an empty file is a problem, never a 0-byte file. */
export function decodePrintout(body: Buffer, contentType: string): DecodedPrintout {
	const decoded = decodePrintoutBody(body, contentType);
	if ('content' in decoded && decoded.content.length === 0) return { problem: 'the printout is empty (0 bytes)' };
	return decoded;
}

function decodePrintoutBody(body: Buffer, contentType: string): DecodedPrintout {
	const type = contentType.split(';')[0].trim().toLowerCase();
	const text = body.toString('utf8');
	if (isJsonContentType(type) || (type === '' && /^\s*[{"]/.test(text))) {
		const base64 = base64OfJson(text);
		if (base64 === undefined) return { problem: 'the JSON response holds no "value" string' };
		if (!BASE64.test(base64)) return { problem: 'the "value" of the response is not base64' };
		return { content: Buffer.from(base64, 'base64') };
	}
	if (isTextContentType(type) && BASE64.test(text)) return { content: Buffer.from(text.trim(), 'base64') };
	return { content: body };
}

/** `SO-000123.pdf`; characters that file systems refuse become `_`. */
export function printoutFileName(documentNo: string, format: PrintoutFormat, fallback: string): string {
	const base = [...(documentNo.trim() || fallback)]
		.map((character) => (UNSAFE_FILE_NAME_CHARACTERS.includes(character) || character < ' ' ? '_' : character))
		.join('');
	return `${base}.${format}`;
}
