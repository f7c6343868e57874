import type { IDataObject } from 'n8n-workflow';

/** How an item says that its write was carried out and only the read after it failed. */
export const SAVED_BUT_NOT_READ_BACK = 'Saved, but could not be read back';

/**
 * The output of a write that ERP.net carried out when reading the record back failed: the write's own result,
 * marked `saved: true`, with `readBackError` saying so. It is not an item error: running the write again would
 * repeat it (a second record, a second state change).
 */
export function savedButNotReadBack(written: IDataObject, readBackFailure: unknown): IDataObject {
	const reason = readBackFailure instanceof Error ? readBackFailure.message : String(readBackFailure);
	return {
		...written,
		saved: true,
		readBackError: `${SAVED_BUT_NOT_READ_BACK}: ${reason}. The write was carried out; do not run it again.`,
	};
}
