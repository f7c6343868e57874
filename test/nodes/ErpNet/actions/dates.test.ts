/**
 * Dates with n8n east of UTC. n8n's resource mapper turns `2026-01-31` into `2026-01-31T00:00:00.000+02:00` in the
 * instance's time zone (GENERIC_TIMEZONE, Europe/Sofia here), and ERP.net keeps a date-time's instant: a date attribute
 * would be stored as 2026-01-30. The node sends dates as `YYYY-MM-DD` and date-times in UTC.
 */
import { getGlobalState, setGlobalState } from 'n8n-workflow';

import { locator, odataRequests, queryOption, runErpNet } from '../../../helpers/erpnet';
import { ordersIn, salesOrders, stored, useDocumentSandbox } from './document/document-fixtures';

const sandbox = useDocumentSandbox();
const previousState = getGlobalState();

beforeAll(() => setGlobalState({ ...previousState, defaultTimezone: 'Europe/Sofia' }));
afterAll(() => setGlobalState(previousState));

const lastPatchBody = () =>
	JSON.parse(
		odataRequests(sandbox(), 'Crm_Sales_SalesOrders')
			.filter((entry) => entry.method === 'PATCH')
			.at(-1)?.body ?? '{}',
	);

describe('dates with GENERIC_TIMEZONE=Europe/Sofia', () => {
	it('resource mapper: a date field keeps its calendar date, a date-time field goes as UTC', async () => {
		const [order] = ordersIn(sandbox, 'New');
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fieldsInput: 'mapper',
			columns: {
				mappingMode: 'defineBelow',
				value: { RequiredDeliveryDate: '={{ "2026-01-31" }}', PaymentDueDate: '={{ "2026-01-31" }}' },
				schema: [
					{
						id: 'RequiredDeliveryDate',
						displayName: 'RequiredDeliveryDate',
						type: 'dateTime',
						display: true,
						defaultMatch: false,
						required: false,
					},
					{
						id: 'PaymentDueDate',
						displayName: 'PaymentDueDate',
						type: 'dateTime',
						display: true,
						defaultMatch: false,
						required: false,
					},
				],
				matchingColumns: [],
			},
		});

		expect(error).toBeUndefined();
		expect(lastPatchBody()).toEqual({ RequiredDeliveryDate: '2026-01-31', PaymentDueDate: '2026-01-30T22:00:00Z' });
		expect(stored(sandbox, order.Id)).toMatchObject({
			RequiredDeliveryDate: '2026-01-31T00:00:00Z',
			PaymentDueDate: '2026-01-30T22:00:00Z',
		});
	});

	it('JSON input: a zoned midnight for a date attribute is sent as that date', async () => {
		const [order] = ordersIn(sandbox, 'New');
		const { error } = await runErpNet(sandbox(), {
			operation: 'update',
			entitySet: salesOrders,
			recordId: locator(String(order.Id), 'id'),
			fieldsInput: 'json',
			jsonBody: JSON.stringify({
				RequiredDeliveryDate: '2026-01-31T00:00:00.000+02:00',
				PaymentDueDate: '2026-02-01T09:30:00+02:00',
			}),
		});

		expect(error).toBeUndefined();
		expect(lastPatchBody()).toEqual({ RequiredDeliveryDate: '2026-01-31', PaymentDueDate: '2026-02-01T07:30:00Z' });
		expect(stored(sandbox, order.Id).RequiredDeliveryDate).toBe('2026-01-31T00:00:00Z');
	});

	it('Conditions: a date attribute is compared with the date as written, a date-time in UTC', async () => {
		const { error } = await runErpNet(sandbox(), {
			operation: 'getAll',
			entitySet: salesOrders,
			returnAll: true,
			options: {
				conditions: {
					condition: [
						{ field: 'DocumentDate', operator: 'ge', value: '2026-01-31T00:00:00.000+02:00' },
						{ field: 'PaymentDueDate', operator: 'le', value: '2026-02-01T09:30:00+02:00' },
					],
				},
			},
		});

		expect(error).toBeUndefined();
		const read = odataRequests(sandbox(), 'Crm_Sales_SalesOrders').find((entry) => entry.method === 'GET');
		expect(queryOption(read!, '$filter')).toBe(
			'DocumentDate ge 2026-01-31T00:00:00Z and PaymentDueDate le 2026-02-01T07:30:00Z',
		);
	});
});
