import type { IDataObject } from 'n8n-workflow';

import { locator, useSandbox } from '../../../../helpers/erpnet';

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

/** A reference to the first stored company as a customer's Party. */
export function partyReference(sandbox: ReturnType<typeof useSandbox>): IDataObject {
	return {
		'@odata.id': `General_Contacts_Parties(${String(sandbox().store.list('General_Contacts_Companies')[0].Id)})`,
	};
}

/** Update of the customer `$json.id` with `$json.body`, batched, the record read back. */
export const batchedUpdate = (options: IDataObject = {}) => ({
	operation: 'update',
	entitySet: locator('Crm_Sales_Customers'),
	recordId: locator('={{ $json.id }}', 'id'),
	fieldsInput: 'json',
	jsonBody: '={{ JSON.stringify($json.body) }}',
	options: { batching: 'independent', ...options },
});

export const batchedCreate = (options: IDataObject = {}) => ({
	operation: 'create',
	entitySet: locator('Crm_Sales_Customers'),
	fieldsInput: 'json',
	jsonBody: '={{ JSON.stringify($json.body) }}',
	options: { batching: 'independent', ...options },
});
