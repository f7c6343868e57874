/**
 * What to do about ERP.net's business errors from document actions, keyed by the server's wording
 * (the sandbox words them after https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html
 * and the "API Methods" of the model pages). The server's own message stays the error message.
 */
const HINTS: Array<[RegExp, string]> = [
	[
		/adjustment documents|cannot be modified directly/i,
		'Documents in state Released or higher cannot be changed directly: ' +
			'change them with adjustment documents, or change the state first.',
	],
	[
		/can only be advanced|cannot be changed from/i,
		'Document states usually only move forward (Planned → Firm Planned → Released → Completed → Closed).',
	],
	[/already in state/i, 'The document is already in that state; nothing was changed.'],
	[/is void|already void/i, 'A void document cannot be changed or voided again.'],
	[/sub-document/i, 'Choose a void type that also voids the sub-documents, or void those first.'],
	[/file format/i, 'Use one of the printout formats pdf, html, xlsx, xls, docx, txt or png.'],
	[/user .* does not exist/i, 'Pick an existing user (Systems_Security_Users).'],
];

export function businessErrorHint(message: string | undefined): string | undefined {
	if (!message) return undefined;
	return HINTS.find(([pattern]) => pattern.test(message))?.[1];
}
