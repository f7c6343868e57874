import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { entitySetFromUrl } from '../helpers/odata';

/** The entity set chosen in the node being edited, whichever locator mode was used. */
export function currentEntitySet(this: ILoadOptionsFunctions): string {
	const raw = String(this.getCurrentNodeParameter('entitySet', { extractValue: true }) ?? '').trim();
	return entitySetFromUrl(raw) ?? raw;
}
