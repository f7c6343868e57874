import { ErpNetTrigger } from '../../../../nodes/ErpNet/ErpNetTrigger.node';
import { erpNetCredentials, locator, useSandbox } from '../../../helpers/erpnet';
import { callListSearch, callLoadOptions, callResourceMapping } from '../../../helpers/n8n';

const sandbox = useSandbox({ sizes: { customers: 120, products: 10, salesOrders: 3 } });

const withEntitySet = (entitySet: string) => ({
	credentials: erpNetCredentials(sandbox()),
	parameters: { resource: 'entity', operation: 'create', entitySet: locator(entitySet) },
});

describe('editor methods', () => {
	it("should list the instance's entity sets from its model and search them", async () => {
		const all = await callListSearch('searchEntitySets', { credentials: erpNetCredentials(sandbox()) });
		const values = all.results.map((result) => result.value);
		expect(values).toEqual(
			expect.arrayContaining(['Crm_Sales_Customers', 'General_Products_Products', 'Crm_Sales_SalesOrders']),
		);

		const found = await callListSearch('searchEntitySets', {
			credentials: erpNetCredentials(sandbox()),
			filter: 'salesorder',
		});
		expect(found.results.map((result) => result.value).sort()).toEqual([
			'Crm_Sales_SalesOrderLines',
			'Crm_Sales_SalesOrders',
		]);
	});

	it('should list only document sets for the document actions and only aggregate roots for the trigger', async () => {
		const credentials = erpNetCredentials(sandbox());
		const documents = (await callListSearch('searchDocumentSets', { credentials })).results.map(
			(result) => result.value,
		);
		expect(documents).toContain('Crm_Sales_SalesOrders');
		expect(documents).not.toContain('Crm_Sales_Customers');
		expect(documents).not.toContain('Crm_Sales_SalesOrderLines');
		expect([...documents].sort((a, b) => String(a).localeCompare(String(b)))).toEqual(documents);

		const roots = await callListSearch('searchAggregateRoots', {
			credentials,
			nodeType: new ErpNetTrigger(),
			filter: 'SALESORDER',
		});
		expect(roots.results.map((result) => result.value)).toEqual(['Crm_Sales_SalesOrders']);
	});

	it('should search records by display text and page with the next link', async () => {
		const first = await callListSearch('searchRecords', withEntitySet('Crm_Sales_Customers'));
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBeTruthy();
		const second = await callListSearch('searchRecords', {
			...withEntitySet('Crm_Sales_Customers'),
			paginationToken: first.paginationToken,
		});
		expect(second.results).toHaveLength(50);
		expect(new Set([...first.results, ...second.results].map((result) => result.value)).size).toBe(100);

		const customer = sandbox().store.list('Crm_Sales_Customers')[7];
		const searched = await callListSearch('searchRecords', {
			...withEntitySet('Crm_Sales_Customers'),
			filter: String(customer.Number),
		});
		expect(searched.results.map((result) => result.value)).toContain(customer.Id);
	});

	it("should load more records and users from a relative next link, as ERP.net's paging page shows them", async () => {
		for (const [method, entitySet] of [
			['searchRecords', 'Crm_Sales_Customers'],
			['searchUsers', 'Systems_Security_Users'],
		]) {
			const [first] = sandbox().store.list(entitySet);
			sandbox().control.injectFault({
				kind: 'status',
				pathIncludes: `/api/domain/odata/${entitySet}`,
				status: 200,
				body: {
					value: [{ Id: first.Id, DisplayText: 'page one' }],
					'@odata.nextLink': `${entitySet}?$select=Id,DisplayText&$top=50&$skip=1`,
				},
			});
			const page = await callListSearch(method, withEntitySet('Crm_Sales_Customers'));
			expect(page.paginationToken).toBe(`${entitySet}?$select=Id,DisplayText&$top=50&$skip=1`);
			sandbox().control.clearLog();
			const more = await callListSearch(method, {
				...withEntitySet('Crm_Sales_Customers'),
				paginationToken: page.paginationToken,
			});
			expect(more.results.length).toBeGreaterThan(0);
			expect(sandbox().requests.map((entry) => entry.url)).toContain(
				`/api/domain/odata/${entitySet}?$select=Id,DisplayText&$top=50&$skip=1`,
			);
		}
	});

	it("should offer the entity set's fields for $select and conditions", async () => {
		const selectable = await callLoadOptions('getSelectableFields', withEntitySet('Crm_Sales_Customers'));
		expect(selectable.map((option) => option.value)).toEqual(
			expect.arrayContaining(['Number', 'Active', 'Party', 'Id']),
		);
		const filterable = await callLoadOptions('getFilterableFields', withEntitySet('Crm_Sales_Customers'));
		expect(filterable.map((option) => option.value)).toEqual(expect.arrayContaining(['Number', 'Party']));
	});

	it('should map writable fields from the model, typed, with required ones marked on create only', async () => {
		const create = await callResourceMapping('getColumns', withEntitySet('General_Products_Products'));
		const byId = new Map(create.fields.map((field) => [field.id, field]));
		expect(byId.get('PartNumber')).toMatchObject({ type: 'string', required: true });
		expect(byId.get('Active')).toMatchObject({ type: 'boolean' });
		expect(byId.get('ABCClass')).toMatchObject({ type: 'options' });
		expect(byId.get('Name')).toMatchObject({ type: 'object', required: true });
		expect(byId.has('Id')).toBe(false);
		expect(byId.has('ObjectVersion')).toBe(false);
		expect(byId.has('DisplayText')).toBe(false);

		const update = await callResourceMapping('getColumnsForUpdate', withEntitySet('General_Products_Products'));
		expect(update.fields.every((field) => !field.required)).toBe(true);
	});
});
