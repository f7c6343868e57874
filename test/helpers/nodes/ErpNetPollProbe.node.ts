import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { erpNetApiPages } from '../../../core/transport/paging';

/**
 * Test-only polling trigger: reads an entity set through the shared transport (core/transport) with the poll
 * context, and emits the records whose Id it has not seen, remembering the seen Ids in its static data.
 * In manual mode it returns the first record and leaves nothing to persist. Lets the poll runner and the
 * transport's `IPollFunctions` typing be exercised without the real trigger node.
 *
 * Parameters: `entitySet`, `failAfterStaging` (throw after changing the static data).
 */
/** Every poll context the probe was called on, in order (a test tells activations apart by identity). */
export const pollProbeContexts: object[] = [];

export class ErpNetPollProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ERP.net Poll Probe (test)',
		name: 'erpNetPollProbe',
		group: ['trigger'],
		version: 1,
		description: 'Test-only polling trigger that reads ERP.net records',
		defaults: { name: 'Poll Probe' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: 'erpNetApi', required: true }],
		properties: [
			{ displayName: 'Entity Set', name: 'entitySet', type: 'string', default: 'General_Currencies_Currencies' },
			{ displayName: 'Fail After Staging', name: 'failAfterStaging', type: 'boolean', default: false },
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		pollProbeContexts.push(this);
		const entitySet = this.getNodeParameter('entitySet') as string;
		const staticData = this.getWorkflowStaticData('node') as { seen?: string[]; polls?: number };
		staticData.polls = (staticData.polls ?? 0) + 1;
		const seen = new Set(staticData.seen ?? []);
		const fresh: IDataObject[] = [];
		for await (const page of erpNetApiPages.call(this, entitySet, { $select: 'Id' })) {
			for (const record of page) if (!seen.has(String(record.Id))) fresh.push(record);
		}
		const meta = { mode: this.getMode(), activation: this.getActivationMode() };
		if (this.getMode() === 'manual') return fresh.length > 0 ? [[{ json: { ...fresh[0], ...meta } }]] : null;
		staticData.seen = [...seen, ...fresh.map((record) => String(record.Id))];
		if (this.getNodeParameter('failAfterStaging') as boolean) {
			throw new NodeOperationError(this.getNode(), 'Poll probe failed on purpose');
		}
		return fresh.length > 0 ? [fresh.map((record) => ({ json: { ...record, ...meta } }))] : null;
	}
}
