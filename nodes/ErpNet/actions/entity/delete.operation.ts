import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	batchOptions,
	contextOptions,
	languageOption,
	objectVersionOption,
	optionsCollection,
	recordIdLocator,
	timeoutOption,
} from '../../descriptions/common.descriptions';
import { entityId } from '../../../../core/odata';
import { contextHeaders } from '../../../../core/query';
import { expectedObjectVersion } from '../../helpers/objectVersion';
import type { ItemOutcome, PreparedWrite } from '../node.type';
import type { CommonOptions } from './parameters';
import { getEntitySet, getRecordId, operationOptions, timeoutMs } from './parameters';
import { runWrite } from '../writeRunner';

interface DeleteOptions extends CommonOptions {
	objectVersion?: unknown;
}

/**
 * Shown only in the node's AI-tool variant (`@tool`): an agent picks the records itself, so a delete tool
 * refuses to run until the user turns this on.
 */
const allowAgentDelete: INodeProperties = {
	displayName: 'Allow the AI Agent to Delete',
	name: 'allowAgentDelete',
	type: 'boolean',
	default: false,
	displayOptions: { show: { '@tool': [true] } },
	description:
		'Whether the AI agent may delete the records it chooses. Deleting cannot be undone; ' +
		'while this is off, the tool refuses to delete and tells the agent so.',
};

const properties: INodeProperties[] = [
	recordIdLocator,
	allowAgentDelete,
	optionsCollection([...batchOptions, ...contextOptions, objectVersionOption, languageOption, timeoutOption]),
];

const displayOptions = {
	show: {
		resource: ['entity'],
		operation: ['delete'],
	},
};

export const description = updateDisplayOptions(displayOptions, properties);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite> {
	assertAgentMayDelete.call(this, itemIndex);
	const entitySet = getEntitySet.call(this, itemIndex);
	const id = getRecordId.call(this, itemIndex);
	const options = operationOptions<DeleteOptions>(this, itemIndex);
	const headers = contextHeaders(this.getNode(), options, itemIndex);
	const resource = entityId(entitySet, id);
	const expectedVersion = expectedObjectVersion(this.getNode(), options.objectVersion, itemIndex);
	// The version check (a PATCH with only ObjectVersion) and the delete go in one changeset, so both apply or
	// neither does: no window between reading the version and deleting
	// (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html, changesets are atomic).
	const precondition =
		expectedVersion !== undefined
			? { method: 'PATCH' as const, resource, body: { ObjectVersion: expectedVersion } }
			: undefined;
	return {
		write: { method: 'DELETE', resource, precondition },
		action: `delete ${resource}`,
		headers,
		timeoutMs: timeoutMs(options),
		output: () => ({ deleted: true, id, entitySet }),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	return await runWrite.call(this, await prepare.call(this, itemIndex), itemIndex);
}

/** n8n gives a node that runs as an AI agent's tool the type `<package>.<name>Tool`. */
function runsAsAgentTool(this: IExecuteFunctions): boolean {
	return this.getNode().type.endsWith('Tool');
}

function assertAgentMayDelete(this: IExecuteFunctions, itemIndex: number): void {
	if (!runsAsAgentTool.call(this)) return;
	if (this.getNodeParameter('allowAgentDelete', itemIndex, false) === true) return;
	throw new NodeOperationError(this.getNode(), 'This tool is not allowed to delete records, so nothing was deleted', {
		itemIndex,
		description:
			'Deleting through an AI agent is off. Tell the user that the record was not deleted; ' +
			'a person can delete it, or turn on "Allow the AI Agent to Delete" in this tool.',
	});
}
