import { decodePrintout, printoutFileName } from '../../../../nodes/ErpNet/helpers/printout';

const pdf = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');

describe('decodePrintout', () => {
	it('should decode the OData value, a bare JSON string and plain base64 text', () => {
		const base64 = pdf.toString('base64');
		expect(
			decodePrintout(
				Buffer.from(JSON.stringify({ '@odata.context': 'x#Edm.String', value: base64 })),
				'application/json;odata.metadata=minimal',
			),
		).toEqual({ content: pdf });
		expect(decodePrintout(Buffer.from(JSON.stringify(base64)), 'application/json')).toEqual({ content: pdf });
		expect(decodePrintout(Buffer.from(base64), 'text/plain')).toEqual({ content: pdf });
	});

	it('should keep a raw file body as it is', () => {
		expect(decodePrintout(pdf, 'application/pdf')).toEqual({ content: pdf });
	});

	it('should report JSON without a base64 value and an empty body', () => {
		expect(decodePrintout(Buffer.from('{"value":42}'), 'application/json')).toHaveProperty('problem');
		expect(decodePrintout(Buffer.from('{"value":"not base64!"}'), 'application/json')).toHaveProperty('problem');
		expect(decodePrintout(Buffer.alloc(0), 'application/pdf')).toHaveProperty('problem');
	});
});

describe('printoutFileName', () => {
	it('should name the file after the document number, replacing characters file systems refuse', () => {
		expect(printoutFileName('SO-000123', 'pdf', 'id')).toBe('SO-000123.pdf');
		expect(printoutFileName('2026/01:7', 'png', 'id')).toBe('2026_01_7.png');
		expect(printoutFileName('  ', 'txt', 'abc')).toBe('abc.txt');
	});
});
