/**
 * Changes to sales orders made directly in the sandbox's store (synchronously, so that no request of n8n is
 * answered in the middle of a round), each remembered as the (Id, AggregateLastUpdateTimeUtc) pair that an
 * incremental pull must deliver once (https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html).
 */
import { randomUUID } from 'node:crypto';

import type { Sandbox } from './sandbox';

export const ORDERS = 'Crm_Sales_SalesOrders';
const LINES = 'Crm_Sales_SalesOrderLines';

export interface ExpectedChange {
	id: string;
	changedAt: string;
	event: 'created' | 'updated';
	/** What made it, for failure messages. */
	what: string;
}

export class OrderChanges {
	readonly expected: ExpectedChange[] = [];
	private counter = 0;

	constructor(private readonly sandbox: Sandbox) {}

	private remember(id: string, event: ExpectedChange['event'], what: string): ExpectedChange {
		const stored = this.sandbox.store.get(ORDERS, id);
		if (!stored) throw new Error(`sales order ${id} is missing`);
		const change = { id, changedAt: String(stored.AggregateLastUpdateTimeUtc), event, what };
		this.expected.push(change);
		return change;
	}

	/** The ids of the orders there now (in Id order: created orders land anywhere in it, so take them once). */
	existingIds(): string[] {
		return this.sandbox.store.list(ORDERS).map((order) => String(order.Id));
	}

	/** A new order (a copy of a seeded one without lines), created now by the server's clock. */
	create(): ExpectedChange {
		const [template] = this.sandbox.store.list(ORDERS);
		const record: Record<string, unknown> = { ...template };
		for (const key of Object.keys(record)) if (key.startsWith('@odata.')) delete record[key];
		delete record.AggregateLastUpdateTimeUtc;
		const now = this.sandbox.store.clock.now();
		record.Id = randomUUID();
		record.DocumentNo = `E2E-TRG-${++this.counter}`;
		record.CreationTime = new Date(now).toISOString();
		this.sandbox.store.insert(ORDERS, record);
		return this.remember(String(record.Id), 'created', `create ${String(record.DocumentNo)}`);
	}

	/** Changes a field of the order itself. */
	update(id: string, what = 'update'): ExpectedChange {
		this.sandbox.store.patch(ORDERS, id, { Notes: `changed ${++this.counter}` });
		return this.remember(id, 'updated', `${what} ${id}`);
	}

	/** Changes a line of the order: a change of its aggregate (AggregateLastUpdateTimeUtc of the root). */
	updateLine(orderId: string): ExpectedChange {
		const line = this.sandbox.store.list(LINES).find((candidate) => ownerOf(candidate) === orderId);
		if (!line) throw new Error(`sales order ${orderId} has no lines`);
		this.sandbox.store.patch(LINES, String(line.Id), { Notes: `line changed ${++this.counter}` });
		return this.remember(orderId, 'updated', `line of ${orderId}`);
	}

	/** A change stamped `delayMs` before it becomes visible: a long transaction that commits late. */
	lateCommit(id: string, delayMs: number): ExpectedChange {
		const { clock } = this.sandbox.store;
		const before = clock.commitDelayMs;
		this.sandbox.control.setClock({ commitDelayMs: delayMs });
		try {
			return this.update(id, `late commit (${delayMs / 1000} s) of`);
		} finally {
			this.sandbox.control.setClock({ commitDelayMs: before });
		}
	}

	/** Seeded orders that have lines, for line changes. */
	ordersWithLines(): string[] {
		const owners = new Set(this.sandbox.store.list(LINES).map(ownerOf));
		return this.sandbox.store
			.list(ORDERS)
			.map((order) => String(order.Id))
			.filter((id) => owners.has(id));
	}
}

/** The sales order a line belongs to (its `SalesOrder` reference, `{ "@odata.id": "Crm_Sales_SalesOrders(<id>)" }`). */
function ownerOf(line: Record<string, unknown>): string | undefined {
	const reference = line.SalesOrder as { '@odata.id'?: unknown } | null | undefined;
	return /\(([0-9a-f-]{36})\)/.exec(String(reference?.['@odata.id'] ?? ''))?.[1];
}
