/**
 * The hardening cases in a real n8n (plain-text languages, echoed tokens, redirects, repeated pages, the Domain API
 * scope) and dates east of UTC, as ONE workflow, so that they cost
 * one `n8n execute`:
 * a Manual Trigger fanned out to one node per case, each with "On Error: Continue", against sandbox faults that
 * answer only that node's requests. node.e2e.test.ts imports the workflow and checks the run.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';

import type { NodeJson, WorkflowJson } from './n8n';
import type { Sandbox } from './sandbox';

export const HARDENING_WORKFLOW_ID = 'e2eNodeHardening';
export const HARDENING_CRED = { id: 'e2eNodeCredHard01', name: 'ERP.net sandbox (hardening)' };

/** The records each case works on, fixed before the workflow is imported. */
export interface HardeningTargets {
	/** A product whose Name has EN and BG: Update of its BG name as plain text. */
	updateProduct: Record<string, unknown>;
	/** Another such product: Create or Update by its code with an EN name as plain text. */
	upsertProduct: Record<string, unknown>;
	/** Customers whose reads and write are answered by faults (token echoes, redirects). */
	echoJson: Record<string, unknown>;
	echoHtml: Record<string, unknown>;
	redirectRead: Record<string, unknown>;
	redirectWrite: Record<string, unknown>;
	/** A sales order in state New whose date and date-time are set from the resource mapper. */
	datedOrder: Record<string, unknown>;
}

/** What the date case types into its date fields; n8n (GENERIC_TIMEZONE=Europe/Sofia) makes a zoned midnight of it. */
export const TYPED_DATE = '2026-01-31';

export const CASES = {
	mlUpdate: 'ML Update (bg)',
	mlUpsert: 'ML Upsert (en-US)',
	echoJson: 'Token echoed in a JSON error',
	echoHtml: 'Token echoed in an HTML page',
	redirectRead: 'Read redirected elsewhere',
	redirectWrite: 'Write redirected elsewhere',
	changingLinks: 'Pages repeat (changing next links)',
	ignoredSkip: 'Pages repeat (ignored $skip)',
	otherPath: 'HTTP Request to another path',
	datesEast: 'Dates east of UTC',
} as const;

const locator = (value: string, mode = 'name') => ({ __rl: true, mode, value });

const mapper = (value: Record<string, string>) => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema: Object.keys(value).map((id) => ({
		id,
		displayName: id,
		required: false,
		defaultMatch: false,
		display: true,
		type: 'string',
		canBeUsedToMatch: false,
	})),
});

/** A resource mapper whose fields n8n types as date-times (a date and a date-time attribute of the model). */
const dateMapper = (value: Record<string, string>) => ({
	...mapper(value),
	schema: Object.keys(value).map((id) => ({
		id,
		displayName: id,
		required: false,
		defaultMatch: false,
		display: true,
		type: 'dateTime',
		canBeUsedToMatch: false,
	})),
});

type CaseNode = Pick<NodeJson, 'name' | 'type' | 'typeVersion' | 'parameters' | 'credentials'> & { onError: string };

export function hardeningWorkflow(sandbox: Sandbox, targets: HardeningTargets): WorkflowJson {
	const credentials = { erpNetApi: HARDENING_CRED };
	const erpNet = (name: string, parameters: Record<string, unknown>): CaseNode => ({
		name,
		type: 'n8n-nodes-erpnet.erpNet',
		typeVersion: 1,
		parameters: { resource: 'entity', ...parameters },
		credentials,
		onError: 'continueRegularOutput',
	});
	const customer = (record: Record<string, unknown>) => locator(String(record.Id), 'id');
	const cases: CaseNode[] = [
		erpNet(CASES.mlUpdate, {
			operation: 'update',
			entitySet: locator('General_Products_Products'),
			recordId: locator(String(targets.updateProduct.Id), 'id'),
			fieldsInput: 'mapper',
			columns: mapper({ Name: 'Име от n8n' }),
			options: { language: 'bg-BG', returnUpdated: false },
		}),
		erpNet(CASES.mlUpsert, {
			operation: 'upsert',
			entitySet: locator('General_Products_Products'),
			matchBy: 'Code',
			matchValue: String(targets.upsertProduct.PartNumber),
			fieldsInput: 'mapper',
			columns: mapper({ Name: 'Name from n8n' }),
			options: { language: 'en-US' },
		}),
		erpNet(CASES.echoJson, {
			operation: 'get',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: customer(targets.echoJson),
			options: {},
		}),
		erpNet(CASES.echoHtml, {
			operation: 'get',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: customer(targets.echoHtml),
			options: {},
		}),
		erpNet(CASES.redirectRead, {
			operation: 'get',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: customer(targets.redirectRead),
			options: {},
		}),
		erpNet(CASES.redirectWrite, {
			operation: 'update',
			entitySet: locator('Crm_Sales_Customers'),
			recordId: customer(targets.redirectWrite),
			fieldsInput: 'json',
			jsonBody: '{"GracePeriodDays": 17}',
			options: {},
		}),
		erpNet(CASES.datesEast, {
			operation: 'update',
			entitySet: locator('Crm_Sales_SalesOrders'),
			recordId: locator(String(targets.datedOrder.Id), 'id'),
			fieldsInput: 'mapper',
			columns: dateMapper({ RequiredDeliveryDate: `={{ "${TYPED_DATE}" }}`, PaymentDueDate: `={{ "${TYPED_DATE}" }}` }),
			options: { returnUpdated: false },
		}),
		erpNet(CASES.changingLinks, {
			operation: 'getAll',
			entitySet: locator('General_Currencies_Currencies'),
			returnAll: true,
			options: { pageSize: 2 },
		}),
		erpNet(CASES.ignoredSkip, {
			operation: 'getAll',
			entitySet: locator('General_Geography_Countries'),
			returnAll: true,
			options: { pageSize: 2 },
		}),
		{
			name: CASES.otherPath,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				url: `${sandbox.url}/sys/auto-discovery`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'erpNetApi',
				options: {},
			},
			credentials,
			onError: 'continueRegularOutput',
		},
	];
	const trigger: NodeJson = {
		id: `${HARDENING_WORKFLOW_ID}-trigger`,
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodes = cases.map(
		(node, index): NodeJson => ({ id: `${HARDENING_WORKFLOW_ID}-n${index}`, ...node, position: [300, index * 160] }),
	);
	return {
		id: HARDENING_WORKFLOW_ID,
		name: 'Hardening cases in one run',
		nodes: [trigger, ...nodes],
		connections: { Start: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } },
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

/** A server on another origin that records what reaches it. */
export async function otherOrigin(): Promise<{
	url: string;
	received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }>;
	close(): Promise<void>;
}> {
	const received: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> = [];
	const server: Server = createServer((req, res) => {
		received.push({ method: req.method, url: req.url, headers: req.headers });
		req.resume();
		res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/** A real token from the sandbox, handed out by a fault as the credential's token so that the faults can echo it. */
export async function knownToken(sandbox: Sandbox): Promise<Record<string, unknown> & { access_token: string }> {
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
			scope: 'read update',
		}),
	});
	return (await response.json()) as Record<string, unknown> & { access_token: string };
}

/** Faults that answer only the workflow's cases; cleared by the caller after the run. */
export function injectHardeningFaults(
	sandbox: Sandbox,
	targets: HardeningTargets,
	token: Record<string, unknown> & { access_token: string },
	elsewhere: string,
): void {
	const { access_token: accessToken } = token;
	const signature = accessToken.split('.')[2];
	const secret = sandbox.clientSecret;
	const control = sandbox.control;
	control.injectFault({
		kind: 'status',
		method: 'POST',
		pathIncludes: '/id/connect/token',
		status: 200,
		times: 10,
		body: token,
	});
	control.injectFault({
		kind: 'status',
		method: 'GET',
		pathIncludes: `Crm_Sales_Customers(${String(targets.echoJson.Id)})`,
		status: 500,
		headers: { 'X-Debug-Authorization': `Bearer ${accessToken}` },
		body: {
			error: {
				code: 1,
				message: `Token ${accessToken} rejected (signature ${signature})`,
				info: `client_secret=${encodeURIComponent(secret)}`,
			},
		},
	});
	control.injectFault({
		kind: 'status',
		method: 'GET',
		pathIncludes: `Crm_Sales_Customers(${String(targets.echoHtml.Id)})`,
		status: 500,
		headers: { 'content-type': 'text/html' },
		body: `<html>\n\t<p>Upstream said:\n   Authorization: Bearer ${accessToken}\n   secret: ${secret}</p></html>`,
	});
	for (const [target, method, status] of [
		[targets.redirectRead, 'GET', 302],
		[targets.redirectWrite, 'PATCH', 307],
	] as const) {
		const path = `Crm_Sales_Customers(${String(target.Id)})`;
		control.injectFault({
			kind: 'status',
			method,
			pathIncludes: path,
			status,
			headers: { Location: `${elsewhere}/api/domain/odata/${path}` },
			body: '',
		});
	}
	const currencies = sandbox.store.list('General_Currencies_Currencies').slice(0, 2);
	const page = (set: string, records: Array<Record<string, unknown>>) =>
		records.map((record) => ({ '@odata.id': `${set}(${String(record.Id)})`, ...record }));
	const base = `${sandbox.url}/api/domain/odata/General_Currencies_Currencies`;
	for (let link = 1; link <= 6; link++) {
		control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: '/odata/General_Currencies_Currencies',
			status: 200,
			body: {
				value: page('General_Currencies_Currencies', currencies),
				'@odata.nextLink': `${base}?$top=2&$skiptoken=${link}`,
			},
		});
	}
	const countries = sandbox.store.list('General_Geography_Countries').slice(0, 2);
	control.injectFault({
		kind: 'status',
		method: 'GET',
		pathIncludes: '/odata/General_Geography_Countries',
		status: 200,
		times: 6,
		body: { value: page('General_Geography_Countries', countries) },
	});
}
