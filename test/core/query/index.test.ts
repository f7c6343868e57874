import * as query from '../../../core/query';
import { buildCollectionQuery, countQuery } from '../../../core/query/collectionQuery';
import { contextHeaders } from '../../../core/query/contextHeaders';
import { combineFilters, FILTER_OPERATORS } from '../../../core/query/filter';
import { summaryPlan, SummarizeError } from '../../../core/query/summarize';
import { frontDoorUse } from '../../helpers/sourceImports';

describe('core/query front door', () => {
	const use = frontDoorUse('core/query', query);

	it('exports every value nodes import from it', () => {
		expect(use.wanted).toEqual(expect.arrayContaining(['buildCollectionQuery', 'contextHeaders', 'summaryPlan']));
		expect(use.missing).toEqual([]);
	});

	it("hands out the query modules' own functions and constants", () => {
		expect(query).toMatchObject({
			buildCollectionQuery,
			combineFilters,
			contextHeaders,
			countQuery,
			FILTER_OPERATORS,
			SummarizeError,
			summaryPlan,
		});
	});

	it('is how nodes reach core/query (no import of its files)', () => {
		expect(use.deepImports).toEqual([]);
	});

	it('is imported by no file inside core/ (they import each other directly, never in a circle through it)', () => {
		expect(use.coreImports).toEqual([]);
	});
});
