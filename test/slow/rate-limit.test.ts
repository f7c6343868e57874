/**
 * Slow suite (npm run test:slow, part of npm test): ERP.net's rate limit with a short window.
 */
import type { RequestLogEntry } from '../../sandbox/src';
import { locator, odataRequests, runErpNet, useSandbox } from '../helpers/erpnet';
import { CredentialStore } from '../helpers/n8n';

const sandbox = useSandbox({ sizes: { customers: 3000, products: 10, salesOrders: 3 } });

/** The most requests ERP.net accepted (answered other than 429) within any window of `windowMs`. */
function busiestWindow(entries: RequestLogEntry[], windowMs: number): number {
	const accepted = entries.filter((entry) => entry.status !== 429).map((entry) => Date.parse(entry.time));
	let busiest = 0;
	for (let start = 0, end = 0; end < accepted.length; end++) {
		while (accepted[end] - accepted[start] >= windowMs) start++;
		busiest = Math.max(busiest, end - start + 1);
	}
	return busiest;
}

describe('rate limit', () => {
	it('should finish a 2,000-record read and a 300-item update under a tight rate limit, retrying 429s', async () => {
		// Low enough that even a loaded machine sends faster than this and meets 429s.
		const limit = 30;
		const windowMs = 2000;
		sandbox().control.setRateLimit({ requestsPerMinute: limit, windowMs });
		const store = new CredentialStore();
		const started = Date.now();

		const read = await runErpNet(
			sandbox(),
			{
				operation: 'getAll',
				entitySet: locator('Crm_Sales_Customers'),
				options: { select: ['Number'], pageSize: 50 },
				limit: 2000,
			},
			{ credentialStore: store },
		);
		const ids = read.items.slice(0, 300).map((item) => String(item.json.Id));
		const update = await runErpNet(
			sandbox(),
			{
				operation: 'update',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator('={{ $json.id }}', 'id'),
				fieldsInput: 'json',
				jsonBody: '={{ JSON.stringify({ GracePeriodDays: 9 }) }}',
				options: { returnUpdated: false },
			},
			{ credentialStore: store, input: ids.map((id) => ({ id })) },
		);
		const seconds = (Date.now() - started) / 1000;

		expect(read.error).toBeUndefined();
		expect(update.error).toBeUndefined();
		expect(read.items).toHaveLength(2000);
		expect(new Set(read.items.map((item) => item.json.Id)).size).toBe(2000);
		expect(update.items.filter((item) => item.json.updated === true)).toHaveLength(300);
		for (const id of ids) expect(sandbox().store.get('Crm_Sales_Customers', id)?.GracePeriodDays).toBe(9);
		const domainRequests = odataRequests(sandbox()).concat(
			sandbox().requests.filter((entry) => entry.path.startsWith('/api/domain/currentmodel')),
		);
		const rejected = domainRequests.filter((entry) => entry.status === 429).length;
		expect(rejected).toBeGreaterThan(0);
		expect(busiestWindow(domainRequests, windowMs)).toBeLessThanOrEqual(limit);
		process.stdout.write(
			`rate limit ${limit}/${windowMs} ms: ${domainRequests.length - rejected} requests accepted, ${rejected} answered 429 and retried, 0 failures, ${seconds.toFixed(1)} s\n`,
		);
	});
});
