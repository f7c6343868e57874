import { readFileSync } from 'fs';
import { join } from 'path';

import { boundaryOf, buildBatchBody, parseBatchResponse } from '../../../core/odata/batchMultipart';

// The real $batch response captured from testdb.my.erp.net in ERP.net's docs
// (domain-api/data-manipulation/batch.md; ErpNetDocs/dev, CC BY 4.0).
const capture = readFileSync(join(__dirname, '../../fixtures/batch-response.capture.txt'), 'utf8');
const captureContentType = 'multipart/mixed; boundary=batchresponse_cd29f967-a9ef-43db-ad37-7d815c56fdf3';

describe('$batch helpers', () => {
	it('should parse the real ERP.net batch response capture, changesets flattened in order', () => {
		for (const text of [capture, capture.replace(/\n/g, '\r\n')]) {
			const { parts, complete, entryCount } = parseBatchResponse(text, captureContentType);
			expect(complete).toBe(true);
			expect(entryCount).toBe(3);
			expect(parts.map((part) => part.status)).toEqual([200, 200, 500]);
			expect(parts[2].contentId).toBe('1');
			expect((parts[0].body as { value: unknown[] }).value).toHaveLength(2);
			expect((parts[0].body as { value: Array<{ Name: { BG: string } }> }).value[0].Name.BG).toBe('Мито');
			expect((parts[2].body as { error: { code: number; message: string } }).error).toMatchObject({
				code: 2029,
				message: expect.stringContaining('R17342'),
			});
		}
	});

	it('should keep the answers that arrived whole when the response is cut off, and say it is incomplete', () => {
		const cut = capture.slice(0, capture.indexOf('"code":2029'));
		const { parts, complete, entryCount } = parseBatchResponse(cut, captureContentType);
		expect(complete).toBe(false);
		expect(entryCount).toBe(2);
		expect(parts.map((part) => part.status)).toEqual([200, 200]);
	});

	it('should read no answer, incomplete, from a body that is not multipart', () => {
		for (const contentType of ['text/html', captureContentType]) {
			expect(parseBatchResponse('<html><body>502 Bad Gateway</body></html>', contentType)).toEqual({
				parts: [],
				entryCount: 0,
				complete: false,
			});
		}
	});

	it('should read quoted and unquoted boundaries', () => {
		expect(boundaryOf('multipart/mixed; boundary="b 1"')).toBe('b 1');
		expect(boundaryOf('multipart/mixed;boundary=batch_1; charset=utf-8')).toBe('batch_1');
		expect(boundaryOf('application/json')).toBeUndefined();
	});

	it('should put all writes in one changeset when atomic, with Content-IDs', () => {
		const body = buildBatchBody(
			[
				{ method: 'POST', resource: 'Crm_Sales_Customers', body: { Number: 'A' } },
				{ method: 'DELETE', resource: 'Crm_Sales_Customers(3f2504e0-4f89-41d3-9a0c-0305e82c3301)' },
			],
			true,
			'batch_x',
		);
		expect(body.match(/Content-Type: multipart\/mixed; boundary=changeset_/g)).toHaveLength(1);
		expect(body).toContain(
			'Content-ID: 1\r\n\r\nPOST Crm_Sales_Customers HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{"Number":"A"}',
		);
		expect(body).toContain(
			'Content-ID: 2\r\n\r\nDELETE Crm_Sales_Customers(3f2504e0-4f89-41d3-9a0c-0305e82c3301) HTTP/1.1',
		);
		expect(body.trimEnd().endsWith('--batch_x--')).toBe(true);
	});

	it('should give each write its own changeset when independent', () => {
		const body = buildBatchBody(
			[
				{ method: 'PATCH', resource: 'A(3f2504e0-4f89-41d3-9a0c-0305e82c3301)', body: { X: 1 } },
				{ method: 'PATCH', resource: 'A(3f2504e0-4f89-41d3-9a0c-0305e82c3302)', body: { X: 2 } },
			],
			false,
			'batch_y',
		);
		expect(body.match(/boundary=changeset_/g)).toHaveLength(2);
	});
});
