/**
 * Test-side rendering of a registered web hook template into the HTTP call ERP.net makes
 * (https://docs.erp.net/tech/advanced/concepts/webhooks.html): `{{`/`}}` and `\x` escapes, and the expressions the
 * node's template uses ({Id}, {$repository}, {AggregateLastUpdateTimeUtc}). Used to call the node directly with a
 * push for a given record, e.g. twice, or after the sandbox dropped it.
 */
import type { Sandbox } from '../../../../sandbox/src';

export interface RenderedPush {
	url: string;
	headers: Record<string, string>;
	body: string;
}

function interpolate(template: string, values: Record<string, string>): string {
	return template.replace(
		/\\(.)|\{\{|\}\}|\{([^{}]*)\}/g,
		(match, escaped: string | undefined, expression: string | undefined) => {
			if (escaped !== undefined) return escaped === 'r' || escaped === 'n' ? '\r\n' : escaped;
			if (match === '{{') return '{';
			if (match === '}}') return '}';
			const name = String(expression).split(':')[0];
			if (!(name in values)) return `#Error: Attribute '${name}' not found#`;
			return values[name];
		},
	);
}

/** The push ERP.net would send for `recordId` of `entitySet` through the template with `code`. */
export function renderPush(sandbox: Sandbox, code: string, entitySet: string, recordId: string): RenderedPush {
	const template = sandbox.store.list('Systems_Config_WebHooks').find((record) => record.Code === code);
	if (!template) throw new Error(`No web hook template ${code}`);
	const record = sandbox.store.get(entitySet, recordId) ?? {};
	const values = {
		Id: recordId,
		$repository: String(template.RepositoryName),
		AggregateLastUpdateTimeUtc: String(record.AggregateLastUpdateTimeUtc ?? ''),
	};
	const headers: Record<string, string> = {};
	for (const line of interpolate(String(template.Headers ?? ''), values).split(/\r?\n/)) {
		const separator = line.indexOf(':');
		if (separator > 0) headers[line.slice(0, separator).trim().toLowerCase()] = line.slice(separator + 1).trim();
	}
	return {
		url: interpolate(String(template.URL), values),
		headers,
		body: interpolate(String(template.Body ?? ''), values),
	};
}
