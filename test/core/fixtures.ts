/** The node and the error catcher every core test folder shares. */
import type { INode } from 'n8n-workflow';

export const testNode: INode = {
	id: 'n',
	name: 'ERP.net',
	type: 'n8n-nodes-erpnet.erpNet',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Runs `fn`, expects it to throw, returns the error. */
export async function caught(fn: () => unknown): Promise<Error & { description?: string; context?: object }> {
	try {
		await fn();
	} catch (error) {
		return error as Error & { description?: string; context?: object };
	}
	throw new Error('expected an error');
}
