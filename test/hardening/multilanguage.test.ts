/**
 * Issue 10, class 1: a plain text for a multi-language field changes only the chosen language
 * (https://docs.erp.net/dev/domain-api/complex-types/multi-language-string.html: "all pairs are updated
 * simultaneously"), with the ObjectVersion check, alone and batched.
 */
import type { IDataObject } from 'n8n-workflow';

import { locator, odataRequests, runErpNet, useSandbox } from '../helpers/erpnet';

const sandbox = useSandbox({ sizes: { customers: 5, products: 12, salesOrders: 1 } });

beforeEach(() => {
	sandbox().control.clearLog();
	sandbox().control.clearFaults();
});

function product(index: number): IDataObject {
	return sandbox().store.list('General_Products_Products')[index] as IDataObject;
}

function nameOf(id: string): Record<string, string> {
	return sandbox().store.get('General_Products_Products', id)?.Name as Record<string, string>;
}

const updateName = (id: string, name: string, options: IDataObject = {}) => ({
	operation: 'update',
	entitySet: locator('General_Products_Products'),
	recordId: locator(id, 'id'),
	fieldsInput: 'mapper',
	columns: { mappingMode: 'defineBelow', value: { Name: name }, schema: [], matchingColumns: [] },
	options: { returnUpdated: false, ...options },
});

describe('plain text for a multi-language field', () => {
	it('should keep the other languages when one language is updated', async () => {
		const id = String(product(0).Id);
		const before = nameOf(id);
		expect(Object.keys(before).sort()).toEqual(['BG', 'EN']);

		const { error } = await runErpNet(sandbox(), updateName(id, 'Ново име', { language: 'bg' }));

		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: before.EN, BG: 'Ново име' });
	});

	it('should map the Language option en-US to the key EN, never EN-US', async () => {
		const id = String(product(1).Id);
		const before = nameOf(id);

		const { error } = await runErpNet(sandbox(), updateName(id, 'New name', { language: 'en-US' }));

		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: 'New name', BG: before.BG });
	});

	it('should send the ObjectVersion it read, so a concurrent edit is not overwritten', async () => {
		const id = String(product(2).Id);
		await runErpNet(sandbox(), updateName(id, 'Versioned'));
		const patch = odataRequests(sandbox(), 'General_Products_Products').find((entry) => entry.method === 'PATCH');
		const body = JSON.parse(patch?.body ?? '{}') as IDataObject;
		expect(typeof body.ObjectVersion).toBe('number');
		expect(body.Name).toEqual({ EN: 'Versioned', BG: expect.any(String) });
	});

	it('should keep the other languages in batched mode, each item with its own language', async () => {
		const first = String(product(3).Id);
		const second = String(product(4).Id);
		const [firstBefore, secondBefore] = [nameOf(first), nameOf(second)];

		const { error } = await runErpNet(
			sandbox(),
			{
				...updateName('={{ $json.id }}', '={{ $json.name }}', { batching: 'independent', language: '={{ $json.language }}' }),
				recordId: locator('={{ $json.id }}', 'id'),
			},
			{
				input: [
					{ id: first, name: 'Първо', language: 'bg' },
					{ id: second, name: 'Second', language: 'en' },
				],
			},
		);

		expect(error).toBeUndefined();
		expect(nameOf(first)).toEqual({ EN: firstBefore.EN, BG: 'Първо' });
		expect(nameOf(second)).toEqual({ EN: 'Second', BG: secondBefore.BG });
	});

	it('should still replace all languages with a JSON object, on purpose', async () => {
		const id = String(product(5).Id);
		const { error } = await runErpNet(sandbox(), updateName(id, '{"EN":"Only English"}'));
		expect(error).toBeUndefined();
		expect(nameOf(id)).toEqual({ EN: 'Only English' });
	});
});
