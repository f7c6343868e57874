/**
 * Batched writes keep every item's outcome its own, whatever the `$batch` answer looks like
 * (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html; OData 4.0 Protocol 11.7.4): answers paired by
 * Content-ID and read-backs by record, a cut or unreadable answer, a stop after a failed batch, several items for one
 * record, and the timeout of a batch of document actions.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Fault } from '../../sandbox/src';
import { locator, odataRequests, runErpNet, useSandbox } from '../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 12, products: 12, salesOrders: 40 } });

beforeEach(() => {
	sandbox().control.reset();
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
	sandbox().control.setBatchChangesetFailure('changeset');
});

const UNKNOWN = /may or may not have been carried out: check the record in ERP\.net before running it again/;
const BAD_DATES = { FromDate: '2022-01-01', ThruDate: '2021-01-01' };

function customers(): IDataObject[] {
	return sandbox().store.list('Crm_Sales_Customers') as IDataObject[];
}

function customer(id: unknown): IDataObject {
	return sandbox().store.get('Crm_Sales_Customers', String(id)) as IDataObject;
}

/** Update of the customer `$json.id` with `$json.body`, batched, the record read back. */
const batchedUpdate = (options: IDataObject = {}) => ({
	operation: 'update',
	entitySet: locator('Crm_Sales_Customers'),
	recordId: locator('={{ $json.id }}', 'id'),
	fieldsInput: 'json',
	jsonBody: '={{ JSON.stringify($json.body) }}',
	options: { batching: 'independent', ...options },
});

const batchedCreate = (options: IDataObject = {}) => ({
	operation: 'create',
	entitySet: locator('Crm_Sales_Customers'),
	fieldsInput: 'json',
	jsonBody: '={{ JSON.stringify($json.body) }}',
	options: { batching: 'independent', ...options },
});

function party(): IDataObject {
	return {
		'@odata.id': `General_Contacts_Parties(${String(sandbox().store.list('General_Contacts_Companies')[0].Id)})`,
	};
}

/** Three updates of three customers; the middle one refused by ERP.net (ThruDate before FromDate). */
function threeUpdates(): { ids: string[]; input: IDataObject[] } {
	const ids = customerIds(0, 3);
	return {
		ids,
		input: [
			{ id: ids[0], body: { GracePeriodDays: 31 } },
			{ id: ids[1], body: BAD_DATES },
			{ id: ids[2], body: { GracePeriodDays: 33 } },
		],
	};
}

function customerIds(from: number, to: number): string[] {
	return customers()
		.slice(from, to)
		.map((record) => String(record.Id));
}

/** The next `$batch` answer with its top-level parts changed by `change` on the way out (a broken proxy). */
function rewriteBatchAnswer(change: (parts: string[]) => string[]): void {
	sandbox().control.injectFault({
		kind: 'rewrite',
		method: 'POST',
		pathIncludes: '$batch',
		rewriteBody: (body) => {
			const delimiter = `--${/^--([^\r\n]+)/.exec(body)?.[1] ?? ''}`;
			const pieces = body.split(delimiter);
			return [pieces[0], ...change(pieces.slice(1, -1)), pieces[pieces.length - 1]].join(delimiter);
		},
	});
}

const isChangeset = (part: string) => /Content-Type: multipart\/mixed/i.test(part);

describe('pairing a $batch answer with the items', () => {
	it('should give a changeset answered as one response (OData 4.0) to its own item, and the read-backs to theirs', async () => {
		sandbox().control.setBatchChangesetFailure('response');
		const { ids, input } = threeUpdates();

		const { items } = await runErpNet(sandbox(), batchedUpdate(), { continueOnFail: true, input });

		expect(items).toHaveLength(3);
		expect(items[0].json).toMatchObject({ Id: ids[0], GracePeriodDays: 31 });
		expect(String(items[1].json.error)).toMatch(/An error occurred while saving data/);
		expect(items[2].json).toMatchObject({ Id: ids[2], GracePeriodDays: 33 });
		expect(customer(ids[1]).ThruDate).toBeNull();
	});

	it("should fail every item of an All or Nothing batch refused as one response, none with another item's data", async () => {
		sandbox().control.setBatchChangesetFailure('response');
		const { ids, input } = threeUpdates();

		const { items } = await runErpNet(sandbox(), batchedUpdate({ batching: 'atomic' }), {
			continueOnFail: true,
			input,
		});

		expect(items.map((item) => String(item.json.error))).toEqual([
			expect.stringMatching(/^Not saved: ERP.net refused the whole batch: An error occurred while saving data/),
			expect.stringMatching(/^Not saved: ERP.net refused the whole batch/),
			expect.stringMatching(/^Not saved: ERP.net refused the whole batch/),
		]);
		expect(customer(ids[0]).GracePeriodDays).not.toBe(31);
	});

	it('should pair each read-back with the record it names when the GET answers come in another order', async () => {
		const ids = customerIds(3, 6);
		rewriteBatchAnswer((parts) => [
			...parts.filter(isChangeset),
			...parts.filter((part) => !isChangeset(part)).reverse(),
		]);

		const { items, error } = await runErpNet(sandbox(), batchedUpdate(), {
			input: ids.map((id, index) => ({ id, body: { GracePeriodDays: 40 + index } })),
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.Id, item.json.GracePeriodDays])).toEqual(
			ids.map((id, index) => [id, 40 + index]),
		);
	});

	it('should output the write\'s result marked "Saved, but could not be read back" when a read-back is missing', async () => {
		const ids = customerIds(6, 8);
		rewriteBatchAnswer((parts) => parts.filter((part) => isChangeset(part) || !part.includes(ids[0])));

		const { items } = await runErpNet(sandbox(), batchedUpdate(), {
			continueOnFail: true,
			input: ids.map((id) => ({ id, body: { GracePeriodDays: 50 } })),
		});

		expect(items).toHaveLength(2);
		expect(items[0].error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			updated: true,
			id: ids[0],
			saved: true,
			readBackError: expect.stringMatching(/^Saved, but could not be read back: .*do not run it again/),
		});
		expect(items[1].json).toMatchObject({ Id: ids[1], GracePeriodDays: 50 });
		expect(items[1].json.readBackError).toBeUndefined();
		expect(customer(ids[0]).GracePeriodDays).toBe(50);
	});
});

describe('a $batch answer that is cut off or not multipart', () => {
	it('should keep the answers that arrived whole and give every other item the "may or may not" message', async () => {
		sandbox().control.injectFault({
			kind: 'rewrite',
			method: 'POST',
			pathIncludes: '$batch',
			rewriteBody: (body) => {
				const second = body.indexOf('Content-ID: 2');
				return body.slice(0, body.indexOf('{', second) + 5);
			},
		});

		const { items } = await runErpNet(sandbox(), batchedCreate(), {
			continueOnFail: true,
			input: ['CUT-1', 'CUT-2', 'CUT-3'].map((Number) => ({ body: { Number, Party: party() } })),
		});

		expect(items).toHaveLength(3);
		expect(items[0].json).toMatchObject({ Number: 'CUT-1' });
		for (const index of [1, 2]) {
			expect(String(items[index].json.error)).toMatch(
				new RegExp(`cut off or could not be read before the answer for item ${index}`),
			);
			expect(items[index].error?.description).toMatch(UNKNOWN);
		}
	});

	const brokenAnswers: Array<[string, Fault]> = [
		[
			"a proxy's HTML page",
			{ kind: 'status', status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>Please wait</html>' },
		],
		[
			"a gateway's 502 page",
			{ kind: 'status', status: 502, headers: { 'Content-Type': 'text/html' }, body: '<html>502 Bad Gateway</html>' },
		],
		['a cut connection', { kind: 'reset' }],
	];

	it.each(brokenAnswers)(
		'should give every item, under its own index, the "may or may not" message for %s',
		async (_name, fault) => {
			sandbox().control.injectFault({ method: 'POST', pathIncludes: '$batch', ...fault });
			const { ids } = threeUpdates();

			const { items } = await runErpNet(sandbox(), batchedUpdate(), {
				continueOnFail: true,
				input: ids.map((id) => ({ id, body: { GracePeriodDays: 60 } })),
			});

			expect(items.map((item) => (item.error?.context as IDataObject | undefined)?.itemIndex)).toEqual([0, 1, 2]);
			for (const item of items) expect(item.error?.description).toMatch(UNKNOWN);
			expect(customer(ids[0]).GracePeriodDays).not.toBe(60);
		},
	);
});

describe('Independent batching without Continue On Fail', () => {
	it('should stop after the first failed batch, before the next batch is sent, naming the saved items', async () => {
		const { error } = await runErpNet(sandbox(), batchedCreate({ batchSize: 2 }), {
			input: [
				{ body: { Number: 'STOP-0', Party: party() } },
				{ body: { Number: 'STOP-1', Party: party(), CreditLimit: { Value: -5 } } },
				{ body: { Number: 'STOP-2', Party: party() } },
				{ body: { Number: 'STOP-3', Party: party() } },
			],
		});

		const saved = customers().filter((record) => /^STOP-/.test(String(record.Number)));
		expect(saved.map((record) => record.Number)).toEqual(['STOP-0']);
		expect(odataRequests(sandbox(), '$batch')).toHaveLength(1);
		expect(error?.context?.itemIndex).toBe(1);
		expect(error?.description).toContain(`item 0 (ID ${String(saved[0].Id)})`);
		expect(error?.description).toMatch(/2 item\(s\) were not sent/);
	});

	it('should send every batch with Continue On Fail, as before', async () => {
		const { items } = await runErpNet(sandbox(), batchedCreate({ batchSize: 2 }), {
			continueOnFail: true,
			input: [
				{ body: { Number: 'GO-0', Party: party() } },
				{ body: { Number: 'GO-1', Party: party(), CreditLimit: { Value: -5 } } },
				{ body: { Number: 'GO-2', Party: party() } },
			],
		});

		expect(items.map((item) => item.json.Number ?? 'error')).toEqual(['GO-0', 'error', 'GO-2']);
		expect(odataRequests(sandbox(), '$batch')).toHaveLength(2);
	});
});

describe('several items for one record in one batch', () => {
	const product = (index: number) => sandbox().store.list('General_Products_Products')[index] as IDataObject;
	const nameOf = (id: unknown) => sandbox().store.get('General_Products_Products', String(id))?.Name;
	const translate = (batching: string) => ({
		operation: 'update',
		entitySet: locator('General_Products_Products'),
		recordId: locator('={{ $json.id }}', 'id'),
		fieldsInput: 'mapper',
		columns: { mappingMode: 'defineBelow', value: { Name: '={{ $json.name }}' }, schema: [], matchingColumns: [] },
		options: { batching, language: '={{ $json.language }}' },
	});

	it.each(['independent', 'atomic'])(
		'should save a translation import (one item per language) as one by one would, %s',
		async (batching) => {
			const [first, second] = [product(0), product(1)];
			const input = [
				{ id: first.Id, language: 'bg', name: 'Първи' },
				{ id: first.Id, language: 'en', name: 'First' },
				{ id: second.Id, language: 'en', name: 'Second' },
				{ id: first.Id, language: 'de', name: 'Erste' },
			];

			const { items, error } = await runErpNet(sandbox(), translate(batching), { input });

			expect(error).toBeUndefined();
			expect(nameOf(first.Id)).toEqual({ BG: 'Първи', EN: 'First', DE: 'Erste' });
			expect((nameOf(second.Id) as IDataObject).EN).toBe('Second');
			expect(items.map((item) => item.json.Id)).toEqual(input.map((item) => item.id));
			expect(items[3].json.Name).toEqual({ BG: 'Първи', EN: 'First', DE: 'Erste' });
		},
	);

	it('should refuse a stale Expected Object Version on the second update of a record, as one by one would', async () => {
		const record = customers()[9];
		const version = Number(record.ObjectVersion);
		const { items } = await runErpNet(sandbox(), batchedUpdate({ objectVersion: '={{ $json.version }}' }), {
			continueOnFail: true,
			input: [
				{ id: record.Id, version, body: { GracePeriodDays: 71 } },
				{ id: record.Id, version, body: { GracePeriodDays: 72 } },
			],
		});

		expect(items[0].json).toMatchObject({ GracePeriodDays: 71 });
		expect(items[1].json.error).toBeDefined();
		expect(customer(record.Id).GracePeriodDays).toBe(71);
	});
});

describe('the timeout of a batch of document actions', () => {
	it('should give a $batch the Timeout plus 5 s per document action', async () => {
		const orders = sandbox()
			.store.list('Crm_Sales_SalesOrders')
			.filter((order) => order.State === 'Planned' && order.Void === false)
			.slice(0, 3);
		// ERP.net's model: Change State takes 500 to 5,000 ms per document; here 3 documents take 3 s in all.
		sandbox().control.injectFault({ kind: 'delay', method: 'POST', pathIncludes: '$batch', delayMs: 3_000 });

		const { items, error } = await runErpNet(
			sandbox(),
			{
				resource: 'document',
				operation: 'changeState',
				entitySet: locator('Crm_Sales_SalesOrders'),
				recordId: locator('={{ $json.id }}', 'id'),
				newState: 'FirmPlanned',
				options: { batching: 'independent', timeout: 2 },
			},
			{ input: orders.map((order) => ({ id: order.Id })) },
		);

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.State)).toEqual(['FirmPlanned', 'FirmPlanned', 'FirmPlanned']);
	}, 30_000);
});
