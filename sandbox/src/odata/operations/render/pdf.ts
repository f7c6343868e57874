/**
 * A one-page PDF 1.4 of monospaced text lines (Courier, WinAnsiEncoding), written byte by byte with a
 * correct cross-reference table. Deterministic: no dates, no ids.
 */
import { toLatin } from './transliterate';

const FONT_SIZE = 10;
const LEADING = 13;
const MARGIN = 50;
const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;

function escapePdfText(text: string): string {
	return toLatin(text).replace(/[\\()]/g, (character) => `\\${character}`);
}

export function renderPdf(lines: string[]): Buffer {
	const visible = lines.slice(0, Math.floor((PAGE_HEIGHT - 2 * MARGIN) / LEADING));
	const text = [
		'BT',
		`/F1 ${FONT_SIZE} Tf`,
		`${LEADING} TL`,
		`${MARGIN} ${PAGE_HEIGHT - MARGIN} Td`,
		...visible.map((line) => `(${escapePdfText(line)}) '`),
		'ET',
	].join('\n');
	const content = Buffer.from(text, 'latin1');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>',
		`<< /Length ${content.length} >>\nstream\n${content.toString('latin1')}\nendstream`,
	];
	let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	objects.forEach((object, index) => {
		offsets.push(Buffer.byteLength(body, 'latin1'));
		body += `${index + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xrefOffset = Buffer.byteLength(body, 'latin1');
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}
