import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A count the user sets (Limit, Page Size, Max Pages): a whole number of at least `min`, from a number field or
 * an expression. Anything else fails the item naming the option, before any request: ERP.net would answer a bad
 * `$top` with its own text, and `$top=0` with nothing at all.
 */
export function wholeNumberOption(
	node: INode,
	option: { name: string; value: unknown; min: number; example: number },
	itemIndex: number,
): number {
	const { name, value, min, example } = option;
	const number = typeof value === 'number' ? value : /^\s*[-+]?\d+\s*$/.test(String(value ?? '')) ? Number(value) : NaN;
	if (!Number.isSafeInteger(number) || number < min) {
		throw new NodeOperationError(node, `${name} must be a whole number of at least ${min}, not "${String(value)}"`, {
			itemIndex,
			description: `Set "${name}" to a whole number such as ${example}.`,
		});
	}
	return number;
}

/** An option left out is undefined (the default applies); a value that is set must be a whole number >= 1. */
export function optionalWholeNumberOption(
	node: INode,
	option: { name: string; value: unknown; example: number },
	itemIndex: number,
): number | undefined {
	return option.value === undefined ? undefined : wholeNumberOption(node, { ...option, min: 1 }, itemIndex);
}
