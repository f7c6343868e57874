/** The ordinals of the DocumentState members (the model page of General.Documents.Documents), lowest first. */
export const DOCUMENT_STATE_ORDINALS: Record<string, number> = {
	New: 0,
	Adjustment: 5,
	Planned: 10,
	FirmPlanned: 20,
	Released: 30,
	Completed: 40,
	Closed: 50,
};
