/**
 * The credential's ERP.net sessions as the transport uses them (core/transport/session.ts): one request at a time
 * per session, and the item errors for failures of the session gate itself (a wait that ran out, no free licence,
 * an answer that never ended).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { LicenseBackoffError, SessionOverdueError, SessionWaitError } from '../../../core/session';
import { erpNetApiRequest } from '../../../core/transport/request';
import { sendOnCredentialSession, sessionFailure } from '../../../core/transport/session';
import type { ErpNetFunctions } from '../../../core/transport/types';
import { odataRequests } from '../../helpers/erpnet';
import { sandboxContext, testNode, useCleanSandbox } from './fixtures';

const sandbox = useCleanSandbox({ customers: 6, products: 3, salesOrders: 1 });

describe('sessionFailure', () => {
	const context = { getNode: () => testNode } as unknown as ErpNetFunctions;

	it('should say that a read that never ended was given up, and move to a new session', () => {
		const error = sessionFailure(context, new SessionOverdueError(125_000), 2, 'GET');

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error?.message).toBe('ERP.net had not finished answering after 125 seconds');
		expect((error as NodeApiError).description).toMatch(/^ERP\.net kept the response open past the "Timeout"/);
		expect((error as NodeApiError).description).not.toMatch(/may or may not/);
		expect((error as NodeApiError).context.itemIndex).toBe(2);
	});

	it('should add that a write that never ended may or may not have been carried out', () => {
		const error = sessionFailure(context, new SessionOverdueError(10_000), 0, 'PATCH') as NodeApiError;
		expect(error.description).toContain(
			'The write may or may not have been carried out: check the record in ERP.net before running it again.',
		);
	});

	it('should pass on the wait that ran out with its description, for the item', () => {
		const error = sessionFailure(context, new SessionWaitError(30_000, 4, 2), 1) as NodeOperationError;

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('No ERP.net session became free within 30 seconds');
		expect(error.description).toMatch(/^4 other request\(s\) of this n8n process were still waiting/);
		expect(error.context.itemIndex).toBe(1);
	});

	it.each([
		['a licence back-off', new LicenseBackoffError()],
		['an answer naming MaximumLicenseCountExceeded', { cause: { response: { data: 'MaximumLicenseCountExceeded' } } }],
	])('should say that no licence is free after %s', (_name, failure) => {
		const error = sessionFailure(context, failure, 3) as NodeApiError;

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('ERP.net has no free licence for a new session (MaximumLicenseCountExceeded)');
		expect(error.description).toMatch(/Sessions per n8n Process/);
		expect(error.context.itemIndex).toBe(3);
	});

	it('should leave every other failure to the transport', () => {
		expect(sessionFailure(context, new Error('socket hang up'))).toBeUndefined();
		expect(sessionFailure(context, { httpCode: '500' })).toBeUndefined();
	});
});

describe('sendOnCredentialSession', () => {
	it('should run one request at a time on a credential with one session', async () => {
		// The sandbox's own latency runs inside its count of requests in flight per session.
		sandbox().control.setLatency(300);
		sandbox().control.resetCounters();
		const context = await sandboxContext(sandbox(), { sessionsPerProcess: '1' });
		const url = `${sandbox().odataRoot}Crm_Sales_Customers?$top=1`;

		try {
			await Promise.all([1, 2, 3].map(() => erpNetApiRequest.call(context, { method: 'GET', url })));
		} finally {
			sandbox().control.setLatency(0);
		}

		expect(odataRequests(sandbox(), 'Crm_Sales_Customers')).toHaveLength(3);
		expect(sandbox().counters().maxInFlightPerSession).toBe(1);
		expect(sandbox().counters().tooManyRequests).toBe(0);
	});

	it("should pass on the send's own result and failure", async () => {
		const context = await sandboxContext(sandbox());
		const options = { method: 'GET' as const, url: `${sandbox().odataRoot}Crm_Sales_Customers` };

		await expect(sendOnCredentialSession(context, 'erpNetApi', options, async () => 'answer')).resolves.toBe('answer');
		await expect(
			sendOnCredentialSession(context, 'erpNetApi', options, async () => {
				throw new Error('failed send');
			}),
		).rejects.toThrow('failed send');
	});
});
