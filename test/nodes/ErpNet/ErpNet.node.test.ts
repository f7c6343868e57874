import type { INodeProperties } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ErpNet } from '../../../nodes/ErpNet/ErpNet.node';
import { operationOptions as documentOperationOptions } from '../../../nodes/ErpNet/actions/document/Document.resource';
import * as entity from '../../../nodes/ErpNet/actions/entity/Entity.resource';
import type { OperationRegistry } from '../../../nodes/ErpNet/actions/router';
import { TestNodeTypes } from '../../helpers/n8n';

const node = new ErpNet();
const { description } = node;

function property(name: string, operation?: string): INodeProperties | undefined {
	return description.properties.find(
		(candidate) =>
			candidate.name === name &&
			(!operation || (candidate.displayOptions?.show?.operation as string[] | undefined)?.includes(operation)),
	);
}

describe('ERP.net node description (public contract)', () => {
	it('should keep the persisted names: type, version, credential, resource and operations', () => {
		expect(description.name).toBe('erpNet');
		// Version 1 stays (saved workflows); 1.1 (Simplify outputs stored attributes as their value) is the default.
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([
			{ name: 'erpNetApi', required: true, displayOptions: { show: { authentication: ['clientCredentials'] } } },
			{
				name: 'erpNetReferenceTokenApi',
				required: true,
				displayOptions: { show: { authentication: ['referenceToken'] } },
			},
		]);
		// Workflows saved before the parameter existed have none: the default keeps them on the client credentials.
		expect(property('authentication')?.default).toBe('clientCredentials');
		expect((property('authentication')?.options as Array<{ value: string }>).map((option) => option.value)).toEqual([
			'clientCredentials',
			'referenceToken',
		]);
		expect(property('resource')?.options).toEqual([
			expect.objectContaining({ value: 'document' }),
			expect.objectContaining({ value: 'entity' }),
		]);
		const operations = description.properties
			.filter((candidate) => candidate.name === 'operation')
			.flatMap((candidate) => (candidate.options as Array<{ value: string }>).map((option) => option.value));
		expect(operations.sort()).toEqual(
			[
				'callMethod',
				'changeState',
				'create',
				'createNotification',
				'delete',
				'get',
				'getAll',
				'getPrintout',
				'makeVoid',
				'summarize',
				'update',
				'upsert',
			].sort(),
		);
	});

	it('should keep the persisted parameter names of each operation', () => {
		expect((property('entitySet')?.modes ?? []).map((mode) => mode.name)).toEqual(['list', 'name', 'url']);
		expect((property('recordId', 'get')?.modes ?? []).map((mode) => mode.name)).toEqual(['list', 'id', 'url']);
		expect(property('returnAll', 'getAll')).toBeDefined();
		expect(property('limit', 'getAll')?.default).toBe(50);
		const getAllOptions = (property('options', 'getAll')?.options as INodeProperties[]).map((option) => option.name);
		expect(getAllOptions).toEqual(expect.arrayContaining(['filter', 'select', 'expand', 'orderBy', 'search']));
		for (const operation of ['create', 'update']) {
			expect(property('fieldsInput', operation)?.options).toEqual([
				expect.objectContaining({ value: 'mapper' }),
				expect.objectContaining({ value: 'json' }),
			]);
			expect(property('columns', operation)?.type).toBe('resourceMapper');
			expect(property('jsonBody', operation)?.type).toBe('json');
		}
	});

	it('should show the operation and entity set as the subtitle on the canvas', () => {
		const nodeTypes = new TestNodeTypes().register('n8n-nodes-erpnet.erpNet', node);
		const subtitleFor = (operation: string, resource = 'entity') => {
			const workflow = new Workflow({
				nodes: [
					{
						id: '1',
						name: 'ERP.net',
						type: 'n8n-nodes-erpnet.erpNet',
						typeVersion: 1,
						position: [0, 0],
						parameters: {
							resource,
							operation,
							entitySet: { __rl: true, mode: 'name', value: 'Crm_Sales_Customers' },
						},
					},
				],
				connections: {},
				active: false,
				nodeTypes,
			});
			return workflow.expression.getSimpleParameterValue(
				workflow.nodes['ERP.net'],
				String(description.subtitle),
				'internal',
				{},
			);
		};
		expect(subtitleFor('getAll')).toBe('Get many: Crm_Sales_Customers');
		// The subtitle's labels are the operation names in sentence case, for every operation.
		for (const { name, value } of entity.operationOptions) {
			expect(subtitleFor(String(value))).toBe(`${name.charAt(0)}${name.slice(1).toLowerCase()}: Crm_Sales_Customers`);
		}
		for (const { name, value } of documentOperationOptions) {
			expect(subtitleFor(String(value), 'document')).toBe(
				`${name.charAt(0)}${name.slice(1).toLowerCase()}: Crm_Sales_Customers`,
			);
		}
	});
});

describe('Document and record actions (public contract)', () => {
	it('should keep the persisted parameter names and values of the actions', () => {
		expect(
			(property('newState', 'changeState')?.options as Array<{ value: string }>).map((option) => option.value),
		).toEqual(['New', 'Adjustment', 'Planned', 'FirmPlanned', 'Released', 'Completed', 'Closed']);
		expect(property('reason', 'makeVoid')?.required).toBe(true);
		expect(
			(property('voidType', 'makeVoid')?.options as Array<{ value: string }>).map((option) => option.value),
		).toEqual(['VoidDocument', 'VoidWithSubDocuments', 'VoidWithReleasedSubDocuments']);
		expect(
			(property('fileFormat', 'getPrintout')?.options as Array<{ value: string }>).map((option) => option.value),
		).toEqual(['pdf', 'html', 'xlsx', 'xls', 'docx', 'txt', 'png']);
		expect(property('binaryPropertyName', 'getPrintout')?.default).toBe('data');
		expect((property('user', 'createNotification')?.modes ?? []).map((mode) => mode.name)).toEqual(['list', 'id']);
		for (const name of ['notificationClass', 'subject', 'priority'])
			expect(property(name, 'createNotification')).toBeDefined();
		expect(property('method', 'callMethod')?.typeOptions?.loadOptionsMethod).toBe('getMethods');
		expect(property('methodParameters', 'callMethod')?.type).toBe('resourceMapper');
	});
});

describe('the router', () => {
	it('should not compile without every operation of a resource', () => {
		const { create, get, getAll, update, upsert } = entity;
		// @ts-expect-error "delete" is missing: the registry must list every operation of NodeMap
		const incomplete: OperationRegistry = { entity: { create, get, getAll, update, upsert } };
		expect(Object.keys(incomplete.entity)).not.toContain('delete');
	});
});
