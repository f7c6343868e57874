import type {
	AllEntities,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import type { BatchOperation } from '../../../core/odata';

type NodeMap = {
	entity:
		| 'getAll'
		| 'get'
		| 'create'
		| 'update'
		| 'delete'
		| 'upsert'
		| 'createNotification'
		| 'callMethod'
		| 'summarize';
	document: 'changeState' | 'makeVoid' | 'getPrintout';
};

export type ErpNetType = AllEntities<NodeMap>;

export type ErpNetResource = ErpNetType['resource'];

export type ErpNetOperation<R extends ErpNetResource> = Extract<ErpNetType, { resource: R }>['operation'];

export type NodeError = NodeApiError | NodeOperationError;

/**
 * What one input item produced: its output records and, if it failed, the error. A read that fails part-way
 * keeps the records it read before the failure; the node outputs them only with "Continue On Fail".
 */
export interface ItemOutcome {
	records: IDataObject[];
	/** Whole output items (json and binary), e.g. a printout file; output after `records`. */
	items?: INodeExecutionData[];
	error?: NodeError;
}

/** A write prepared for one item, sent alone or inside a `$batch`. */
export interface PreparedWrite {
	write: BatchOperation;
	/** Resource to read after the write (the updated record), if any. */
	readBack?: string;
	action: string;
	headers: IDataObject;
	timeoutMs?: number;
	/** How long ERP.net may take for this write inside a `$batch`, added to the batch's timeout (default 1 s). */
	batchAllowanceMs?: number;
	/** A bound action that changes its record (a document's state), unlike a notification about the record. */
	actionChangesRecord?: boolean;
	output(written: IDataObject | undefined, readBack: IDataObject | undefined): IDataObject;
}

/** One operation of a resource: `<op>.operation.ts`. */
export interface OperationModule {
	execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome>;
	/** Present on writes that can be sent in a `$batch`. */
	prepare?(this: IExecuteFunctions, itemIndex: number): Promise<PreparedWrite>;
}
