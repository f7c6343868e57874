/**
 * The context parameters of one `$batch` part, read from the part's own headers (https://docs.erp.net/dev/domain-api/data-manipulation/batch.html's capture shows
 * per-part headers; https://docs.erp.net/dev/domain-api/common-tasks/context-parameters.html and https://docs.erp.net/dev/domain-api/common-tasks/change-language.html name the ones that set the context).
 * A part without such a header keeps the value of the enclosing `$batch` request (DECISIONS.md).
 */
import { isGuid } from '../../store/guid-order';
import type { RequestEnvironment } from './types';

/** Lower-case header names, as `ODataRequest.headers`. */
export function partEnvironment(environment: RequestEnvironment, headers: Record<string, string>): RequestEnvironment {
	const language = languageOf(headers['accept-language']);
	const company = enterpriseCompanyOf(headers.prefer, environment);
	if (language === undefined && company === undefined) return environment;
	return {
		...environment,
		language: language ?? environment.language,
		currentEnterpriseCompanyId: company ?? environment.currentEnterpriseCompanyId,
	};
}

function languageOf(acceptLanguage: string | undefined): string | undefined {
	const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
	return first && first !== '*' ? first.slice(0, 2).toUpperCase() : undefined;
}

/** `Prefer: CurrentEnterpriseCompanyId=<guid>` or `Prefer: ErpContextParameters=<company>,<location>,<role>`. */
function enterpriseCompanyOf(prefer: string | undefined, environment: RequestEnvironment): string | undefined {
	const candidates = (prefer ?? '')
		.split(/[;,]/)
		.map((part) => part.trim())
		.flatMap((part) => {
			const [name, value] = part.split('=');
			const key = name?.trim().toLowerCase();
			if (key === 'currententerprisecompanyid') return [value];
			return key === 'erpcontextparameters' ? [value] : [];
		});
	return candidates
		.map((candidate) => candidate?.trim())
		.find(
			(candidate): candidate is string =>
				!!candidate && isGuid(candidate) && !!environment.store.peek('General_EnterpriseCompanies', candidate),
		)
		?.toLowerCase();
}
