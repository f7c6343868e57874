import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import {
	attribute,
	attributesOf,
	childCollection,
	currentNameOf,
	derivedSets,
	domainModel,
	entitySetOfType,
	findRename,
	getEntitySet,
	isAssignableTo,
	reference,
	requireEntitySet,
	storageSets,
} from '../../sandbox/src/schema';

const REPO_ROOT = join(__dirname, '..', '..');
const MODEL_PAGES = join(REPO_ROOT, '..', 'shared', 'reference', 'erpnet-model');

function names<T extends { name: string }>(items: T[]): string[] {
	return items.map((item) => item.name);
}

describe('domain model', () => {
	it('should hold one entity set per model page, with source and attribution', () => {
		expect(domainModel.entitySets).toHaveLength(35);
		expect(domainModel.source).toMatch(/^ErpNetDocs\/model@[0-9a-f]{12}$/);
		expect(domainModel.attribution).toBe(
			'Based on ERP.net documentation (ErpNetDocs/dev, ErpNetDocs/model), licensed CC BY 4.0.',
		);
	});

	it('should name sets after the repository and types after the API section', () => {
		const customers = requireEntitySet('Crm_Sales_Customers');
		expect(customers).toMatchObject({
			repository: 'Crm.Sales.Customers',
			typeName: 'Crm_Sales_Customer',
			table: 'Crm_Customers',
			apiAccess: 'ReadWrite',
			aggregateRoot: true,
			abstract: false,
			displayFormat: '{Party.PartyName:T}',
			searchMembers: ['Number', 'Party.PartyName'],
			codeMember: 'Number',
			nameMember: 'Party.PartyName',
		});
		expect(getEntitySet('Crm.Sales.Customers')).toBe(customers);
		expect(entitySetOfType('Erp.General_Products_Product')?.name).toBe('General_Products_Products');
	});

	it('should read Customers.Number as string (16), nullable, Filter(eq;like) and ORD', () => {
		expect(attribute('Crm_Sales_Customers', 'Number')).toMatchObject({
			type: 'String',
			maxLength: 16,
			nullable: true,
			required: false,
			filters: ['eq', 'like'],
			orderable: true,
		});
	});

	it('should read Amount precision, scale and currency expression', () => {
		expect(attribute('Crm_Sales_Customers', 'CreditLimit')).toMatchObject({
			type: 'Amount',
			precision: 18,
			scale: 2,
			nullable: true,
			unitExpression: 'EnterpriseCompany?.BaseCurrency',
		});
		expect(attribute('Crm_Sales_SalesOrderLines', 'Quantity')).toMatchObject({
			type: 'Quantity',
			precision: 12,
			scale: 3,
			required: true,
			defaultApiValue: 1,
			unitExpression: 'QuantityUnit',
			filters: ['ge', 'le'],
		});
	});

	it('should read multi-language strings, defaults and date types', () => {
		expect(attribute('General_Products_Products', 'Name')).toMatchObject({
			type: 'MultilanguageString',
			maxLength: 254,
			required: true,
		});
		expect(attribute('Crm_Sales_Customers', 'Active')).toMatchObject({
			type: 'Boolean',
			required: true,
			defaultValue: 'true',
			defaultApiValue: true,
		});
		expect(attribute('Crm_Sales_Customers', 'FromDate')).toMatchObject({
			type: 'DateTime',
			defaultValue: 'Today',
			defaultValueType: 'CurrentDate',
		});
		expect(attribute('Crm_Sales_SalesOrders', 'DocumentDate')).toMatchObject({ type: 'Date', orderable: true });
		expect(attribute('General_Currencies_Currencies', 'CurrencySign')).toMatchObject({ maxLength: 4, required: true });
	});

	it('should read the DocumentState enum of sales orders with its database values', () => {
		const state = attribute('Crm_Sales_SalesOrders', 'State');
		expect(state).toMatchObject({
			type: 'Enum',
			required: true,
			readOnly: true,
			defaultApiValue: 'New',
			enumTypeName: 'General.Documents.DocumentState',
			inheritedFrom: 'General_Documents_Documents',
			filters: ['eq', 'ge', 'le', 'multi eq'],
		});
		const members = Object.fromEntries((state?.enumValues ?? []).map((member) => [member.name, member.databaseValue]));
		expect(members).toEqual({
			New: '0',
			Adjustment: '5',
			Planned: '10',
			FirmPlanned: '20',
			Released: '30',
			Completed: '40',
			Closed: '50',
		});
	});

	it('should keep character database values of enums and map Default("P") to the member name', () => {
		const deliveryTerms = attribute('Crm_Sales_SalesOrders', 'DeliveryTermsCode');
		expect(deliveryTerms?.enumValues?.[0]).toMatchObject({ name: 'ExWorks', databaseValue: 'EXW', modelValue: 0 });
		expect(attribute('General_Contacts_Parties', 'PartyType')).toMatchObject({
			defaultValue: '"P"',
			defaultApiValue: 'Person',
		});
		const referenceTokens = attribute('Systems_Security_TrustedApplications', 'ReferenceTokens');
		expect(referenceTokens?.enumValues?.map((member) => `${member.name}=${member.databaseValue}`)).toEqual([
			'None=NON',
			'AuthenticatedUsers=USR',
			'AdministratorsOnly=ADM',
		]);
	});

	it('should resolve references to sets with a page and drop the others', () => {
		expect(reference('Crm_Sales_Customers', 'Party')).toMatchObject({
			targetSet: 'General_Contacts_Parties',
			nullable: false,
			filterable: true,
			owner: false,
		});
		expect(reference('Crm_Sales_Customers', 'DefaultCurrency')).toMatchObject({
			targetSet: 'General_Currencies_Currencies',
			nullable: true,
			filterable: false,
		});
		// Its page, Crm.Sales.CustomerTypes, is not in the model snapshot.
		expect(reference('Crm_Sales_Customers', 'CustomerType')).toBeUndefined();
		const targets = domainModel.entitySets.flatMap((set) => set.references.map((ref) => ref.targetSet));
		expect(targets.filter((target) => !getEntitySet(target))).toEqual([]);
	});

	it('should mark ownership references, from the Owner tag or the parent collection', () => {
		const lines = requireEntitySet('Crm_Sales_SalesOrderLines');
		expect(lines).toMatchObject({
			aggregateRoot: false,
			aggregateParent: 'Crm_Sales_SalesOrders',
			aggregateRootSet: 'Crm_Sales_SalesOrders',
		});
		expect(reference(lines.name, 'SalesOrder')).toMatchObject({ owner: true, filterable: true, required: true });
		expect(reference(lines.name, 'Document')).toMatchObject({ owner: false, targetSet: 'Crm_Sales_SalesOrders' });
		expect(childCollection('Crm_Sales_SalesOrders', 'Lines')).toEqual({
			name: 'Lines',
			childSet: 'Crm_Sales_SalesOrderLines',
			ownerReference: 'SalesOrder',
		});
		expect(reference('General_Contacts_PartyContactMechanisms', 'Party')).toMatchObject({ owner: true });
	});

	it('should model Parties as the abstract base of Companies, Persons and Stores', () => {
		const parties = requireEntitySet('General_Contacts_Parties');
		expect(parties).toMatchObject({ abstract: true, keyAttribute: 'PartyId', typeName: 'General_Contacts_Party' });
		expect(names(derivedSets('General_Contacts_Parties')).sort()).toEqual([
			'General_Contacts_Companies',
			'General_Contacts_Persons',
			'Logistics_Inventory_Stores',
		]);
		expect(names(storageSets('General_Contacts_Parties'))).not.toContain('General_Contacts_Parties');
		expect(requireEntitySet('General_Contacts_Companies')).toMatchObject({
			abstract: false,
			baseSet: 'General_Contacts_Parties',
		});
		expect(isAssignableTo('General_Contacts_Persons', 'General_Contacts_Parties')).toBe(true);
		expect(isAssignableTo('General_Contacts_Parties', 'General_Contacts_Persons')).toBe(false);
	});

	it("should give a company the party's attributes, but its own Id as key", () => {
		expect(attribute('General_Contacts_Companies', 'PartyName')).toMatchObject({
			type: 'MultilanguageString',
			required: true,
			readOnly: true,
			inheritedFrom: 'General_Contacts_Parties',
		});
		expect(reference('General_Contacts_Companies', 'ParentParty')?.targetSet).toBe('General_Contacts_Parties');
		expect(childCollection('General_Contacts_Persons', 'ContactMechanisms')?.childSet).toBe(
			'General_Contacts_PartyContactMechanisms',
		);
		expect(attribute('General_Contacts_Companies', 'Id')?.type).toBe('Guid');
		expect(attribute('General_Contacts_Companies', 'PartyId')).toBeUndefined();
	});

	it('should model sales orders as documents', () => {
		expect(requireEntitySet('General_Documents_Documents')).toMatchObject({
			abstract: true,
			keyAttribute: 'DocumentId',
		});
		expect(requireEntitySet('Crm_Sales_SalesOrders').baseSet).toBe('General_Documents_Documents');
		expect(attribute('Crm_Sales_SalesOrders', 'TotalLineAmount')).toMatchObject({ type: 'Amount', calculated: true });
		expect(attribute('Crm_Sales_SalesOrders', 'DocumentVersion')).toMatchObject({ obsolete: true });
	});

	it('should give every set the system attributes its page lists', () => {
		for (const set of domainModel.entitySets) {
			const system = attributesOf(set.name).filter((candidate) => candidate.system);
			expect(names(system)).toEqual(expect.arrayContaining([set.keyAttribute ?? 'Id', 'ObjectVersion', 'DisplayText']));
			expect(attribute(set.name, 'ObjectVersion')).toMatchObject({ type: 'Int32', readOnly: true, nullable: false });
			expect(attribute(set.name, 'DisplayText')).toMatchObject({ type: 'String', readOnly: true });
		}
		expect(attribute('Crm_Sales_Customers', 'ExternalId')).toMatchObject({
			nullable: true,
			filters: ['eq', 'multi eq'],
			orderable: true,
		});
		expect(attribute('Crm_Sales_Customers', 'AggregateLastUpdateTimeUtc')).toMatchObject({
			filters: ['ge', 'le'],
			readOnly: true,
		});
		expect(attribute('Crm_Sales_Customers', 'AdditionalDataJson')).toMatchObject({ maxLength: 32000 });
		// Lines are not aggregate roots: their page lists only Id, ObjectVersion and DisplayText.
		expect(attribute('Crm_Sales_SalesOrderLines', 'ExternalId')).toBeUndefined();
	});

	it('should find renames by old set or repository name and follow chains', () => {
		expect(domainModel.renames).toHaveLength(166);
		expect(findRename('Crm_Customers')).toEqual({
			oldName: 'Crm_Customers',
			newName: 'Crm_Sales_Customers',
			version: '25.1.2.28',
			case: '38176',
		});
		expect(findRename('General.MeasurementUnits')?.newName).toBe('General_Products_MeasurementUnits');
		expect(findRename('Crm_Sales_Customers')).toBeUndefined();
		expect(currentNameOf('Crm_Marketing_ForecastItems')).toBe('Logistics_Planning_DemandForecastItems');
	});

	(existsSync(MODEL_PAGES) ? it : it.skip)('should match what the generator makes from the model pages', () => {
		const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
		const script = join(REPO_ROOT, 'sandbox', 'scripts', 'generate-schema.ts');
		const output = execFileSync(tsx, [script, '--check', '--quiet'], { encoding: 'utf8' });
		expect(output).toContain('is up to date');
	});
});
