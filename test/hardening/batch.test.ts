/**
 * Issue 10, class 2: batched writes. Each item's own headers go on its own `$batch` part; answers are paired by
 * Content-ID; Independent batching names the items ERP.net already saved when it fails
 * (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html).
 */
import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet, useSandbox } from '../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 8, products: 5, salesOrders: 1 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function customers(): IDataObject[] {
	return sandbox().store.list('Crm_Sales_Customers') as IDataObject[];
}

const jsonWrite = (operation: string, options: IDataObject, extra: IDataObject = {}) => ({
	operation,
	entitySet: locator('Crm_Sales_Customers'),
	fieldsInput: 'json',
	jsonBody: '={{ JSON.stringify($json.body) }}',
	options: { returnUpdated: false, ...options },
	...extra,
});

describe('per-item headers in a batch', () => {
	it("should send each item's Language on its own part, so each item gets its own language", async () => {
		const [first, second] = customers();
		const badDates = { FromDate: '2022-01-01', ThruDate: '2021-01-01' };
		const { items } = await runErpNet(
			sandbox(),
			jsonWrite(
				'update',
				{ batching: 'independent', language: '={{ $json.language }}' },
				{ recordId: locator('={{ $json.id }}', 'id') },
			),
			{
				continueOnFail: true,
				input: [
					{ id: first.Id, language: 'bg', body: badDates },
					{ id: second.Id, language: 'en', body: badDates },
				],
			},
		);
		expect(String(items[0].json.error)).toMatch(/^Грешка при записване/);
		expect(String(items[1].json.error)).toMatch(/^An error occurred while saving data/);
		const batch = odataRequests(sandbox(), '$batch')[0];
		expect(batch.body).toMatch(/PATCH Crm_Sales_Customers\([^)]+\) HTTP\/1\.1\r\nAccept-Language: bg/);
		expect(batch.body).toMatch(/PATCH Crm_Sales_Customers\([^)]+\) HTTP\/1\.1\r\nAccept-Language: en/);
	});
});

describe('pairing batch answers with items', () => {
	const boundary = 'batchresponse_test';
	const changeset = (contentId: string | undefined, status: number, body: IDataObject) =>
		[
			`--${boundary}`,
			'Content-Type: multipart/mixed; boundary=cs',
			'',
			'--cs',
			'Content-Type: application/http',
			'Content-Transfer-Encoding: binary',
			...(contentId ? [`Content-ID: ${contentId}`] : []),
			'',
			`HTTP/1.1 ${status} ${status === 201 ? 'Created' : 'Internal Server Error'}`,
			'Content-Type: application/json',
			'',
			JSON.stringify(body),
			'--cs--',
		].join('\r\n');

	function batchAnswer(parts: string[]) {
		sandbox().control.injectFault({
			kind: 'status',
			method: 'POST',
			pathIncludes: '$batch',
			status: 200,
			headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
			body: `${parts.join('\r\n')}\r\n--${boundary}--\r\n`,
		});
	}

	const createTwo = () =>
		runErpNet(sandbox(), jsonWrite('create', { batching: 'independent' }), {
			continueOnFail: true,
			input: [{ body: { Number: 'PAIR-A' } }, { body: { Number: 'PAIR-B' } }],
		});

	it('should pair answers by Content-ID, not by position', async () => {
		batchAnswer([changeset('2', 201, { Number: 'PAIR-B' }), changeset('1', 201, { Number: 'PAIR-A' })]);
		const { items } = await createTwo();
		expect(items.map((item) => item.json.Number)).toEqual(['PAIR-A', 'PAIR-B']);
	});

	it('should fail only the item whose answer has no Content-ID', async () => {
		batchAnswer([changeset('1', 201, { Number: 'PAIR-A' }), changeset(undefined, 201, { Number: 'PAIR-B' })]);
		const { items } = await createTwo();
		expect(items[0].json).toMatchObject({ Number: 'PAIR-A' });
		expect(String(items[1].json.error)).toMatch(/no answer/i);
	});
});

describe('Independent batching without Continue On Fail', () => {
	it('should name the items ERP.net already saved, with their IDs', async () => {
		const party = {
			'@odata.id': `General_Contacts_Parties(${String(sandbox().store.list('General_Contacts_Companies')[0].Id)})`,
		};
		const { error } = await runErpNet(sandbox(), jsonWrite('create', { batching: 'independent' }), {
			input: [
				{ body: { Number: 'SAVED-1', Party: party } },
				{ body: { Number: 'SAVED-2', Party: party, CreditLimit: { Value: -5 } } },
				{ body: { Number: 'SAVED-3', Party: party } },
			],
		});
		const saved = customers().filter((customer) => /^SAVED-/.test(String(customer.Number)));
		expect(error).toBeDefined();
		const text = `${error?.message} ${error?.description}`;
		for (const customer of saved) expect(text).toContain(String(customer.Id));
		expect(saved.map((customer) => customer.Number).sort()).toEqual(['SAVED-1', 'SAVED-3']);
		expect(text).toMatch(/saved/i);
	});
});
