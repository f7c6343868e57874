/**
 * What to do about ERP.net's business errors from document actions (core/transport/errorHints.ts), keyed by the
 * server's wording (https://docs.erp.net/dev/domain-api/common-tasks/working-with-documents.html).
 */
import { businessErrorHint } from '../../../core/transport/errorHints';

describe('businessErrorHint', () => {
	it.each([
		[
			'Released documents cannot be modified directly',
			/^Documents in state Released or higher cannot be changed directly/,
		],
		['Use adjustment documents to change it', /adjustment documents/],
		['The state can only be advanced', /^Document states usually only move forward/],
		['The state cannot be changed from Closed to Planned', /^Document states usually only move forward/],
		['The document is already in state Released', /^The document is already in that state; nothing was changed\.$/],
		['The document is void', /^A void document cannot be changed or voided again\.$/],
		['The document is ALREADY VOID', /^A void document cannot be changed or voided again\.$/],
		['A sub-document is not void', /^Choose a void type that also voids the sub-documents/],
		['Unknown file format "bmp"', /pdf, html, xlsx, xls, docx, txt or png/],
		["The user 'nobody' does not exist", /Systems_Security_Users/],
	])('should explain %p', (message, hint) => {
		expect(businessErrorHint(message)).toMatch(hint);
	});

	it.each([[undefined], [''], ['An error occurred while saving data'], ['Not found']])(
		'should have no hint for %p',
		(message) => {
			expect(businessErrorHint(message)).toBeUndefined();
		},
	);
});
