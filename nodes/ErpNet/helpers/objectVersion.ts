import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The "Expected Object Version" option: 0 (the default) or not set means no check; anything else must be a
 * positive whole number, else the item fails before any request (an ignored check would hide a lost update).
 * https://docs.erp.net/dev/domain-api/data-sync/optimistic-locking.html
 */
export function expectedObjectVersion(node: INode, value: unknown, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === 0) return undefined;
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (/^[1-9]\d{0,9}$/.test(text) && Number(text) <= 2_147_483_647) return Number(text);
	throw new NodeOperationError(
		node,
		`Expected Object Version must be a positive whole number, not "${String(value)}"`,
		{
			itemIndex,
			description:
				'Give the ObjectVersion read earlier (select ObjectVersion in Get or Get Many), or remove the option (or ' +
				'set 0) to write without the check. Nothing was sent to ERP.net.',
		},
	);
}
