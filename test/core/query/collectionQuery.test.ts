import { NodeOperationError } from 'n8n-workflow';

import type { ModelRepositoryDetails } from '../../../core/odata/types';
import { buildCollectionQuery, collectionQuery, countQuery } from '../../../core/query/collectionQuery';
import { getEntitySetModelFor } from '../../../core/transport/model';
import type { ErpNetFunctions } from '../../../core/transport/types';
import { testNode } from '../auth/fixtures';

// The model read is a Domain API request (core/transport/model.ts); here it is stubbed to see when it is made.
jest.mock('../../../core/transport/model', () => ({ getEntitySetModelFor: jest.fn() }));
const readModel = jest.mocked(getEntitySetModelFor);

const COMPANY = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

const customers: ModelRepositoryDetails = {
	Name: 'Crm_Sales_Customers',
	Attributes: [
		{ Name: 'Number', Type: 'Edm.String' },
		{ Name: 'Active', Type: 'Edm.Boolean' },
		{ Name: 'CreditLimit', Type: 'Erp.Amount' },
		{ Name: 'CustomProperty_Region', Type: 'Erp.CustomPropertyValue', IsCustomProperty: true },
	],
};

const context = { getNode: () => testNode } as unknown as ErpNetFunctions;

beforeEach(() => {
	readModel.mockReset();
	readModel.mockResolvedValue(customers);
});

describe('collectionQuery', () => {
	it('should send no query option and no header for empty options', () => {
		expect(collectionQuery(testNode, {})).toEqual({
			query: { $filter: undefined, $select: undefined, $expand: undefined, $orderby: undefined, $search: undefined },
			headers: {},
		});
	});

	it('should join the Conditions and the raw filter with and, each in parentheses', () => {
		const { query } = collectionQuery(
			testNode,
			{
				conditions: [
					{ field: 'Active', operator: 'eq', value: 'true' },
					{ field: 'CreditLimit', operator: 'ge', value: '1000' },
				],
				filter: " startswith(Number,'C') ",
			},
			customers,
		);
		expect(query.$filter).toBe("(Active eq true and CreditLimitValue ge 1000) and (startswith(Number,'C'))");
	});

	it('should send the raw filter alone as typed when there are no conditions', () => {
		expect(collectionQuery(testNode, { filter: "Number eq 'C1'" }).query.$filter).toBe("Number eq 'C1'");
	});

	it('should join Fields to Return given as a list or as comma-separated text', () => {
		expect(collectionQuery(testNode, { select: ['Number', ' Active ', ''] }).query.$select).toBe('Number,Active');
		expect(collectionQuery(testNode, { select: 'Number, CustomProperty_Region,' }).query.$select).toBe(
			'Number,CustomProperty_Region',
		);
		expect(collectionQuery(testNode, { select: ' , ' }).query.$select).toBeUndefined();
	});

	it('should trim expand and order by and leave them out when blank', () => {
		expect(collectionQuery(testNode, { expand: ' Party ', orderBy: ' Number desc ' }).query).toMatchObject({
			$expand: 'Party',
			$orderby: 'Number desc',
		});
		expect(collectionQuery(testNode, { expand: ' ', orderBy: '' }).query).toMatchObject({
			$expand: undefined,
			$orderby: undefined,
		});
	});

	it('should quote the search term as the docs write it, and keep a term the user quoted', () => {
		expect(collectionQuery(testNode, { search: ' 015 ' }).query.$search).toBe('"015"');
		expect(collectionQuery(testNode, { search: '"Main street"' }).query.$search).toBe('"Main street"');
		expect(collectionQuery(testNode, { search: 'say "hi"' }).query.$search).toBe('"say \\"hi\\""');
		expect(collectionQuery(testNode, { search: '  ' }).query.$search).toBeUndefined();
	});

	it('should add the language and context headers', () => {
		expect(collectionQuery(testNode, { language: 'bg', enterpriseCompanyId: COMPANY }).headers).toEqual({
			'Accept-Language': 'bg',
			Prefer: `CurrentEnterpriseCompanyId=${COMPANY}`,
		});
	});

	it('should turn a condition it cannot build into an item error that says why', () => {
		let error: unknown;
		try {
			collectionQuery(testNode, { conditions: [{ field: 'Number eq 1', operator: 'eq', value: 'x' }] }, customers, 4);
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).message).toBe('"Number eq 1" is not a field name');
		expect((error as NodeOperationError).context.itemIndex).toBe(4);
	});

	it('should filter a stored attribute by its short value with eq only', () => {
		const condition = { field: 'CustomProperty_Region', operator: 'eq', value: 'North' } as const;
		expect(collectionQuery(testNode, { conditions: [condition] }, customers).query.$filter).toBe(
			"CustomProperty_Region eq 'North'",
		);
		expect(() =>
			collectionQuery(testNode, { conditions: [{ ...condition, operator: 'contains' }] }, customers),
		).toThrow(NodeOperationError);
	});
});

describe('buildCollectionQuery', () => {
	it('should not read the model for a read without conditions or stored attributes', async () => {
		const built = await buildCollectionQuery.call(context, 'Crm_Sales_Customers', { select: ['Number'], search: 'C' });
		expect(readModel).not.toHaveBeenCalled();
		expect(built.query).toMatchObject({ $select: 'Number', $search: '"C"' });
	});

	it('should read the model to type the conditions, naming the fields of the conditions and the selection', async () => {
		const built = await buildCollectionQuery.call(
			context,
			'Crm_Sales_Customers',
			{ conditions: [{ field: ' CreditLimit ', operator: 'le', value: '5' }], select: 'Number' },
			1,
		);
		expect(readModel).toHaveBeenCalledWith('Crm_Sales_Customers', ['CreditLimit', 'Number'], 1);
		expect(built.query.$filter).toBe('CreditLimitValue le 5');
	});

	it('should read the model for a selected stored attribute even without conditions (it may need a model reset)', async () => {
		await buildCollectionQuery.call(context, 'Crm_Sales_Customers', { select: ['Number', 'CustomProperty_Region'] });
		expect(readModel).toHaveBeenCalledWith('Crm_Sales_Customers', ['Number', 'CustomProperty_Region'], undefined);
		await buildCollectionQuery.call(context, 'Crm_Sales_Customers', { select: 'CustomProperty_Color_u002Ename' });
		expect(readModel).toHaveBeenCalledTimes(2);
	});

	it('should pass on the error of a model read that fails', async () => {
		readModel.mockRejectedValueOnce(new Error('CustomProperty_Nope is not a field of Crm_Sales_Customers'));
		await expect(
			buildCollectionQuery.call(context, 'Crm_Sales_Customers', { select: 'CustomProperty_Nope' }),
		).rejects.toThrow('CustomProperty_Nope is not a field');
	});
});

describe('countQuery', () => {
	it('should keep only the filter and the search, which /$count accepts', () => {
		expect(
			countQuery({
				$filter: 'Active eq true',
				$search: '"C"',
				$select: 'Number',
				$orderby: 'Number',
				$expand: 'Party',
				$top: 5,
				$skip: 10,
				$count: true,
			}),
		).toEqual({ $filter: 'Active eq true', $search: '"C"' });
	});
});
