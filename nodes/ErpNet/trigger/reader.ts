/**
 * The trigger's HTTP side: pages of changed records through the shared transport, with the server's `Date`
 * header (the trigger's "now" is ERP.net's clock, never n8n's).
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { combineFilters } from '../../../core/query';
import type { ODataCollection } from '../../../core/odata';
import type { ErpNetFunctions } from '../../../core/transport';
import {
	erpNetApiRequest,
	EXPAND_PAGE_SIZE,
	getInstanceRoots,
	isUnderRoot,
	MAX_PAGE_SIZE,
	odataUrl,
	resolveNextLink,
} from '../../../core/transport';
import type { ChangesPage, PageReader } from './poll';
import type { TriggerConfig } from './settings';
import type { Timestamp } from './timestamps';
import { filterLiteral, fromHttpDate, minTimestamp, toTimestamp } from './timestamps';

interface FullResponse {
	body?: unknown;
	headers?: IDataObject;
}

export function createPageReader(this: ErpNetFunctions, config: TriggerConfig): PageReader {
	const action = `read the changes of ${config.entitySet}`;
	const get = async (url: string): Promise<ChangesPage> => {
		const response = (await erpNetApiRequest.call(this, {
			method: 'GET',
			url,
			headers: config.headers,
			raw: true,
			action,
		})) as FullResponse;
		const collection = parseCollection.call(this, response.body);
		const nextLink = collection['@odata.nextLink'];
		return {
			records: collection.value,
			nextLink:
				typeof nextLink === 'string' && nextLink !== ''
					? resolveNextLink(this.getNode(), nextLink, await getInstanceRoots.call(this))
					: undefined,
			serverTime: fromHttpDate(response.headers?.date),
		};
	};
	return {
		serverTime: async () => {
			// the newest change: "now" on the clock that stamps the changes, should the front end's Date run ahead
			const newest = { $top: 1, $select: 'Id,AggregateLastUpdateTimeUtc', $orderby: 'AggregateLastUpdateTimeUtc desc' };
			const page = await get(await odataUrl.call(this, config.entitySet, newest));
			if (!page.serverTime) {
				throw new NodeOperationError(
					this.getNode(),
					'ERP.net sent no Date header, so the trigger cannot tell the server time',
					{
						description:
							'A proxy between n8n and ERP.net may remove it. The trigger uses the server clock to never miss a change.',
					},
				);
			}
			return minTimestamp(page.serverTime, toTimestamp(page.records[0]?.AggregateLastUpdateTimeUtc)) as Timestamp;
		},
		canFollow: async (nextLink) => {
			const { odataRoot } = await getInstanceRoots.call(this);
			return isUnderRoot(new URL(nextLink, odataRoot).toString(), odataRoot);
		},
		firstPage: async (fromUtc) => await get(await changesUrl.call(this, config, fromUtc, undefined)),
		nextPage: async (nextLink) => await get(nextLink),
	};
}

/**
 * `AggregateLastUpdateTimeUtc ge <from>` with `$top` and no `$orderby`, so that the server pages by Id
 * (https://docs.erp.net/dev/domain-api/data-sync/incremental-pull.html, querying-data/paging.html).
 */
export async function changesUrl(
	this: ErpNetFunctions,
	config: TriggerConfig,
	fromUtc: Timestamp | undefined,
	top: number | undefined,
): Promise<string> {
	const since = fromUtc === undefined ? undefined : `AggregateLastUpdateTimeUtc ge ${filterLiteral(fromUtc)}`;
	return await odataUrl.call(this, config.entitySet, {
		$top: top ?? (config.expand ? EXPAND_PAGE_SIZE : MAX_PAGE_SIZE),
		$select: config.select,
		$expand: config.expand,
		$filter: combineFilters(config.filter, since),
	});
}

function parseCollection(this: ErpNetFunctions, body: unknown): ODataCollection {
	let parsed: unknown = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			parsed = undefined;
		}
	}
	const collection = parsed as ODataCollection | undefined;
	if (!collection || !Array.isArray(collection.value)) {
		throw new NodeOperationError(this.getNode(), 'ERP.net answered with something that is not an OData collection', {
			description: 'Check that the instance URL points to an ERP.net instance.',
		});
	}
	return collection;
}
