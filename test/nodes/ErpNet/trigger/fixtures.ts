import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ErpNetTrigger } from '../../../../nodes/ErpNet/ErpNetTrigger.node';
import type { Sandbox } from '../../../../sandbox/src';
import { erpNetCredentials, locator } from '../../../helpers/erpnet';
import { PollRunner } from '../../../helpers/n8n';

/** An ERP.net Trigger on `entitySet` (Created or Updated, Start From: Now unless `parameters` say otherwise). */
export function triggerRunner(
	sandbox: Sandbox,
	entitySet: string,
	parameters: INodeParameters = {},
	staticData?: IDataObject,
): PollRunner {
	return new PollRunner({
		nodeType: new ErpNetTrigger(),
		parameters: {
			entitySet: locator(entitySet),
			event: 'createdOrUpdated',
			startFrom: 'now',
			options: {},
			...parameters,
		},
		credentials: erpNetCredentials(sandbox),
		staticData,
	});
}
