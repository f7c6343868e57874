import type { ModelRepositoryDetails } from '../../../core/odata/types';
import type { AggregationRow, GroupKeyRow, SummaryField } from '../../../core/query/summarize';
import {
	aggregatable,
	fieldsOf,
	isDate,
	isDimension,
	isFollowable,
	isMeasure,
	MAX_DIMENSION_TEXT_LENGTH,
	resolveField,
	SummarizeError,
	summaryPlan,
} from '../../../core/query/summarize';

const lines: ModelRepositoryDetails = {
	Name: 'Crm_Sales_SalesOrderLines',
	Attributes: [
		{ Name: 'Id', Type: 'Edm.Guid' },
		{ Name: 'LineNo', Type: 'Edm.Int32' },
		{ Name: 'LineAmount', Type: 'Erp.Amount' },
		{ Name: 'Quantity', Type: 'Erp.Quantity' },
		{ Name: 'Discount', Type: 'Edm.Decimal' },
		{ Name: 'Confirmed', Type: 'Edm.Boolean' },
		{ Name: 'RequiredDeliveryDate', Type: 'Edm.Date' },
		{ Name: 'LineStatus', Type: 'Erp.General_Documents_DocumentState' },
		{ Name: 'Kind', enumValues: [{ Value: 'S', Name: 'Standard' }] },
		{ Name: 'Code', Type: 'Edm.String', BaseInfo: { MaxLength: 16 } },
		{ Name: 'Title', Type: 'Edm.String', BaseInfo: { MaxLength: MAX_DIMENSION_TEXT_LENGTH } },
		{ Name: 'Notes', Type: 'Edm.String', BaseInfo: { MaxLength: MAX_DIMENSION_TEXT_LENGTH + 1 } },
		{ Name: 'Remark', Type: 'Edm.String' },
		{ Name: 'Description', Type: 'Erp.MultilanguageString' },
	],
	References: [
		{ Name: 'SalesOrder', ReferencedEntitySet: 'Crm_Sales_SalesOrders', IsOwnership: true },
		{ Name: 'Product', ReferencedEntitySet: 'General_Products_Products' },
		{ Name: 'Store', ReferencedEntitySet: 'Logistics_Inventory_Stores', IsFilterable: true },
		{ Name: 'Lot', ReferencedEntitySet: 'Logistics_Inventory_Lots', BaseInfo: { Subtype: 'FilterableReference' } },
		{ Name: 'Broken', IsOwnership: true },
	],
};

const orders: ModelRepositoryDetails = {
	Name: 'Crm_Sales_SalesOrders',
	Attributes: [
		{ Name: 'DocumentDate', Type: 'Edm.DateTimeOffset' },
		{ Name: 'Number', Type: 'Edm.String', BaseInfo: { MaxLength: 16 } },
	],
	References: [{ Name: 'Customer', ReferencedEntitySet: 'Crm_Sales_Customers' }],
	ChildCollections: [{ Name: 'Lines', ChildEntitySet: 'Crm_Sales_SalesOrderLines' }],
};

const stores: ModelRepositoryDetails = {
	Name: 'Logistics_Inventory_Stores',
	Attributes: [{ Name: 'Code', Type: 'Edm.String', BaseInfo: { MaxLength: 16 } }],
};

const models: Record<string, ModelRepositoryDetails> = {
	Crm_Sales_SalesOrderLines: lines,
	Crm_Sales_SalesOrders: orders,
	Logistics_Inventory_Stores: stores,
	Logistics_Inventory_Lots: { Name: 'Logistics_Inventory_Lots', Attributes: [{ Name: 'Number', Type: 'Edm.String' }] },
};

const modelsRead: string[] = [];
const modelOf = async (entitySet: string) => {
	modelsRead.push(entitySet);
	return models[entitySet];
};

beforeEach(() => {
	modelsRead.length = 0;
});

/** A field of the lines model as resolveField gives it. */
const field = async (path: string, model = lines) => await resolveField(path, model, modelOf);
const key = async (row: GroupKeyRow) => ({ row, field: await field(row.field) });
const aggregation = async (row: AggregationRow) => ({
	row,
	field: row.field === undefined ? undefined : await field(row.field),
});

async function refusal(run: () => unknown): Promise<SummarizeError> {
	try {
		await run();
	} catch (error) {
		expect(error).toBeInstanceOf(SummarizeError);
		return error as SummarizeError;
	}
	throw new Error('expected a SummarizeError');
}

const attributeField = (name: string): SummaryField => ({
	path: name,
	attribute: lines.Attributes?.find((attribute) => attribute.Name === name),
});

describe('field kinds', () => {
	it.each(['Id', 'LineNo', 'Confirmed', 'RequiredDeliveryDate', 'LineStatus', 'Kind', 'Code', 'Title'])(
		'should take %s for a dimension',
		(name) => {
			expect(isDimension(attributeField(name))).toBe(true);
		},
	);

	it('should take a reference for a dimension', () => {
		expect(isDimension({ path: 'Product', reference: lines.References?.[1] })).toBe(true);
		expect(isDimension({ path: 'Nothing' })).toBe(false);
	});

	it.each(['LineAmount', 'Quantity', 'Discount', 'Description', 'Notes', 'Remark'])(
		'should not take %s (amounts, decimals, multi-language, long or unbounded text) for a dimension',
		(name) => {
			expect(isDimension(attributeField(name))).toBe(false);
		},
	);

	it.each(['LineNo', 'LineAmount', 'Quantity', 'Discount'])('should take %s for a measure', (name) => {
		expect(isMeasure(attributeField(name))).toBe(true);
	});

	it.each(['Id', 'Confirmed', 'RequiredDeliveryDate', 'Code', 'Description', 'LineStatus'])(
		'should not take %s for a measure',
		(name) => {
			expect(isMeasure(attributeField(name))).toBe(false);
		},
	);

	it('should take Edm.Date and Edm.DateTimeOffset for dates only', () => {
		expect(isDate(attributeField('RequiredDeliveryDate'))).toBe(true);
		expect(isDate({ path: 'DocumentDate', attribute: orders.Attributes?.[0] })).toBe(true);
		expect(isDate(attributeField('Code'))).toBe(false);
		expect(isDate({ path: 'Product', reference: lines.References?.[1] })).toBe(false);
	});

	it('should count anything, count distinct dimensions and measures, and sum, min and max measures only', () => {
		expect(aggregatable(attributeField('Description'), 'count')).toBe(true);
		expect(aggregatable(attributeField('Code'), 'countdistinct')).toBe(true);
		expect(aggregatable(attributeField('Discount'), 'countdistinct')).toBe(true);
		expect(aggregatable(attributeField('Description'), 'countdistinct')).toBe(false);
		for (const fn of ['sum', 'min', 'max'] as const) {
			expect(aggregatable(attributeField('LineAmount'), fn)).toBe(true);
			expect(aggregatable(attributeField('Confirmed'), fn)).toBe(false);
			expect(aggregatable(attributeField('RequiredDeliveryDate'), fn)).toBe(false);
		}
	});

	it('should follow ownership and filterable references only', () => {
		const [salesOrder, product, store, lot] = lines.References ?? [];
		expect([salesOrder, product, store, lot].map(isFollowable)).toEqual([true, false, true, true]);
	});
});

describe('fieldsOf', () => {
	it('should list attributes and references with the path that leads to them', () => {
		const fields = fieldsOf(orders, 'SalesOrder/');
		expect(fields.map((entry) => entry.path)).toEqual([
			'SalesOrder/DocumentDate',
			'SalesOrder/Number',
			'SalesOrder/Customer',
		]);
		expect(fields[2].reference?.Name).toBe('Customer');
		expect(fieldsOf({ Name: 'Empty' })).toEqual([]);
	});
});

describe('resolveField', () => {
	it('should resolve an attribute and a reference of the set itself without reading another model', async () => {
		expect(await field(' LineAmount ')).toEqual({
			path: 'LineAmount',
			attribute: lines.Attributes?.[2],
			reference: undefined,
		});
		expect((await field('Product')).reference?.Name).toBe('Product');
		expect(modelsRead).toEqual([]);
	});

	it('should follow an ownership reference, reading the referenced set', async () => {
		const resolved = await field('SalesOrder/DocumentDate');
		expect(resolved).toMatchObject({ path: 'SalesOrder/DocumentDate', attribute: { Name: 'DocumentDate' } });
		expect(modelsRead).toEqual(['Crm_Sales_SalesOrders']);
		expect((await field('SalesOrder/Customer')).reference?.Name).toBe('Customer');
	});

	it('should follow filterable references', async () => {
		expect((await field('Store/Code')).attribute?.Name).toBe('Code');
		expect((await field('Lot/Number')).attribute?.Name).toBe('Number');
	});

	it('should refuse a path through a reference that is neither ownership nor filterable', async () => {
		const error = await refusal(() => field('Product/Name'));
		expect(error.message).toBe(
			'"Product/Name" follows Product, which is neither an ownership nor a filterable reference',
		);
		expect(error.hint).toContain('#paths-through-references');
	});

	it('should refuse a path through a child collection', async () => {
		const error = await refusal(() => field('Lines/LineAmount', orders));
		expect(error.message).toBe('"Lines/LineAmount" goes through the child collection Lines');
		expect(error.hint).toMatch(/does not group or aggregate through child collections/);
	});

	it('should name the set and the field it does not have', async () => {
		expect((await refusal(() => field('Amount'))).message).toBe(
			'Crm_Sales_SalesOrderLines has no field "Amount" (in "Amount")',
		);
		expect((await refusal(() => field('SalesOrder/Nope'))).message).toBe(
			'Crm_Sales_SalesOrders has no field "Nope" (in "SalesOrder/Nope")',
		);
	});

	it('should refuse a path through an attribute', async () => {
		expect((await refusal(() => field('LineAmount/Value'))).message).toBe(
			'Crm_Sales_SalesOrderLines has no field "LineAmount" (in "LineAmount/Value")',
		);
	});

	it.each(['', 'Line Amount', 'SalesOrder/', '/LineAmount', 'LineAmount,Quantity', "LineAmount' or 1"])(
		'should refuse %j as no field name or path',
		async (path) => {
			expect((await refusal(() => field(path))).message).toMatch(/is not a field name or path$/);
		},
	);

	it('should say when the model does not tell where a reference points', async () => {
		expect((await refusal(() => field('Broken/Code'))).message).toBe(
			'The model does not say which entity set Broken points to',
		);
	});
});

describe('summaryPlan', () => {
	it('should group by a reference path and aggregate, as the docs write $apply', async () => {
		const plan = summaryPlan(
			[await key({ field: 'SalesOrder/Customer' })],
			[
				await aggregation({ aggregation: 'sum', field: 'LineAmount', alias: 'TotalAmount' }),
				await aggregation({ aggregation: 'count', alias: 'Lines' }),
			],
		);
		expect(plan).toEqual({
			apply: 'groupby((SalesOrder/Customer),aggregate(LineAmount with sum as TotalAmount,$count as Lines))',
			expandGroup: undefined,
			outputNames: ['SalesOrder', 'TotalAmount', 'Lines'],
		});
	});

	it('should total without grouping with aggregate alone, naming the output after field and function', async () => {
		expect(summaryPlan([], [await aggregation({ aggregation: 'sum', field: 'LineAmount' })]).apply).toBe(
			'aggregate(LineAmount with sum as LineAmountSum)',
		);
	});

	it('should group without aggregations', async () => {
		const plan = summaryPlan([await key({ field: 'Product' }), await key({ field: 'Confirmed' })], []);
		expect(plan.apply).toBe('groupby((Product,Confirmed))');
		expect(plan.outputNames).toEqual(['Product', 'Confirmed']);
	});

	it('should name default aggregation outputs after the path and the function', async () => {
		const plan = summaryPlan(
			[],
			[
				await aggregation({ aggregation: 'countdistinct', field: 'Product' }),
				await aggregation({ aggregation: 'min', field: 'Quantity' }),
				await aggregation({ aggregation: 'max', field: 'Discount', alias: ' ' }),
				await aggregation({ aggregation: 'count' }),
			],
		);
		expect(plan.apply).toBe(
			'aggregate(Product with countdistinct as ProductCountDistinct,Quantity with min as QuantityMin,Discount with max as DiscountMax,$count as Count)',
		);
	});

	it('should group a date by an interval through compute', async () => {
		const plan = summaryPlan(
			[await key({ field: 'RequiredDeliveryDate', interval: 'yearmonth', alias: 'Month' })],
			[await aggregation({ aggregation: 'count' })],
		);
		expect(plan.apply).toBe(
			'compute(yearmonth(RequiredDeliveryDate) as Month)/groupby((Month),aggregate($count as Count))',
		);
		expect(plan.outputNames).toEqual(['Month', 'Count']);
	});

	it('should name an interval key after its path and interval by default', async () => {
		const plan = summaryPlan(
			[
				await key({ field: 'SalesOrder/DocumentDate', interval: 'year' }),
				await key({ field: 'RequiredDeliveryDate', interval: 'date' }),
			],
			[],
		);
		expect(plan.apply).toBe(
			'compute(year(SalesOrder/DocumentDate) as SalesOrderDocumentDateYear,date(RequiredDeliveryDate) as RequiredDeliveryDateDate)/groupby((SalesOrderDocumentDateYear,RequiredDeliveryDateDate))',
		);
	});

	it('should let two key paths share their first segment, which names one output', async () => {
		const plan = summaryPlan(
			[await key({ field: 'SalesOrder/Customer' }), await key({ field: 'SalesOrder/Number' })],
			[],
		);
		expect(plan.apply).toBe('groupby((SalesOrder/Customer,SalesOrder/Number))');
		expect(plan.outputNames).toEqual(['SalesOrder']);
	});

	it('should ask for something to summarize', async () => {
		const error = await refusal(() => summaryPlan([], []));
		expect(error.message).toBe('Add at least one Group By field or one aggregation');
	});

	it('should refuse grouping by a value that is no dimension', async () => {
		const error = await refusal(async () => summaryPlan([await key({ field: 'LineAmount' })], []));
		expect(error.message).toBe('LineAmount cannot be grouped: it is not a dimension');
		expect(error.hint).toContain('#groupable-and-aggregatable-properties');
	});

	it('should refuse an interval on a field that is no date', async () => {
		const error = await refusal(async () => summaryPlan([await key({ field: 'Code', interval: 'year' })], []));
		expect(error.message).toBe('Code is not a date: "year" groups dates only');
	});

	it('should refuse sum, min and max of what is not a number, amount or quantity', async () => {
		const error = await refusal(async () =>
			summaryPlan([], [await aggregation({ aggregation: 'sum', field: 'Confirmed' })]),
		);
		expect(error.message).toBe(
			'Confirmed cannot be aggregated with sum: sum accepts numbers, amounts and quantities only',
		);
		const distinct = await refusal(async () =>
			summaryPlan([], [await aggregation({ aggregation: 'countdistinct', field: 'Description' })]),
		);
		expect(distinct.message).toBe(
			'Description cannot be aggregated with countdistinct: countdistinct accepts dimensions and measures only',
		);
	});

	it('should ask for the field of an aggregation other than count', async () => {
		const error = await refusal(() => summaryPlan([], [{ row: { aggregation: 'max' } }]));
		expect(error.message).toBe('Choose the field to max');
	});

	it('should refuse a field used twice in Group By or twice in Aggregations (one use per source property)', async () => {
		const keys = await refusal(async () =>
			summaryPlan([await key({ field: 'Product' }), await key({ field: 'Product' })], []),
		);
		expect(keys.message).toBe('Product appears twice in Group By');
		expect(keys.hint).toContain('#one-use-per-source-property');
		const totals = await refusal(async () =>
			summaryPlan(
				[],
				[
					await aggregation({ aggregation: 'sum', field: 'LineAmount' }),
					await aggregation({ aggregation: 'max', field: 'LineAmount' }),
				],
			),
		);
		expect(totals.message).toBe('LineAmount appears twice in Aggregations');
	});

	it('should refuse an output name used twice', async () => {
		const error = await refusal(async () =>
			summaryPlan(
				[await key({ field: 'SalesOrder/Customer' })],
				[await aggregation({ aggregation: 'count', alias: 'SalesOrder' })],
			),
		);
		expect(error.message).toBe('The output name "SalesOrder" is used twice');
		expect(
			(
				await refusal(async () =>
					summaryPlan([], [await aggregation({ aggregation: 'count' }), await aggregation({ aggregation: 'count' })]),
				)
			).message,
		).toBe('The output name "Count" is used twice');
	});

	it.each(['Total Amount', '1st', 'Amount-EUR', 'x)/filter(true'])(
		'should refuse the output name %j, which would break the $apply text',
		async (alias) => {
			const error = await refusal(async () =>
				summaryPlan([], [await aggregation({ aggregation: 'sum', field: 'LineAmount', alias })]),
			);
			expect(error.message).toBe(`"${alias}" is not a valid output name (aggregation)`);
		},
	);

	it('should refuse an invalid interval key name', async () => {
		const error = await refusal(async () =>
			summaryPlan([await key({ field: 'RequiredDeliveryDate', interval: 'year', alias: 'Delivery year' })], []),
		);
		expect(error.message).toBe('"Delivery year" is not a valid output name (interval key)');
	});
});

describe('Expand Group', () => {
	it('should pass the expansion of grouped references on as written', async () => {
		const plan = summaryPlan(
			[await key({ field: 'SalesOrder/Customer' }), await key({ field: 'Product' })],
			[await aggregation({ aggregation: 'count' })],
			' SalesOrder/Customer($select=Number,Name),Product ',
		);
		expect(plan.expandGroup).toBe('SalesOrder/Customer($select=Number,Name),Product');
	});

	it('should leave it out when blank', async () => {
		expect(summaryPlan([await key({ field: 'Product' })], [], '  ').expandGroup).toBeUndefined();
	});

	it('should refuse a path that is not a grouped reference, listing those that are', async () => {
		const error = await refusal(async () =>
			summaryPlan([await key({ field: 'Product' }), await key({ field: 'Code' })], [], 'Code'),
		);
		expect(error.message).toBe('Expand Group "Code" is not a grouped reference');
		expect(error.hint).toBe('Expand only references listed in Group By (here: Product).');
	});

	it('should refuse it without any grouping', async () => {
		const error = await refusal(async () => summaryPlan([], [await aggregation({ aggregation: 'count' })], 'Product'));
		expect(error.message).toBe('Expand Group needs a Group By reference');
	});
});
