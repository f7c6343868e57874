/**
 * Conformance of the sandbox's bound operations (`Set(id)/Operation`) with the ERP.net docs:
 * operations/index.md (actions POST, functions GET), common-tasks/working-with-documents.md (ChangeState,
 * MakeVoid, released documents), common-tasks/create-notification.md, common-tasks/change-language.md
 * (GetPrintout language), data-manipulation/batch.md (actions in a changeset) and the "API Methods" of the
 * model pages (parameters, enum values, defaults, return types).
 */
import { inflateSync } from 'node:zlib';

import { startSandbox, type Sandbox } from '../../../../sandbox/src';
import type { EntityRecord } from '../../../../sandbox/src/store/memory-store';

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, sizes: { customers: 20, products: 20, salesOrders: 40 } });
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
		}),
	});
	token = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.control.reset();
});

interface Reply {
	status: number;
	text: string;
	json: Record<string, unknown>;
	headers: Headers;
}

async function call(
	path: string,
	init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
	const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
	if (init.body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${sandbox.url}/api/domain/${path}`, {
		method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
		headers,
		body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
	});
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text);
	} catch {
		json = {};
	}
	return { status: response.status, text, json, headers: response.headers };
}

function orderIn(state: string, isVoid = false): EntityRecord {
	const order = sandbox.store
		.list('Crm_Sales_SalesOrders')
		.find((record) => record.State === state && record.Void === isVoid);
	if (!order) throw new Error(`The seed has no ${isVoid ? 'void ' : ''}${state} sales order`);
	return order;
}

function stored(id: unknown): EntityRecord {
	return sandbox.store.get('Crm_Sales_SalesOrders', String(id)) as EntityRecord;
}

function errorMessage(reply: Reply): string {
	return String((reply.json.error as { message?: unknown } | undefined)?.message ?? '');
}

describe('ChangeState (working-with-documents.md; DocumentState members of the model page)', () => {
	it('should advance a planned order to Released with the documented body, answer 204 and bump ObjectVersion', async () => {
		const order = orderIn('Planned');
		const reply = await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/ChangeState`, {
			body: { newState: 'Released' },
		});
		expect(reply.status).toBe(204);
		expect(stored(order.Id)).toMatchObject({ State: 'Released', IsReleased: true, FullState: 'Released' });
		expect(Number(stored(order.Id).ObjectVersion)).toBe(Number(order.ObjectVersion) + 1);
	});

	it('should accept a user status reference, as in the docs example', async () => {
		const order = orderIn('Planned');
		const reply = await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/ChangeState`, {
			body: {
				newState: 'FirmPlanned',
				userStatus: { '@odata.id': 'Systems_Documents_DocumentTypeUserStatuses(1ee1249e-4ef5-46b4-8409-26b2130d09c7)' },
			},
		});
		expect(reply.status).toBe(204);
		expect(stored(order.Id).State).toBe('FirmPlanned');
	});

	it('should refuse moving a released order back to FirmPlanned (states only advance), with a 500 business error', async () => {
		const order = orderIn('Released');
		const reply = await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/ChangeState`, {
			body: { newState: 'FirmPlanned' },
		});
		expect(reply.status).toBe(500);
		expect(errorMessage(reply)).toContain('can only be advanced');
		expect(stored(order.Id).State).toBe('Released');
	});

	it('should allow reopening a closed order ("reopening is allowed")', async () => {
		const order = orderIn('Closed');
		expect(
			(await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/ChangeState`, { body: { newState: 'Completed' } }))
				.status,
		).toBe(204);
	});

	it('should refuse New and Adjustment as targets (get-repository-events.md: valid states 10..50), the same state, and void documents', async () => {
		const planned = orderIn('Planned');
		for (const newState of ['New', 'Adjustment', 'Planned']) {
			const reply = await call(`odata/Crm_Sales_SalesOrders(${String(planned.Id)})/ChangeState`, {
				body: { newState },
			});
			expect(reply.status).toBe(500);
		}
		const voided = sandbox.store
			.list('Crm_Sales_SalesOrders')
			.find((record) => record.Void === true && record.State !== 'Closed') as EntityRecord;
		const reply = await call(`odata/Crm_Sales_SalesOrders(${String(voided.Id)})/ChangeState`, {
			body: { newState: 'Closed' },
		});
		expect(reply.status).toBe(500);
		expect(errorMessage(reply)).toContain('void');
	});

	it('should refuse an unknown state, a missing newState and an unknown parameter with the allowed values named', async () => {
		const id = String(orderIn('Planned').Id);
		const unknown = await call(`odata/Crm_Sales_SalesOrders(${id})/ChangeState`, { body: { newState: 'Shipped' } });
		expect(unknown.status).toBe(500);
		expect(errorMessage(unknown)).toContain('Planned, FirmPlanned, Released');
		expect((await call(`odata/Crm_Sales_SalesOrders(${id})/ChangeState`, { body: {} })).status).toBe(500);
		expect(
			errorMessage(
				await call(`odata/Crm_Sales_SalesOrders(${id})/ChangeState`, { body: { newState: 'Released', state: 'x' } }),
			),
		).toContain("'state'");
	});

	it('should refuse GET for an action (operations/index.md) and answer 404 for an unknown key', async () => {
		const id = String(orderIn('Planned').Id);
		expect((await call(`odata/Crm_Sales_SalesOrders(${id})/ChangeState`)).status).toBe(405);
		expect(
			(
				await call('odata/Crm_Sales_SalesOrders(00000000-0000-0000-0000-000000000001)/ChangeState', {
					body: { newState: 'Released' },
				})
			).status,
		).toBe(404);
	});

	it('should refuse ChangeState on a non-document (no such method in its API Methods)', async () => {
		const customer = sandbox.store.list('Crm_Sales_Customers')[0];
		const reply = await call(`odata/Crm_Sales_Customers(${String(customer.Id)})/ChangeState`, {
			body: { newState: 'Released' },
		});
		expect(reply.status).toBeGreaterThanOrEqual(400);
	});

	it('should refuse a direct PATCH of a released document and of its lines (working-with-documents.md)', async () => {
		const order = orderIn('Planned');
		await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/ChangeState`, { body: { newState: 'Released' } });
		const patch = await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})`, {
			method: 'PATCH',
			body: { DocumentNotes: 'late change' },
		});
		expect(patch.status).toBe(500);
		expect(errorMessage(patch)).toContain('adjustment documents');
		const line = sandbox.store.childrenOf('Crm_Sales_SalesOrderLines', String(order.Id), 'SalesOrder')[0];
		const linePatch = await call(`odata/Crm_Sales_SalesOrderLines(${String(line.Id)})`, {
			method: 'PATCH',
			body: { Notes: 'x' },
		});
		expect(linePatch.status).toBe(500);
	});

	it('should need the update scope', async () => {
		const response = await fetch(`${sandbox.url}/id/connect/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sandbox.clientId,
				client_secret: sandbox.clientSecret,
				scope: 'read',
			}),
		});
		const readToken = ((await response.json()) as { access_token: string }).access_token;
		const reply = await call(`odata/Crm_Sales_SalesOrders(${String(orderIn('Planned').Id)})/ChangeState`, {
			body: { newState: 'Released' },
			headers: { authorization: `Bearer ${readToken}` },
		});
		expect(reply.status).toBe(403);
	});
});

describe('Complete (model page API Methods)', () => {
	it('should complete a released order with a documented completion value', async () => {
		const order = orderIn('Released');
		expect(
			(
				await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/Complete`, {
					body: { completion: 'OnlyDocument' },
				})
			).status,
		).toBe(204);
		expect(stored(order.Id).State).toBe('Completed');
	});
});

describe('MakeVoid (working-with-documents.md; VoidType members)', () => {
	it('should void a document with the documented body and record the reason', async () => {
		const order = orderIn('Released');
		const reply = await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/MakeVoid`, {
			body: { reason: 'test api method', voidType: 'VoidDocument' },
		});
		expect(reply.status).toBe(204);
		expect(stored(order.Id)).toMatchObject({
			Void: true,
			VoidReason: 'test api method',
			FullState: 'Void',
			IsReleased: false,
		});
	});

	it('should default voidType to VoidDocument and refuse voiding twice ("irreversible")', async () => {
		const order = orderIn('Planned');
		expect(
			(await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/MakeVoid`, { body: { reason: 'duplicate' } }))
				.status,
		).toBe(204);
		const again = await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/MakeVoid`, {
			body: { reason: 'duplicate' },
		});
		expect(again.status).toBe(500);
		expect(errorMessage(again)).toContain('already void');
	});

	it('should require a reason and a documented void type', async () => {
		const id = String(orderIn('Planned').Id);
		expect(
			(await call(`odata/Crm_Sales_SalesOrders(${id})/MakeVoid`, { body: { voidType: 'VoidDocument' } })).status,
		).toBe(500);
		expect(
			(await call(`odata/Crm_Sales_SalesOrders(${id})/MakeVoid`, { body: { reason: 'x', voidType: 'Everything' } }))
				.status,
		).toBe(500);
		expect(stored(id).Void).toBe(false);
	});

	it('should refuse VoidDocument when sub-documents exist and void them with VoidWithReleasedSubDocuments', async () => {
		const parent = orderIn('Released');
		const child = orderIn('Planned');
		sandbox.store.patch('Crm_Sales_SalesOrders', String(child.Id), {
			Parent: { '@odata.id': `General_Documents_Documents(${String(parent.Id)})` },
		});
		const refused = await call(`odata/Crm_Sales_SalesOrders(${String(parent.Id)})/MakeVoid`, { body: { reason: 'x' } });
		expect(refused.status).toBe(500);
		expect(errorMessage(refused)).toContain('VoidWithSubDocuments');
		expect(
			(
				await call(`odata/Crm_Sales_SalesOrders(${String(parent.Id)})/MakeVoid`, {
					body: { reason: 'x', voidType: 'VoidWithReleasedSubDocuments' },
				})
			).status,
		).toBe(204);
		expect(stored(child.Id).Void).toBe(true);
	});
});

describe('GetPrintout (model page: Base64 string; change-language.md)', () => {
	async function printout(id: unknown, body: unknown, headers: Record<string, string> = {}): Promise<Buffer> {
		const reply = await call(`odata/Crm_Sales_SalesOrders(${String(id)})/GetPrintout`, { body, headers });
		expect(reply.status).toBe(200);
		expect(reply.json['@odata.context']).toMatch(/\$metadata#Edm\.String$/);
		return Buffer.from(String(reply.json.value), 'base64');
	}

	it('should return a valid, deterministic PDF by default', async () => {
		const order = orderIn('Released');
		const pdf = await printout(order.Id, {});
		expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
		expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
		const startxref = Number(/startxref\n(\d+)/.exec(pdf.toString('latin1'))?.[1]);
		expect(pdf.subarray(startxref, startxref + 4).toString('latin1')).toBe('xref');
		expect(pdf.toString('latin1')).toContain(String(order.DocumentNo));
		expect((await printout(order.Id, { fileFormat: 'pdf' })).equals(pdf)).toBe(true);
	});

	it('should render html, txt and png', async () => {
		const order = orderIn('Released');
		const html = (await printout(order.Id, { fileFormat: 'html' })).toString('utf8');
		expect(html).toMatch(/^<!DOCTYPE html>/);
		expect(html).toContain(String(order.DocumentNo));
		expect((await printout(order.Id, { fileFormat: 'txt' })).toString('utf8')).toContain(
			`Document No: ${String(order.DocumentNo)}`,
		);
		const png = await printout(order.Id, { fileFormat: 'png' });
		expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		const width = png.readUInt32BE(16);
		const height = png.readUInt32BE(20);
		const idat = png.indexOf('IDAT');
		const pixels = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
		expect(pixels.length).toBe((width + 1) * height);
		expect(pixels.includes(0x00, 1)).toBe(true);
	});

	it('should render in the language of Accept-Language or culture (change-language.md)', async () => {
		const order = orderIn('Released');
		expect((await printout(order.Id, { fileFormat: 'txt' }, { 'accept-language': 'de' })).toString('utf8')).toContain(
			'Belegnummer',
		);
		const reply = await call(`odata/Crm_Sales_SalesOrders(${String(order.Id)})/GetPrintout?culture=bg`, {
			body: { fileFormat: 'txt' },
			headers: { 'accept-language': 'de' },
		});
		expect(Buffer.from(String(reply.json.value), 'base64').toString('utf8')).toContain('Номер');
	});

	it('should refuse an undocumented format and a printout that does not exist', async () => {
		const id = String(orderIn('Released').Id);
		const format = await call(`odata/Crm_Sales_SalesOrders(${id})/GetPrintout`, { body: { fileFormat: 'odt' } });
		expect(format.status).toBe(500);
		expect(errorMessage(format)).toContain('pdf, html, xlsx, xls, docx, txt, png');
		const printoutReply = await call(`odata/Crm_Sales_SalesOrders(${id})/GetPrintout`, {
			body: {
				fileFormat: 'pdf',
				printout: { '@odata.id': 'Systems_Documents_Printouts(f5229037-b420-46a4-81a0-f11f7d112879)' },
			},
		});
		expect(printoutReply.status).toBe(500);
	});
});

describe('CreateNotification (create-notification.md)', () => {
	it('should create a notification for a user from any entity and keep it for control.notifications()', async () => {
		const customer = sandbox.store.list('Crm_Sales_Customers')[0];
		const user = sandbox.store.list('Systems_Security_Users')[0];
		const reply = await call(`odata/Crm_Sales_Customers(${String(customer.Id)})/CreateNotification`, {
			body: {
				user: { '@odata.id': `Systems_Security_Users(${String(user.Id)})` },
				notificationClass: 'NT_SOC_NEW_POST',
				subject: 'Hello from Domain API!',
			},
		});
		expect(reply.status).toBe(204);
		expect(sandbox.control.notifications()).toEqual([
			expect.objectContaining({
				user: `Systems_Security_Users(${String(user.Id)})`,
				notificationClass: 'NT_SOC_NEW_POST',
				subject: 'Hello from Domain API!',
				priority: 'Normal',
				dataObject: `Crm_Sales_Customers(${String(customer.Id)})`,
			}),
		]);
	});

	it('should refuse an unknown user, a missing subject and an undocumented priority', async () => {
		const customer = String(sandbox.store.list('Crm_Sales_Customers')[0].Id);
		const user = {
			'@odata.id': `Systems_Security_Users(${String(sandbox.store.list('Systems_Security_Users')[0].Id)})`,
		};
		const path = `odata/Crm_Sales_Customers(${customer})/CreateNotification`;
		expect(
			(
				await call(path, {
					body: {
						user: { '@odata.id': 'Systems_Security_Users(00000000-0000-0000-0000-000000000001)' },
						notificationClass: 'NT_SOC_NEW_POST',
						subject: 's',
					},
				})
			).status,
		).toBe(500);
		expect((await call(path, { body: { user, notificationClass: 'NT_SOC_NEW_POST' } })).status).toBe(500);
		expect(
			(await call(path, { body: { user, notificationClass: 'NT_SOC_NEW_POST', subject: 's', priority: 'Critical' } }))
				.status,
		).toBe(500);
		expect(sandbox.control.notifications()).toHaveLength(0);
	});
});

describe('Functions with parameters (operations/index.md; OData function-parameter syntax)', () => {
	it('should answer GetPropertyAllowedValues with the enum members, filtered and paged', async () => {
		const id = String(orderIn('Planned').Id);
		const reply = await call(
			`odata/Crm_Sales_SalesOrders(${id})/GetPropertyAllowedValues(propertyName='State',search='plan',top=1)`,
		);
		expect(reply.status).toBe(200);
		expect(reply.json.value).toEqual([{ Value: 'Planned', Text: 'Planned' }]);
		const aliased = await call(
			`odata/Crm_Sales_SalesOrders(${id})/GetPropertyAllowedValues(propertyName=@p,skip=5)?@p='State'`,
		);
		expect((aliased.json.value as unknown[]).length).toBe(2);
	});

	it('should refuse POST for a function, a missing required parameter and a bad literal', async () => {
		const id = String(orderIn('Planned').Id);
		expect(
			(await call(`odata/Crm_Sales_SalesOrders(${id})/GetPropertyAllowedValues(propertyName='State')`, { body: {} }))
				.status,
		).toBe(405);
		expect((await call(`odata/Crm_Sales_SalesOrders(${id})/GetPropertyAllowedValues()`)).status).toBe(500);
		expect((await call(`odata/Crm_Sales_SalesOrders(${id})/GetPropertyAllowedValues(propertyName=State)`)).status).toBe(
			500,
		);
	});
});

describe('Actions in $batch changesets (batch.md: changesets are atomic)', () => {
	it('should run ChangeState in a changeset and roll the whole changeset back when one action fails', async () => {
		const first = orderIn('Planned');
		const released = orderIn('Released');
		const part = (id: unknown, contentId: number, state: string) =>
			[
				'--changeset_1',
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				`Content-ID: ${contentId}`,
				'',
				`POST Crm_Sales_SalesOrders(${String(id)})/ChangeState HTTP/1.1`,
				'Content-Type: application/json',
				'',
				JSON.stringify({ newState: state }),
				'',
			].join('\r\n');
		const body = [
			'--batch_1',
			'Content-Type: multipart/mixed; boundary=changeset_1',
			'',
			part(first.Id, 1, 'Released'),
			part(released.Id, 2, 'Planned'),
			'--changeset_1--',
			'--batch_1--',
			'',
		].join('\r\n');
		const response = await fetch(`${sandbox.url}/api/domain/odata/$batch`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=batch_1' },
			body,
		});
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('HTTP/1.1 500');
		expect(stored(first.Id).State).toBe('Planned');
	});
});

describe('Methods in the JSON model and $metadata (discover-model.md; model pages API Methods)', () => {
	it('should list the model page methods with EDM types in currentmodel', async () => {
		const reply = await call('currentmodel/Crm_Sales_SalesOrders');
		const methods = reply.json.Methods as Array<{
			Name: string;
			IsAction: boolean;
			ReturnType: string;
			Parameters: Array<{ Name: string; Type: string }>;
		}>;
		expect(methods.map((method) => method.Name)).toEqual(
			expect.arrayContaining([
				'ChangeState',
				'MakeVoid',
				'GetPrintout',
				'CreateNotification',
				'GetPropertyAllowedValues',
				'Complete',
			]),
		);
		const changeState = methods.find((method) => method.Name === 'ChangeState');
		expect(changeState).toMatchObject({ IsAction: true, ReturnType: 'void' });
		expect(changeState?.Parameters.map((parameter) => parameter.Name)).toEqual([
			'bindingParameter',
			'newState',
			'userStatus',
		]);
		expect(methods.find((method) => method.Name === 'GetPrintout')).toMatchObject({
			IsAction: true,
			ReturnType: 'Edm.String',
		});
		expect(methods.find((method) => method.Name === 'GetPropertyAllowedValues')?.IsAction).toBe(false);
		const customerMethods = (await call('currentmodel/Crm_Sales_Customers')).json.Methods as Array<{ Name: string }>;
		expect(customerMethods.map((method) => method.Name)).not.toContain('ChangeState');
	});

	it('should declare bound Action and Function elements with optional parameters in $metadata', async () => {
		const xml = (await call('odata/$metadata')).text;
		expect(xml).toMatch(
			/<Action Name="ChangeState" IsBound="true"><Parameter Name="bindingParameter" Type="Erp\.General_Documents_Document" Nullable="false"\/><Parameter Name="newState" Type="Erp\.General_Documents_DocumentState" Nullable="false"\/>/,
		);
		expect(xml).toMatch(
			/<Parameter Name="fileFormat" Type="Edm.String"><Annotation Term="Erp.OptionalParameter" String="pdf"\/><\/Parameter>/,
		);
		expect(xml).toMatch(/<Function Name="GetPropertyAllowedValues" IsBound="true">/);
		expect(xml).toContain(
			'<EnumType Name="General_Documents_DocumentsRepositoryBase_VoidType"><Member Name="VoidDocument" Value="0"/>',
		);
	});
});
