/**
 * The instance's model (core/transport/model.ts, https://docs.erp.net/dev/domain-api/common-tasks/discover-model.html):
 * the repositories, one entity set's model read once per context, and the fields an operation names checked
 * against it (stored attributes: https://docs.erp.net/dev/domain-api/common-tasks/stored-attributes.html).
 */
import { NodeOperationError } from 'n8n-workflow';

import {
	MODEL_RESET_INTERVAL_MS,
	getEntitySetFields,
	getEntitySetModel,
	getEntitySetModelFor,
	getModelRepositories,
} from '../../../core/transport/model';
import { caught, sandboxContext, useCleanSandbox } from './fixtures';

const sandbox = useCleanSandbox({ customers: 6, products: 3, salesOrders: 1 });

const modelReads = (entitySet: string) =>
	sandbox().requests.filter((entry) => entry.path === `/api/domain/currentmodel/${entitySet}`);
const definitionReads = () =>
	sandbox().requests.filter((entry) => entry.path.endsWith('/Systems_Bpm_CustomProperties'));

describe('getModelRepositories', () => {
	it("should list the instance's repositories", async () => {
		const context = await sandboxContext(sandbox());

		const repositories = await getModelRepositories.call(context);

		expect(repositories.map((repository) => repository.Name)).toEqual(
			expect.arrayContaining(['Crm_Sales_Customers', 'General_Products_Products']),
		);
		expect(sandbox().requests.filter((entry) => entry.path === '/api/domain/currentmodel')).toHaveLength(1);
	});
});

describe('getEntitySetModel', () => {
	it('should read the model of an entity set once per context', async () => {
		const context = await sandboxContext(sandbox());

		const first = await getEntitySetModel.call(context, 'Crm_Sales_Customers');
		const second = await getEntitySetModel.call(context, 'Crm_Sales_Customers');
		await getEntitySetModel.call(await sandboxContext(sandbox()), 'Crm_Sales_Customers');

		expect(first.Name).toBe('Crm_Sales_Customers');
		expect(first.Attributes?.some((attribute) => attribute.Name === 'Number')).toBe(true);
		expect(second).toBe(first);
		expect(modelReads('Crm_Sales_Customers')).toHaveLength(2);
	});

	it('should read the model again after a failed read', async () => {
		sandbox().control.injectFault({ kind: 'status', method: 'GET', pathIncludes: '/currentmodel/Crm_', status: 500 });
		const context = await sandboxContext(sandbox());

		await expect(getEntitySetModel.call(context, 'Crm_Sales_Customers')).rejects.toThrow();
		const model = await getEntitySetModel.call(context, 'Crm_Sales_Customers');

		expect(model.Name).toBe('Crm_Sales_Customers');
		expect(modelReads('Crm_Sales_Customers')).toHaveLength(2);
	});

	it('should refuse an invalid entity set name for its item, before any request', async () => {
		const context = await sandboxContext(sandbox());

		const error = await caught(() => getEntitySetModel.call(context, 'currentmodel/../x', 4));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('"currentmodel/../x" is not a valid ERP.net entity set name');
		expect(error.context).toMatchObject({ itemIndex: 4 });
		expect(sandbox().requests.filter((entry) => entry.path.startsWith('/api/domain/'))).toHaveLength(0);
	});
});

describe('getEntitySetModelFor and getEntitySetFields', () => {
	it('should not read the stored attribute definitions for fields that are not stored attributes', async () => {
		const context = await sandboxContext(sandbox());

		const model = await getEntitySetModelFor.call(context, 'Crm_Sales_Customers', ['Number', 'GracePeriodDays']);

		expect(model.Name).toBe('Crm_Sales_Customers');
		expect(definitionReads()).toHaveLength(0);
	});

	it('should fail the item naming a stored attribute that is not defined, and what to check', async () => {
		const context = await sandboxContext(sandbox());

		const error = await caught(() =>
			getEntitySetModelFor.call(context, 'Crm_Sales_Customers', ['Number', 'CustomProperty_nothing_here'], 1),
		);

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Crm_Sales_Customers has no stored attribute CustomProperty_nothing_here');
		expect(error.description).toMatch(/^No active stored attribute with this name is defined/);
		expect(error.context).toMatchObject({ itemIndex: 1 });
		expect(sandbox().requests.filter((entry) => entry.path === '/api/domain/reset')).toHaveLength(0);
	});

	it('should read the definitions once per context, and the fields once per entity set', async () => {
		const context = await sandboxContext(sandbox());

		const fields = await getEntitySetFields.call(context, 'Crm_Sales_Customers');
		await getEntitySetFields.call(context, 'Crm_Sales_Customers');
		await getEntitySetFields.call(context, 'General_Products_Products');

		expect(fields.Name).toBe('Crm_Sales_Customers');
		expect(definitionReads()).toHaveLength(1);
		expect(modelReads('Crm_Sales_Customers')).toHaveLength(1);
	});

	it('should reset the instance model at most once a minute', () => {
		expect(MODEL_RESET_INTERVAL_MS).toBe(60_000);
	});
});
