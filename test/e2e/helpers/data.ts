import { randomUUID } from 'node:crypto';

import type { Sandbox } from './sandbox';

/** `2026-05-08T09:15:42Z`, the sandbox's (and ERP.net's) date-time wire format. */
export function isoDateTime(date: Date): string {
	return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Adds a sales order created `minutesAgo` minutes ago: a copy of a seeded order (same customer, currency,
 * document type) with a new Id and DocumentNo, and without lines.
 */
export function insertRecentSalesOrder(
	sandbox: Sandbox,
	options: { minutesAgo: number; documentNo?: string },
): { Id: string; DocumentNo: string } {
	const [template] = sandbox.store.list('Crm_Sales_SalesOrders');
	if (!template) throw new Error('the sandbox has no sales orders to copy');
	const created = new Date(Date.now() - options.minutesAgo * 60000);
	const id = randomUUID();
	const documentNo = options.documentNo ?? `E2E-${String(Date.now()).slice(-8)}`;
	const record: Record<string, unknown> = {
		...template,
		Id: id,
		DocumentNo: documentNo,
		DocumentDate: `${created.toISOString().slice(0, 10)}T00:00:00Z`,
		CreationTime: isoDateTime(created),
		AggregateLastUpdateTimeUtc: isoDateTime(created),
	};
	for (const key of Object.keys(record)) if (key.startsWith('@odata.')) delete record[key];
	sandbox.store.insert('Crm_Sales_SalesOrders', record);
	return { Id: id, DocumentNo: documentNo };
}
