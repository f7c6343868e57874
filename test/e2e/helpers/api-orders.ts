/**
 * Sales orders created and changed through the sandbox's Domain API over HTTP, as a client application does: only
 * such changes fire ERP.net's client events (AGGREGATECLIENTCOMMITTED and the like) and so the sandbox's pushes
 * (https://docs.erp.net/tech/advanced/user-business-rules/action-types/webhook.html).
 */
import { accessToken, idOf, odata } from '../../sandbox/webhooks/client';
import { ORDERS } from './order-changes';
import type { Sandbox } from './sandbox';

/** The references a new order needs (document type, company, customer, currency), taken from a seeded order. */
const REFERENCES = ['DocumentType', 'EnterpriseCompany', 'Customer', 'DocumentCurrency'];

export class ApiOrders {
	private counter = 0;
	private token?: string;

	constructor(private readonly sandbox: Sandbox) {}

	private async bearer(): Promise<string> {
		this.token ??= await accessToken(this.sandbox);
		return this.token;
	}

	/** POSTs a new order without lines (`E2E-TRG-<n>`) and answers its Id. */
	async create(): Promise<string> {
		const [seeded] = this.sandbox.store.list(ORDERS);
		if (!seeded) throw new Error('the sandbox has no sales orders to copy references from');
		const body: Record<string, unknown> = {
			DocumentNo: `E2E-TRG-${++this.counter}`,
			DocumentDate: `${new Date().toISOString().slice(0, 10)}T00:00:00Z`,
		};
		for (const name of REFERENCES) body[name] = { '@odata.id': (seeded[name] as { '@odata.id': string })['@odata.id'] };
		const reply = await odata(this.sandbox, await this.bearer(), ORDERS, { body });
		if (reply.status !== 201) throw new Error(`creating a sales order answered ${reply.status}: ${reply.text}`);
		return idOf(reply).toLowerCase();
	}

	/** PATCHes a field of the order itself. */
	async update(id: string): Promise<void> {
		const reply = await odata(this.sandbox, await this.bearer(), `${ORDERS}(${id})`, {
			method: 'PATCH',
			body: { DocumentNotes: `changed ${++this.counter}` },
		});
		if (reply.status !== 204) throw new Error(`updating sales order ${id} answered ${reply.status}: ${reply.text}`);
	}
}
