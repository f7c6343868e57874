/**
 * Tests of the poll runner (test/helpers/n8n/poll-runner.ts `PollRunner`): a polling trigger runs through n8n-core's
 * `PollTriggerExecutor` / `WorkflowExecute`, with static data kept between polls as n8n keeps it.
 */
import type { IDataObject } from 'n8n-workflow';

import { erpNetCredentials, odataRequests, tokenRequests, useSandbox } from '../helpers/erpnet';
import { PollRunner } from '../helpers/n8n';
import { ErpNetPollProbe, pollProbeContexts } from '../helpers/nodes/ErpNetPollProbe.node';

const sandbox = useSandbox();
const SET = 'General_Currencies_Currencies';

function runner(staticData?: IDataObject) {
	return new PollRunner({
		nodeType: new ErpNetPollProbe(),
		parameters: { entitySet: SET },
		credentials: erpNetCredentials(sandbox()),
		staticData,
	});
}

describe('PollRunner', () => {
	beforeEach(() => sandbox().control.clearLog());

	it('runs ticks in trigger mode and keeps the static data between them', async () => {
		const poll = runner();
		const first = await poll.poll();
		expect(first.error).toBeUndefined();
		expect(first.items.length).toBeGreaterThan(0);
		expect(first.items[0].json).toMatchObject({ mode: 'trigger', activation: 'activate' });
		const seen = poll.staticData.seen as string[];
		expect(seen).toHaveLength(first.items.length);
		expect(poll.staticData.polls).toBe(1);

		const second = await poll.poll({ activation: 'init' });
		expect(second.response).toBeNull();
		expect(second.items).toEqual([]);
		expect(poll.staticData).toEqual({ seen, polls: 2 });
		// One token for both ticks: the credential's stored token is reused.
		expect(tokenRequests(sandbox())).toHaveLength(1);
		expect(odataRequests(sandbox(), SET)).toHaveLength(2);
	});

	it('polls on one context per activation, as n8n does, and on a new one after each activation', async () => {
		const poll = runner();
		pollProbeContexts.length = 0;
		await poll.poll();
		await poll.poll();
		poll.credentialStore.edit('erpNetApi', { scope: 'read update' }); // a credential edit is no activation
		await poll.poll({ pollBudgetMs: 1000 });
		expect(new Set(pollProbeContexts).size).toBe(1);
		expect(poll.activations).toBe(1);
		await poll.poll({ activation: 'init' }); // n8n restarted
		await poll.poll({ parameters: { entitySet: SET } }); // the workflow edited and published again
		poll.deactivate();
		await poll.poll();
		expect(pollProbeContexts).toHaveLength(6);
		expect(new Set(pollProbeContexts).size).toBe(4);
		expect(poll.activations).toBe(4);
	});

	it('starts from the given static data', async () => {
		const all = await runner().poll();
		const ids = all.items.map((item) => String(item.json.Id));
		const poll = runner({ seen: ids.slice(1) });
		const result = await poll.poll();
		expect(result.items.map((item) => item.json.Id)).toEqual([ids[0]]);
	});

	it('does not persist the static data of a tick that threw', async () => {
		const poll = runner({ seen: [] });
		const failed = await poll.poll({ parameters: { entitySet: SET, failAfterStaging: true } });
		expect(failed.error).toBeInstanceOf(Error);
		expect((failed.error as Error).message).toBe('Poll probe failed on purpose');
		expect(failed.response).toBeNull();
		expect(poll.staticData).toEqual({ seen: [] });

		const retried = await poll.poll({ parameters: { entitySet: SET } });
		expect(retried.items.length).toBeGreaterThan(0);
		expect(poll.staticData.polls).toBe(1);
	});

	it('runs a manual poll through WorkflowExecute without saving its static data', async () => {
		const poll = runner({ seen: [] });
		const manual = await poll.poll({ mode: 'manual' });
		expect(manual.error).toBeUndefined();
		expect(manual.items).toHaveLength(1);
		expect(manual.items[0].json).toMatchObject({ mode: 'manual', activation: 'manual' });
		expect(poll.staticData).toEqual({ seen: [] });
	});

	it('reports a manual poll error', async () => {
		const poll = runner();
		const manual = await poll.poll({ mode: 'manual', parameters: { entitySet: 'No_Such_Set' } });
		expect(manual.error).toBeDefined();
		expect(manual.items).toEqual([]);
	});

	it('refuses a node type that does not poll', () => {
		const { ErpNetProbe } = jest.requireActual<typeof import('../helpers/nodes/ErpNetProbe.node')>(
			'../helpers/nodes/ErpNetProbe.node',
		);
		expect(() => new PollRunner({ nodeType: new ErpNetProbe() })).toThrow(/not a polling trigger/);
	});
});
