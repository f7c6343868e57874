/**
 * The ERP.net Trigger over a long life, through n8n-core's poll executor with one poll context per activation
 * (PollRunner, as n8n's ActiveWorkflowTriggers keeps it) against sandboxes over HTTP: credential edits and
 * instance switches while it is published, discovery answers that expire, a larger overlap, Start Date,
 * expressions, a `Date` header ahead of the change stamps, local creation times, a long backlog and the state
 * an earlier release stored.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { clearDiscoveryCache } from '../../../../core/discovery';
import type { Sandbox } from '../../../../sandbox/src';
import { startSandbox } from '../../../../sandbox/src';
import { hashClientSecret } from '../../../../sandbox/src/identity';
import { TRUSTED_APPLICATIONS_SET } from '../../../../sandbox/src/identity/trusted-applications';
import { locator, odataRequests, runErpNet, useSandbox } from '../../../helpers/erpnet';
import type { PollRunner } from '../../../helpers/n8n';
import { triggerRunner } from './fixtures';

const getSandbox = useSandbox({ sizes: { customers: 30, products: 5, salesOrders: 5 } });
const CUSTOMERS = 'Crm_Sales_Customers';
const MINUTE = 60_000;

/** A second ERP.net instance (other data) for instance switches. */
let other: Sandbox;
beforeAll(async () => {
	other = await startSandbox({ port: 0, seed: 7, sizes: { customers: 8, products: 5, salesOrders: 5 } });
});
afterAll(async () => {
	await other?.close();
});

function trigger(parameters: INodeParameters = {}, staticData?: IDataObject): PollRunner {
	return triggerRunner(getSandbox(), CUSTOMERS, parameters, staticData);
}

function ids(sandbox: Sandbox, count: number, offset = 0): string[] {
	return sandbox.store
		.list(CUSTOMERS)
		.slice(offset, offset + count)
		.map((record) => record.Id as string);
}

function touch(id: string, sandbox = getSandbox()): string {
	return sandbox.store.patch(CUSTOMERS, id, { ExternalId: `t-${Math.random()}` })?.AggregateLastUpdateTimeUtc as string;
}

/** Moves the sandbox's clock (stamps and Date header) forward. */
function advance(ms: number, sandbox = getSandbox()): void {
	sandbox.control.setClock({ offsetMs: sandbox.store.clock.offsetMs + ms });
}

const emitted = (result: { items: Array<{ json: IDataObject }> }) =>
	result.items.map((item) => (item.json.erpnet as IDataObject).id as string);
const pullState = (runner: PollRunner) =>
	runner.staticData.incrementalPull as {
		watermarkUtc?: string;
		seen: Record<string, string>;
		scan?: unknown;
		key: string;
	};

/** The secret rotated in ERP.net (Trusted Applications) and every issued token revoked. */
function rotateSecret(sandbox: Sandbox, secret: string): void {
	const app = sandbox.store.list(TRUSTED_APPLICATIONS_SET).find((record) => record.ApplicationUri === sandbox.clientId);
	sandbox.store.patch(TRUSTED_APPLICATIONS_SET, app?.Id as string, { ApplicationSecretHash: hashClientSecret(secret) });
	sandbox.control.revokeAllTokens();
}

/** Polls until the running scan (if any) has completed; returns every id emitted meanwhile. */
async function drain(runner: PollRunner, pollBudgetMs = 0): Promise<string[]> {
	const seen: string[] = [];
	for (let poll = 0; poll < 200; poll++) {
		const result = await runner.poll({ pollBudgetMs });
		expect(result.error).toBeUndefined();
		seen.push(...emitted(result));
		if (pullState(runner).scan === undefined) return seen;
	}
	throw new Error('the scan did not complete');
}

afterEach(() => {
	jest.restoreAllMocks();
	for (const sandbox of [getSandbox(), other]) {
		sandbox.control.setClock({
			offsetMs: 0,
			resolutionMs: 1,
			commitDelayMs: 0,
			dateHeaderOffsetMs: 0,
			timeZoneOffsetMs: 0,
		});
		sandbox.control.setMaxPageSize(undefined);
		sandbox.control.setSiteStatus('DomainAPI', 'Working');
		sandbox.control.clearFaults();
	}
});

describe('ERP.net Trigger over a long activation', () => {
	it('should use a rotated secret at the next poll, without a new activation', async () => {
		const sandbox = getSandbox();
		const runner = trigger();
		expect((await runner.poll()).error).toBeUndefined();
		const secret = sandbox.clientSecret;
		try {
			rotateSecret(sandbox, 'rotated-secret-7Yq');
			runner.credentialStore.edit('erpNetApi', { clientSecret: 'rotated-secret-7Yq' });
			const [id] = ids(sandbox, 1, 3);
			touch(id);
			const after = await runner.poll();
			expect(after.error).toBeUndefined();
			expect(emitted(after)).toEqual([id]);
			expect(runner.activations).toBe(1);
		} finally {
			rotateSecret(sandbox, secret);
		}
	});

	it('should follow an Instance URL change at the next poll and start that instance from its own Start From', async () => {
		const runner = trigger({ startFrom: 'all', event: 'created' });
		getSandbox().control.setMaxPageSize(4);
		other.control.setMaxPageSize(3);
		await runner.poll({ pollBudgetMs: 0 });
		// a scan of the first instance is running (its next link is stored) when the credential moves
		expect(pullState(runner).scan).toBeDefined();
		runner.credentialStore.edit('erpNetApi', { instanceUrl: other.url });
		getSandbox().control.clearLog();
		const fromOther = await drain(runner);
		expect(fromOther.sort()).toEqual(ids(other, 100).sort());
		expect(odataRequests(getSandbox(), CUSTOMERS)).toEqual([]);
		expect(runner.activations).toBe(1);
		// the other instance's changes from now on, once
		const [id] = ids(other, 1, 2);
		touch(id, other);
		expect(emitted(await runner.poll())).toEqual([]); // Event: Created
	});

	it('should keep the state of the instance it belongs to: back on the first instance, that one starts over', async () => {
		const runner = trigger({ startFrom: 'all', event: 'created' });
		const first = await drain(runner, 60_000);
		expect(first.sort()).toEqual(ids(getSandbox(), 100).sort());
		const keyFirst = pullState(runner).key;
		runner.credentialStore.edit('erpNetApi', { instanceUrl: other.url });
		expect((await drain(runner, 60_000)).sort()).toEqual(ids(other, 100).sort());
		expect(pullState(runner).key).not.toBe(keyFirst);
		runner.credentialStore.edit('erpNetApi', { instanceUrl: getSandbox().url });
		expect((await drain(runner, 60_000)).sort()).toEqual(first.sort());
	});

	it('should drop a stored next link outside the current Domain API and scan again, not fail at every poll', async () => {
		const sandbox = getSandbox();
		const runner = trigger();
		await runner.poll();
		const state = pullState(runner);
		const foreign = {
			...state,
			scan: { nextUrl: `${other.odataRoot}${CUSTOMERS}?$skiptoken=x`, startedUtc: state.watermarkUtc, baseline: false },
		};
		const resumed = trigger({}, { ...runner.staticData, incrementalPull: foreign });
		other.control.clearLog();
		const [id] = ids(sandbox, 1, 4);
		touch(id);
		const result = await resumed.poll();
		expect(result.error).toBeUndefined();
		expect(emitted(result)).toEqual([id]);
		expect(other.requests.filter((entry) => entry.path.includes(CUSTOMERS))).toEqual([]);
	});

	it('should re-read auto-discovery after its 5 minutes within one activation', async () => {
		const sandbox = getSandbox();
		clearDiscoveryCache();
		const realNow = Date.now.bind(Date);
		let shift = 0;
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + shift);
		const runner = trigger();
		expect((await runner.poll()).error).toBeUndefined();
		sandbox.control.setSiteStatus('DomainAPI', 'Stopped');
		expect((await runner.poll()).error).toBeUndefined(); // the answer of the activation poll still holds
		shift = 6 * MINUTE;
		const stopped = await runner.poll();
		expect(String((stopped.error as Error)?.message)).toMatch(/Stopped/);
		sandbox.control.setSiteStatus('DomainAPI', 'Working');
		shift = 12 * MINUTE;
		expect((await runner.poll()).error).toBeUndefined();
		expect(runner.activations).toBe(1);
	});
});

describe('ERP.net Trigger across edits', () => {
	it('should not emit again what it emitted when Overlap is raised', async () => {
		const sandbox = getSandbox();
		const parameters = { options: { overlap: 5 } };
		const runner = trigger(parameters);
		await runner.poll();
		const [early, late] = ids(sandbox, 2, 5);
		touch(early);
		expect(emitted(await runner.poll())).toEqual([early]);
		advance(20 * MINUTE);
		touch(late);
		expect(emitted(await runner.poll())).toEqual([late]);
		// the suspicion of missed updates: ERP.net's page says to raise the overlap (an edit: a new activation)
		const raised = await runner.poll({
			parameters: {
				entitySet: locator(CUSTOMERS),
				event: 'createdOrUpdated',
				startFrom: 'now',
				options: { overlap: 60 },
			},
		});
		expect(raised.error).toBeUndefined();
		expect(emitted(raised)).toEqual([]);
		const [next] = ids(sandbox, 1, 7);
		touch(next);
		expect(emitted(await runner.poll())).toEqual([next]);
	});

	it('should hold Start Date at every scan: nothing stamped before it, ever', async () => {
		const sandbox = getSandbox();
		advance(3 * 60 * MINUTE); // later than what the tests above stamped
		const [before, after] = ids(sandbox, 2, 8);
		touch(before);
		advance(2 * MINUTE);
		const startDate = new Date(sandbox.store.clock.now()).toISOString();
		advance(1000);
		touch(after);
		const runner = trigger({ startFrom: 'date', startDate });
		expect(emitted(await runner.poll())).toEqual([after]);
		expect(emitted(await runner.poll())).toEqual([]);
		const [later] = ids(sandbox, 1, 10);
		advance(1000);
		touch(later);
		expect(emitted(await runner.poll())).toEqual([later]);
	});

	it('should emit nothing before a Start Date in the future, then every change from it on', async () => {
		const sandbox = getSandbox();
		advance(4 * 60 * MINUTE);
		const startDate = new Date(sandbox.store.clock.now() + 10 * MINUTE).toISOString();
		const runner = trigger({ startFrom: 'date', startDate });
		expect(emitted(await runner.poll())).toEqual([]);
		const [early, live] = ids(sandbox, 2, 11);
		touch(early);
		expect(emitted(await runner.poll())).toEqual([]);
		advance(3 * MINUTE);
		expect(emitted(await runner.poll())).toEqual([]);
		advance(8 * MINUTE);
		touch(live);
		expect(emitted(await runner.poll())).toEqual([live]);
	});

	it('should keep its state while an expression in Start Date or Filter changes value', async () => {
		const sandbox = getSandbox();
		const runner = trigger({
			startFrom: 'date',
			startDate: "={{ $now.minus({ minutes: 1 }).toUTC().toFormat(\"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\") }}",
			options: {
				filter:
					"={{ 'AggregateLastUpdateTimeUtc ge ' + $now.minus({ days: 30 }).toUTC().toFormat(\"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\") }}",
			},
		});
		await runner.poll();
		const key = pullState(runner).key;
		const [id] = ids(sandbox, 1, 13);
		touch(id);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(emitted(await runner.poll())).toEqual([id]);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(emitted(await runner.poll())).toEqual([]);
		expect(pullState(runner).key).toBe(key);
	});
});

describe('ERP.net Trigger and the clocks', () => {
	it('should lose nothing when the Date header runs ten minutes ahead of the change stamps', async () => {
		const sandbox = getSandbox();
		advance(6 * 60 * MINUTE); // past what earlier tests stamped
		sandbox.control.setClock({ dateHeaderOffsetMs: 10 * MINUTE });
		const runner = trigger();
		expect((await runner.poll()).error).toBeUndefined();
		const [first, second] = ids(sandbox, 2, 14);
		advance(2000);
		const stamp = touch(first);
		expect(emitted(await runner.poll())).toEqual([first]);
		// quiet scans: the watermark stays at the newest stamp, not at the Date header
		expect(emitted(await runner.poll())).toEqual([]);
		expect(Date.parse(pullState(runner).watermarkUtc as string)).toBeLessThanOrEqual(Date.parse(stamp));
		advance(2000);
		touch(second);
		expect(emitted(await runner.poll())).toEqual([second]);
	});

	it('should tell created from updated by a local creation time, whatever the server zone', async () => {
		const sandbox = getSandbox();
		advance(7 * 60 * MINUTE);
		sandbox.control.setClock({ timeZoneOffsetMs: -5 * 3_600_000 });
		const runner = trigger();
		await runner.poll();
		const [party] = sandbox.store.list('General_Contacts_Companies');
		const [currency] = sandbox.store.list('General_Currencies_Currencies');
		const created = await runErpNet(sandbox, {
			operation: 'create',
			entitySet: locator(CUSTOMERS),
			fieldsInput: 'mapper',
			columns: {
				mappingMode: 'defineBelow',
				value: {
					Number: `L${Date.now() % 1e9}`,
					Party: String(party.Id),
					DefaultCurrency: String(currency.CurrencySign),
				},
				schema: [],
				matchingColumns: [],
			},
		});
		expect(created.error).toBeUndefined();
		const newId = String(created.items[0].json.Id).toLowerCase();
		const [old] = ids(sandbox, 1, 16);
		touch(old);
		const result = await runner.poll();
		const kinds = Object.fromEntries(
			result.items.map((item) => [(item.json.erpnet as IDataObject).id, (item.json.erpnet as IDataObject).event]),
		);
		expect(kinds).toEqual({ [newId]: 'created', [old]: 'updated' });
	});
});

describe('ERP.net Trigger state', () => {
	it('should keep its checkpoint to the changes within the overlap while it drains a backlog', async () => {
		const sandbox = getSandbox();
		sandbox.control.setMaxPageSize(5);
		const runner = trigger({ startFrom: 'all', event: 'created' });
		let largest = 0;
		for (let poll = 0; poll < 100; poll++) {
			const result = await runner.poll({ pollBudgetMs: 0 });
			expect(result.error).toBeUndefined();
			largest = Math.max(largest, Object.keys(pullState(runner).seen).length);
			if (pullState(runner).scan === undefined) break;
		}
		// the seeded records were stamped long ago: only the few changed by the tests above stay remembered
		const recent = sandbox.store
			.list(CUSTOMERS)
			.filter((record) => Date.parse(record.AggregateLastUpdateTimeUtc as string) > Date.now() - 24 * 60 * MINUTE);
		expect(largest).toBeLessThanOrEqual(recent.length + 5);
		expect(largest).toBeLessThan(sandbox.store.list(CUSTOMERS).length);
	});

	it('should take over the state an earlier release stored, neither losing nor repeating a change', async () => {
		const sandbox = getSandbox();
		const current = trigger();
		await current.poll();
		const [done, fresh] = ids(sandbox, 2, 18);
		const doneStamp = touch(done);
		expect(emitted(await current.poll())).toEqual([done]);
		const { watermarkUtc, seen } = pullState(current);
		// what 1.x stored: the key of entity set, evaluated filter, Start From and Start Date, and a running scan
		// whose next link belongs to another instance
		const legacy = {
			incrementalPull: {
				version: 1,
				key: JSON.stringify([CUSTOMERS, '', 'now', '']),
				watermarkUtc,
				seen,
				scan: { nextUrl: `${other.odataRoot}${CUSTOMERS}?$skiptoken=old`, startedUtc: watermarkUtc, baseline: false },
			},
			model: { modelKey: JSON.stringify([CUSTOMERS, [], '']), creationAttribute: 'CreationTime' },
		};
		expect(seen[done.toLowerCase()]).toBeDefined();
		const upgraded = trigger({}, legacy as unknown as IDataObject);
		touch(fresh);
		const first = await upgraded.poll();
		expect(first.error).toBeUndefined();
		expect(emitted(first)).toEqual([fresh]);
		expect(pullState(upgraded).seen[done.toLowerCase()]).toBe(seen[done.toLowerCase()]);
		expect(doneStamp).toBeDefined();
		expect(emitted(await upgraded.poll())).toEqual([]);
	});
});
