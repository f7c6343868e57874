/**
 * The node as an AI agent's tool (n8n's `usableAsTool` variant, type `n8n-nodes-erpnet.erpNetTool`, whose
 * description name ends with "Tool", which is what `@tool` display conditions test): Delete refuses to run
 * until the user turns on "Allow the AI Agent to Delete"; the regular node is unaffected.
 */
import type { INodeType } from 'n8n-workflow';

import { ErpNet } from '../../../../../nodes/ErpNet/ErpNet.node';
import { locator, odataRequests, runErpNet, useSandbox } from '../../../../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 20, products: 1, salesOrders: 1 } });
const CUSTOMERS = 'Crm_Sales_Customers';

/** The node as n8n's tool variant: same code, description name `erpNetTool`. */
function toolVariant(): INodeType {
	const node = new ErpNet();
	node.description = { ...node.description, name: 'erpNetTool' };
	return node;
}

function deleteParameters(id: string, extra: Record<string, unknown> = {}) {
	return { operation: 'delete', entitySet: locator(CUSTOMERS), recordId: locator(id, 'id'), options: {}, ...extra };
}

function deleteRequests() {
	return odataRequests(sandbox(), CUSTOMERS).filter((entry) => entry.method === 'DELETE');
}

beforeEach(() => sandbox().control.clearLog());

describe('Delete as an AI agent tool', () => {
	it('should refuse to delete and say why when the user has not allowed it', async () => {
		const target = sandbox().store.list(CUSTOMERS)[1];
		const { error } = await runErpNet(sandbox(), deleteParameters(String(target.Id)), {
			nodeType: toolVariant(),
			nodeTypeName: 'n8n-nodes-erpnet.erpNetTool',
		});

		expect(error?.message).toBe('This tool is not allowed to delete records, so nothing was deleted');
		expect(error?.description).toContain('Allow the AI Agent to Delete');
		expect(deleteRequests()).toHaveLength(0);
		expect(sandbox().store.get(CUSTOMERS, String(target.Id))).toBeDefined();
	});

	it('should refuse in batched mode too', async () => {
		const target = sandbox().store.list(CUSTOMERS)[2];
		const { error } = await runErpNet(
			sandbox(),
			deleteParameters(String(target.Id), { options: { batching: 'independent' } }),
			{
				nodeType: toolVariant(),
				nodeTypeName: 'n8n-nodes-erpnet.erpNetTool',
			},
		);

		expect(error?.message).toBe('This tool is not allowed to delete records, so nothing was deleted');
		expect(sandbox().requests.filter((entry) => entry.path.endsWith('$batch'))).toHaveLength(0);
		expect(sandbox().store.get(CUSTOMERS, String(target.Id))).toBeDefined();
	});

	it('should delete when the user allowed it', async () => {
		const target = sandbox().store.list(CUSTOMERS)[3];
		const { items, error } = await runErpNet(
			sandbox(),
			deleteParameters(String(target.Id), { allowAgentDelete: true }),
			{
				nodeType: toolVariant(),
				nodeTypeName: 'n8n-nodes-erpnet.erpNetTool',
			},
		);

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ deleted: true, id: String(target.Id).toLowerCase() });
		expect(deleteRequests()).toHaveLength(1);
		expect(sandbox().store.get(CUSTOMERS, String(target.Id))).toBeUndefined();
	});

	it('should ignore the setting outside the tool variant (the regular node deletes as before)', async () => {
		const target = sandbox().store.list(CUSTOMERS)[4];
		const { error } = await runErpNet(sandbox(), deleteParameters(String(target.Id), { allowAgentDelete: false }));

		expect(error).toBeUndefined();
		expect(sandbox().store.get(CUSTOMERS, String(target.Id))).toBeUndefined();
	});

	it('should show the setting only in the tool variant, for Delete', () => {
		const property = new ErpNet().description.properties.find((p) => p.name === 'allowAgentDelete');
		expect(property?.displayOptions?.show).toEqual({ '@tool': [true], resource: ['entity'], operation: ['delete'] });
		expect(property?.default).toBe(false);
	});
});
