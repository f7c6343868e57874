import type { IDataObject } from 'n8n-workflow';

import { useSandbox } from '../../../../helpers/erpnet';

/**
 * One small sandbox per operation test file, with a clean request log and no faults before each test.
 */
export function useEntitySandbox() {
	const sandbox = useSandbox({ sizes: { customers: 20, products: 20, salesOrders: 5 } });
	beforeEach(() => {
		sandbox().control.clearLog();
		sandbox().control.clearFaults();
	});
	return sandbox;
}

/** The GUID of a stored reference (`{ "@odata.id": "Set(guid)" }`). */
export function refId(reference: unknown): string {
	return String((reference as { '@odata.id': string })['@odata.id']).replace(/^.*\(|\)$/g, '');
}

/** The n-th stored customer. */
export function storedCustomer(sandbox: ReturnType<typeof useSandbox>, index = 3): IDataObject {
	return sandbox().store.list('Crm_Sales_Customers')[index] as IDataObject;
}
