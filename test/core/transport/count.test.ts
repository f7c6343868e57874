/**
 * Counting records with `GET {Set}/$count` (core/transport/count.ts,
 * https://docs.erp.net/dev/domain-api/common-tasks/query-examples.html): the number as plain text, with the query.
 */
import { NodeOperationError } from 'n8n-workflow';

import { countRecords } from '../../../core/transport/count';
import { odataRequests, queryOption } from '../../helpers/erpnet';
import { caught, sandboxContext, useCleanSandbox } from './fixtures';

const sandbox = useCleanSandbox({ customers: 25, products: 3, salesOrders: 1 });

describe('countRecords', () => {
	it('should ask /$count for plain text and answer with the number of all records', async () => {
		const context = await sandboxContext(sandbox());

		const count = await countRecords.call(context, 'Crm_Sales_Customers', {}, { headers: { 'Accept-Language': 'bg' } });

		expect(count).toBe(sandbox().store.count('Crm_Sales_Customers'));
		const [request] = odataRequests(sandbox(), 'Crm_Sales_Customers');
		expect(request.path).toBe('/api/domain/odata/Crm_Sales_Customers/$count');
		expect(request.headers.accept).toBe('text/plain');
		expect(request.headers['accept-language']).toBe('bg');
	});

	it('should count only the records the filter matches', async () => {
		const number = String(sandbox().store.list('Crm_Sales_Customers')[4].Number);
		const context = await sandboxContext(sandbox());

		const count = await countRecords.call(context, 'Crm_Sales_Customers', { $filter: `Number eq '${number}'` });

		expect(count).toBe(1);
		expect(queryOption(odataRequests(sandbox(), 'Crm_Sales_Customers')[0], '$filter')).toBe(`Number eq '${number}'`);
	});

	it('should fail the item when ERP.net does not answer with a number', async () => {
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers/$count',
			status: 200,
			headers: { 'Content-Type': 'text/plain' },
			body: 'many',
		});
		const context = await sandboxContext(sandbox());

		const error = await caught(() => countRecords.call(context, 'Crm_Sales_Customers', {}, { itemIndex: 2 }));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('ERP.net did not answer the count of Crm_Sales_Customers with a number');
		expect(error.context).toMatchObject({ itemIndex: 2 });
	});

	it('should refuse an entity set name that would leave the Domain API, sending nothing', async () => {
		const context = await sandboxContext(sandbox());

		const error = await caught(() => countRecords.call(context, '../../id/connect/token#', {}));

		expect(error.message).toMatch(/is not a valid ERP\.net entity set or record$/);
		expect(odataRequests(sandbox())).toHaveLength(0);
	});
});
