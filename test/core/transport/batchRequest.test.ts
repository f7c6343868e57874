/**
 * Writes sent in one `$batch` (core/transport/batchRequest.ts,
 * https://docs.erp.net/dev/domain-api/data-manipulation/batch.html; OData 4.0 Protocol 11.7.4): every item's outcome
 * stays its own whatever the answer looks like. Answers are paired by Content-ID and read-backs by record; a changeset
 * answered as one response, a cut or unreadable answer, echoed tokens and the timeout of a batch of document actions.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Fault } from '../../../sandbox/src';
import {
	ATOMIC_BATCHING_NAME,
	ATOMIC_BATCHING_NOTE,
	BATCH_WRITE_ALLOWANCE_MS,
	erpNetBatch,
	type BatchWrite,
} from '../../../core/transport/batchRequest';
import { WRITE_OUTCOME_UNKNOWN } from '../../../core/transport/errors';
import { locator, odataRequests, runErpNet, useSandbox } from '../../helpers/erpnet';
import { CredentialStore, serializeForLeakCheck } from '../../helpers/n8n';
import { batchedCreate, batchedUpdate, partyReference } from '../../nodes/ErpNet/actions/entity/entity-fixtures';
import { caught, expectNoSecret, sandboxContext } from './fixtures';

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

/** A `$batch` answer made of the given changesets, as the next answer of the sandbox. */
const BOUNDARY = 'batchresponse_test';
function changeset(contentId: string | undefined, status: number, body: IDataObject): string {
	return [
		`--${BOUNDARY}`,
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
}

function batchAnswer(parts: string[]) {
	sandbox().control.injectFault({
		kind: 'status',
		method: 'POST',
		pathIncludes: '$batch',
		status: 200,
		headers: { 'Content-Type': `multipart/mixed; boundary=${BOUNDARY}` },
		body: `${parts.join('\r\n')}\r\n--${BOUNDARY}--\r\n`,
	});
}

describe('the names and allowances of batching', () => {
	it('should name atomic batching "All or Nothing" and say what it means for an item not saved', () => {
		expect(ATOMIC_BATCHING_NAME).toBe('All or Nothing');
		expect(ATOMIC_BATCHING_NOTE).toBe(
			'With "All or Nothing" batching, no write of a batch is kept when one of them fails.',
		);
		expect(BATCH_WRITE_ALLOWANCE_MS).toBe(1_000);
	});
});

describe('erpNetBatch', () => {
	const update = (itemIndex: number, id: string, body: IDataObject): BatchWrite => ({
		itemIndex,
		write: { method: 'PATCH', resource: `Crm_Sales_Customers(${id})`, body },
		readBack: `Crm_Sales_Customers(${id})`,
		action: `update Crm_Sales_Customers(${id})`,
	});

	it('should send the writes and their read-backs in one request and answer in the order of the writes', async () => {
		const ids = customerIds(0, 3);
		const context = await sandboxContext(sandbox());

		const outcomes = await erpNetBatch.call(
			context,
			ids.map((id, index) => update(index + 5, id, { GracePeriodDays: 20 + index })),
			false,
			{},
		);

		expect(odataRequests(sandbox(), '$batch')).toHaveLength(1);
		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(0);
		expect(outcomes.map((outcome) => outcome.error)).toEqual([undefined, undefined, undefined]);
		expect(outcomes.map((outcome) => [outcome.readBack?.['@odata.id'], outcome.readBack?.GracePeriodDays])).toEqual(
			ids.map((id, index) => [expect.stringContaining(id), 20 + index]),
		);
	});

	it('should fail the refused write with its own error and the others of an atomic batch as rolled back', async () => {
		const ids = customerIds(0, 3);
		const context = await sandboxContext(sandbox());

		const outcomes = await erpNetBatch.call(
			context,
			[update(4, ids[0], { GracePeriodDays: 41 }), update(5, ids[1], BAD_DATES), update(6, ids[2], {})],
			true,
			{},
		);

		expect(outcomes[1].error).toBeInstanceOf(NodeApiError);
		expect(outcomes[1].error?.message).toMatch(/An error occurred while saving data/);
		expect(outcomes[1].error?.context.itemIndex).toBe(5);
		for (const index of [0, 2]) {
			expect(outcomes[index].error).toBeInstanceOf(NodeOperationError);
			expect(outcomes[index].error?.message).toBe('Not saved: the batch was rolled back because item 5 failed');
			expect(outcomes[index].error?.description).toBe(ATOMIC_BATCHING_NOTE);
			expect(outcomes[index].error?.context.itemIndex).toBe(index + 4);
		}
		expect(customer(ids[0]).GracePeriodDays).not.toBe(41);
	});

	it('should give up on a batch after its timeout and say that the writes may have been carried out', async () => {
		sandbox().control.injectFault({ kind: 'delay', method: 'POST', pathIncludes: '$batch', delayMs: 3_000 });
		const context = await sandboxContext(sandbox());

		const error = await caught(() =>
			erpNetBatch.call(context, [update(2, customerIds(0, 1)[0], { GracePeriodDays: 3 })], false, {}, 500),
		);

		expect(error.message).toMatch(/^ERP\.net did not answer within/);
		expect(error.description).toContain(WRITE_OUTCOME_UNKNOWN);
		expect(error.context).toMatchObject({ itemIndex: 2 });
		expect(odataRequests(sandbox(), '$batch')).toHaveLength(1);
	});
});

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

	describe('by Content-ID', () => {
		const jsonCreate = () => ({
			operation: 'create',
			entitySet: locator('Crm_Sales_Customers'),
			fieldsInput: 'json',
			jsonBody: '={{ JSON.stringify($json.body) }}',
			options: { returnUpdated: false, batching: 'independent' },
		});
		const createTwo = () =>
			runErpNet(sandbox(), jsonCreate(), {
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
			input: ['CUT-1', 'CUT-2', 'CUT-3'].map((Number) => ({ body: { Number, Party: partyReference(sandbox) } })),
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

describe('a token echoed in a $batch answer', () => {
	it('should redact the token from a failed $batch part', async () => {
		const store = new CredentialStore();
		const first = await runErpNet(
			sandbox(),
			{ operation: 'get', entitySet: locator('Crm_Sales_Customers'), recordId: locator(customerIds(0, 1)[0], 'id') },
			{ credentialStore: store },
		);
		expect(first.error).toBeUndefined();
		const token = String(store.data('erpNetApi').accessToken);
		const boundary = 'batchresponse_leak';
		sandbox().control.injectFault({
			kind: 'status',
			method: 'POST',
			pathIncludes: '$batch',
			status: 200,
			headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
			body: [
				`--${boundary}`,
				'Content-Type: multipart/mixed; boundary=cs',
				'',
				'--cs',
				'Content-Type: application/http',
				'Content-ID: 1',
				'',
				'HTTP/1.1 500 Internal Server Error',
				'Content-Type: application/json',
				'',
				JSON.stringify({ error: { message: `Rejected ${token}`, code: 1 } }),
				'--cs--',
				`--${boundary}--`,
				'',
			].join('\r\n'),
		});
		const { error, thrownError, run } = await runErpNet(
			sandbox(),
			{
				operation: 'create',
				entitySet: locator('Crm_Sales_Customers'),
				fieldsInput: 'json',
				jsonBody: '{"Number":"LEAK"}',
				options: { batching: 'independent' },
			},
			{ credentialStore: store },
		);
		expect(error).toBeDefined();
		expectNoSecret(serializeForLeakCheck(error, thrownError, run), token, sandbox().clientSecret);
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
