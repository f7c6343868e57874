import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { entitySetOf } from '../../../core/odata';

/** The entity set chosen in the node being edited, whichever locator mode was used. */
export function currentEntitySet(this: ILoadOptionsFunctions): string {
	return entitySetOf(this.getCurrentNodeParameter('entitySet', { extractValue: true }));
}
