import type { IDataObject } from 'n8n-workflow';

import { locator, useSandbox } from '../../../../helpers/erpnet';

/** One sandbox with sales orders in every state per document-action test file, reset before each test. */
export function useDocumentSandbox() {
	const sandbox = useSandbox({ sizes: { customers: 20, products: 20, salesOrders: 40 } });
	beforeEach(() => {
		sandbox().control.reset();
		sandbox().control.clearLog();
		sandbox().control.clearFaults();
	});
	return sandbox;
}

/** The first `count` stored, non-void sales orders in `state`. */
export function ordersIn(sandbox: ReturnType<typeof useSandbox>, state: string, count = 1): IDataObject[] {
	const orders = sandbox()
		.store.list('Crm_Sales_SalesOrders')
		.filter((order) => order.State === state && order.Void === false)
		.slice(0, count) as IDataObject[];
	if (orders.length < count) throw new Error(`The seed has fewer than ${count} ${state} orders`);
	return orders;
}

/** The sales order as stored now. */
export function stored(sandbox: ReturnType<typeof useSandbox>, id: unknown): IDataObject {
	return sandbox().store.get('Crm_Sales_SalesOrders', String(id)) as IDataObject;
}

export const salesOrders = locator('Crm_Sales_SalesOrders');
