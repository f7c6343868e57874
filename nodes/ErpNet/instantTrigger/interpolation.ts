/**
 * ERP.net string interpolation (https://docs.erp.net/tech/advanced/string-interpolation/index.html): the web hook
 * template's URL, Headers and Body are interpolated, so their constant parts are escaped.
 */
import { GUID_REGEX } from '../../../core/odata';

/**
 * A constant inside an interpolated string: `{`/`}` doubled (expression-types/constant.html) and `\` doubled
 * (escape-sequences.html: a backslash starts an escape sequence).
 */
export function interpolationConstant(text: string): string {
	return text.replace(/\\/g, '\\\\').replace(/\{/g, '{{').replace(/\}/g, '}}');
}

/** An interpolation expression, e.g. `{Id}` (data-member.html) or `{$repository}` (system-variables.html). */
export function interpolationExpression(reference: string): string {
	return `{${reference}}`;
}

const PUSHED_GUID_PATTERN = new RegExp(`^\\{?(${GUID_REGEX})\\}?$`);

/** The Id as pushed: a GUID, with or without the braces some renderings put around it (webhooks.html shows both). */
export function pushedGuid(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const match = PUSHED_GUID_PATTERN.exec(value.trim());
	return match?.[1].toLowerCase();
}
