/**
 * Get Printout through the real n8n engine against the sandbox
 * (https://docs.erp.net/dev/domain-api/common-tasks/change-language.html; the model page's "API Methods").
 */
import { locator, odataRequests, runErpNet } from '../../../../helpers/erpnet';
import { ordersIn, salesOrders, useDocumentSandbox } from './document-fixtures';

const sandbox = useDocumentSandbox();

describe('Get Printout', () => {
	it('should output the PDF as a binary property named after the document number', async () => {
		const [order] = ordersIn(sandbox, 'Released');
		const { items, error } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'getPrintout',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fileFormat: 'pdf',
			binaryPropertyName: 'data',
		});
		expect(error).toBeUndefined();
		const binary = items[0].binary?.data;
		expect(binary).toMatchObject({
			mimeType: 'application/pdf',
			fileName: `${String(order.DocumentNo)}.pdf`,
			fileExtension: 'pdf',
		});
		expect(Buffer.from(String(binary?.data), 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(items[0].json).toMatchObject({
			id: order.Id,
			documentNo: order.DocumentNo,
			fileFormat: 'pdf',
			mimeType: 'application/pdf',
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('should send the language as Accept-Language and the format and printout in the body', async () => {
		const [order] = ordersIn(sandbox, 'Released');
		const { items } = await runErpNet(sandbox(), {
			resource: 'document',
			operation: 'getPrintout',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fileFormat: 'txt',
			binaryPropertyName: 'printout',
			options: { language: 'de', fileName: 'order.txt' },
		});
		expect(items[0].binary?.printout).toMatchObject({ mimeType: 'text/plain', fileName: 'order.txt' });
		expect(Buffer.from(String(items[0].binary?.printout.data), 'base64').toString('utf8')).toContain('Belegnummer');
		const post = odataRequests(sandbox()).find((entry) => entry.method === 'POST');
		expect(post?.headers['accept-language']).toBe('de');
		expect(JSON.parse(post?.body ?? '{}')).toEqual({ fileFormat: 'txt' });
	});

	it('should accept a raw file body and a bare JSON string as well as the OData value', async () => {
		const [order] = ordersIn(sandbox, 'Released');
		const parameters = {
			resource: 'document',
			operation: 'getPrintout',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fileFormat: 'png',
			binaryPropertyName: 'data',
		};
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
		sandbox().control.injectFault({
			method: 'POST',
			pathIncludes: '/GetPrintout',
			kind: 'status',
			status: 200,
			body: png,
			headers: { 'Content-Type': 'image/png' },
		});
		const raw = await runErpNet(sandbox(), parameters);
		expect(raw.error).toBeUndefined();
		expect(Buffer.from(String(raw.items[0].binary?.data.data), 'base64').subarray(0, 4)).toEqual(png.subarray(0, 4));
		sandbox().control.injectFault({
			method: 'POST',
			pathIncludes: '/GetPrintout',
			kind: 'status',
			status: 200,
			body: JSON.stringify(png.toString('base64')),
			headers: { 'Content-Type': 'application/json' },
		});
		const bare = await runErpNet(sandbox(), parameters);
		expect(Buffer.from(String(bare.items[0].binary?.data.data), 'base64')).toEqual(png);
	});

	it('should fail clearly for a format the server refuses and continue on fail', async () => {
		const [order] = ordersIn(sandbox, 'Released');
		const { items, error } = await runErpNet(
			sandbox(),
			{
				resource: 'document',
				operation: 'getPrintout',
				entitySet: salesOrders,
				recordId: locator(String(order.Id), 'id'),
				fileFormat: 'docx',
				binaryPropertyName: 'data',
			},
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.error).toMatch(/docx/);
		expect(items[0].binary).toBeUndefined();
	});
});
