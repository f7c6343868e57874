/** The failures of committing a write: a unique index violated, a validation rule of the server. */
import { BusinessRuleError, HttpError, type ErrorEnvelope } from '../errors';

/**
 * A unique index violated, as https://docs.erp.net/dev/domain-api/data-manipulation/error-handling.html shows it: HTTP 500, code 2129,
 * with its `messageFormat` and `parameters` (table, index, duplicated value, index).
 */
export class DuplicateKeyError extends HttpError {
	static readonly FORMAT =
		"Prohibited duplication in table '{0}'.\n\nThe set of values for the following fields could not be saved more than once.\n\nFields: ({1})\n\nDuplicated value: ({2})\n\nIndex: {3}\n\nPlease remove the duplicate record or change the value of any of the fields listed.";

	readonly parameters: string[];

	constructor(table: string, index: string, value: string) {
		const parameters = [table, index, value, index];
		super(
			500,
			DuplicateKeyError.FORMAT.replace(/\{(\d)\}/g, (_match, position: string) => parameters[Number(position)]),
			2129,
		);
		this.parameters = parameters;
	}

	override toEnvelope(): ErrorEnvelope {
		const envelope = super.toEnvelope();
		return { error: { ...envelope.error, messageFormat: DuplicateKeyError.FORMAT, parameters: this.parameters } };
	}
}

/**
 * A validation failure worded like the real R17342 error (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html): "An error occurred while saving data to
 * the database\r\nThe validation R17342: ... failed for event Commit: ...". Rules the sandbox adds on its own
 * carry a descriptive name and no made-up R-number.
 */
export function validationFailure(ruleName: string, detail: string): BusinessRuleError {
	return new BusinessRuleError(
		`An error occurred while saving data to the database\r\nThe validation ${ruleName} failed for event Commit: \r\n\r\n${detail}`,
	);
}
