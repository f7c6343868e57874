import * as transport from '../../../core/transport';
import { erpNetBatch } from '../../../core/transport/batchRequest';
import { countRecords } from '../../../core/transport/count';
import { toNodeError } from '../../../core/transport/errors';
import { getEntitySetModel } from '../../../core/transport/model';
import { erpNetApiPages } from '../../../core/transport/paging';
import { erpNetApiRequest } from '../../../core/transport/request';
import { CREDENTIAL_TYPE } from '../../../core/transport/types';
import { odataUrl } from '../../../core/transport/urls';
import { redact } from '../../../core/redact';
import { isUnderRoot } from '../../../core/urlScope';
import { frontDoorUse } from '../../helpers/sourceImports';

describe('core/transport front door', () => {
	const use = frontDoorUse('core/transport', transport);

	it('exports every value nodes import from it', () => {
		expect(use.wanted).toEqual(expect.arrayContaining(['erpNetApiRequest', 'odataUrl', 'toNodeError']));
		expect(use.missing).toEqual([]);
	});

	it("hands out the transport modules' own functions and constants", () => {
		expect(transport).toMatchObject({
			erpNetApiRequest,
			erpNetApiPages,
			erpNetBatch,
			countRecords,
			getEntitySetModel,
			odataUrl,
			toNodeError,
			CREDENTIAL_TYPE,
			isUnderRoot,
			redact,
		});
	});

	it('is how nodes and credentials reach the transport (no import of its files)', () => {
		expect(use.deepImports).toEqual([]);
	});

	it('is imported by no file inside core/ (they import each other directly, never in a circle through it)', () => {
		expect(use.coreImports).toEqual([]);
	});
});
