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
import { sourceImports } from '../../helpers/sourceImports';

const shipped = sourceImports('core', 'nodes', 'credentials');
const ofNodes = shipped.filter(({ file }) => !file.startsWith('core/'));

describe('core/transport front door', () => {
	it('exports every value nodes and credentials import from it', () => {
		const wanted = ofNodes.filter(({ module }) => module === 'core/transport').flatMap(({ values }) => values);
		expect(wanted).toEqual(expect.arrayContaining(['erpNetApiRequest', 'odataUrl', 'toNodeError']));
		expect([...new Set(wanted)].filter((name) => !(name in transport))).toEqual([]);
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

	it('is how nodes and credentials reach the transport (no deep import of its files)', () => {
		const deep = ofNodes.filter(({ module }) => module.startsWith('core/transport/'));
		expect(deep.map(({ file, module }) => `${file} -> ${module}`)).toEqual([]);
	});

	it('is imported by no file inside core/ (core files import each other directly, never in a circle through it)', () => {
		const inside = shipped.filter(({ file, module }) => file.startsWith('core/') && module === 'core/transport');
		expect(inside.map(({ file }) => file)).toEqual([]);
	});
});
