/**
 * What this n8n process remembers between the node's calls:
 * - registrations, by node and mode: a test registration lives only here; a production one also in the node's
 *   static data, which n8n saves after activation (this copy answers pushes that arrive before that);
 * - "Listen for test event": the test push is read in `webhook()`, and n8n then runs the node's `trigger()` in
 *   manual mode for its output, in the same process; the items travel between the two here.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { Registration } from './registration';

const testItems = new Map<string, INodeExecutionData[]>();
const registrations = new Map<string, Registration>();

export function handOverTestItems(key: string, items: INodeExecutionData[]): void {
	testItems.set(key, items);
}

export function takeTestItems(key: string): INodeExecutionData[] | undefined {
	const items = testItems.get(key);
	testItems.delete(key);
	return items;
}

export function rememberRegistration(key: string, test: boolean, registration: Registration | undefined): void {
	const slot = JSON.stringify([key, test]);
	if (registration) registrations.set(slot, registration);
	else registrations.delete(slot);
}

export function rememberedRegistration(key: string, test: boolean): Registration | undefined {
	return registrations.get(JSON.stringify([key, test]));
}
