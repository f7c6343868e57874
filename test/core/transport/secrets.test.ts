/**
 * The secrets text from ERP.net must not carry on (core/transport/secrets.ts): the client secret, the credential's
 * token and every token a session of the process holds, each also by its signature. Whatever ERP.net or a proxy
 * echoes of them (error bodies, text pages, `$batch` parts) never reaches an output, an error or a log.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { hashClientSecret } from '../../../sandbox/src/identity/secret-hash';
import { currentSecrets, tokenOfFailedRequest } from '../../../core/transport/secrets';
import type { ErpNetFunctions } from '../../../core/transport/types';
import { erpNetCredentials, locator, runErpNet } from '../../helpers/erpnet';
import { CredentialStore, serializeForLeakCheck } from '../../helpers/n8n';
import { expectNoSecret, getCustomer, testNode, useCleanSandbox } from './fixtures';

const sandbox = useCleanSandbox({ customers: 6, products: 3, salesOrders: 1 });

const customerId = () => String(sandbox().store.list('Crm_Sales_Customers')[0].Id);

/** Runs once to get a token into a credential store, and hands back both. */
async function storeWithToken(): Promise<{ store: CredentialStore; token: string }> {
	const store = new CredentialStore();
	const first = await runErpNet(sandbox(), getCustomer(customerId()), { credentialStore: store });
	expect(first.error).toBeUndefined();
	return { store, token: String(store.data('erpNetApi').accessToken) };
}

describe('currentSecrets', () => {
	const contextWith = (read: () => Promise<ICredentialDataDecryptedObject>, parameters: IDataObject = {}) =>
		({ getNode: () => ({ ...testNode, parameters }), getCredentials: read }) as unknown as ErpNetFunctions;

	it("should list the credential's token, secret and reference token, each JWT also by its signature", async () => {
		const secrets = await currentSecrets.call(
			contextWith(async () => ({
				instanceUrl: 'https://demodb.my.erp.net',
				clientId: 'my.company/n8n',
				clientSecret: 'the-secret',
				accessToken: 'header.payload.signature',
				referenceToken: 'enrt_reference',
				tokenFingerprint: 'fingerprint-value',
				discoveredSites: 'sites-value',
				tokenExpiresAt: 123,
			})),
			['extra.token.sig', undefined, ''],
		);

		expect(secrets).toEqual(
			expect.arrayContaining([
				'the-secret',
				'header.payload.signature',
				'signature',
				'enrt_reference',
				'extra.token.sig',
				'sig',
			]),
		);
		for (const kept of ['fingerprint-value', 'sites-value', 'my.company/n8n', 'https://demodb.my.erp.net', '']) {
			expect(secrets).not.toContain(kept);
		}
	});

	it('should read the credential type the node authenticates with', async () => {
		const read = jest.fn(async () => ({ referenceToken: 'enrt_x' }));
		await currentSecrets.call(contextWith(read, { authentication: 'referenceToken' }));
		expect(read).toHaveBeenCalledWith('erpNetReferenceTokenApi');
	});

	it('should still list the extra secrets when the credential cannot be read', async () => {
		const secrets = await currentSecrets.call(
			contextWith(async () => {
				throw new Error('no credential');
			}),
			['sent-token'],
		);
		expect(secrets).toContain('sent-token');
	});
});

describe('tokenOfFailedRequest', () => {
	it('should take the bearer token from the request config n8n keeps as the cause', () => {
		expect(tokenOfFailedRequest({ cause: { config: { headers: { Authorization: 'Bearer abc.def.ghi' } } } })).toBe(
			'abc.def.ghi',
		);
		expect(tokenOfFailedRequest({ cause: { config: { headers: { authorization: 'bearer xyz' } } } })).toBe('xyz');
	});

	it.each([[undefined], [null], [new Error('x')], [{ cause: { config: { headers: { Accept: 'json' } } } }]])(
		'should be undefined when no token was sent: %p',
		(error) => {
			expect(tokenOfFailedRequest(error)).toBeUndefined();
		},
	);
});

describe('no token or secret in any output', () => {
	it('should redact the token, its signature and the secret from a Domain API error body, in every form', async () => {
		const { store, token } = await storeWithToken();
		const secret = sandbox().clientSecret;
		const signature = token.split('.')[2];
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 500,
			body: {
				error: {
					message: `Bad token ${token} (signature ${signature})`,
					info: `client_secret=${encodeURIComponent(secret).toLowerCase()} raw:  ${secret}`,
					code: 0,
				},
			},
		});
		const { error, thrownError, run } = await runErpNet(sandbox(), getCustomer(customerId()), {
			credentialStore: store,
		});
		expect(error).toBeDefined();
		expectNoSecret(serializeForLeakCheck(error, thrownError, run), token, secret);
	});

	it('should redact a proxy text body that is not JSON, with whitespace collapsed', async () => {
		const { store, token } = await storeWithToken();
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 502,
			times: 10,
			headers: { 'Content-Type': 'text/html' },
			body: `<html>\n\t<p>Upstream said:\n   Authorization: Bearer ${token}\n</p></html>`,
		});
		const { error, thrownError, run } = await runErpNet(sandbox(), getCustomer(customerId()), {
			credentialStore: store,
		});
		expect(error).toBeDefined();
		expectNoSecret(serializeForLeakCheck(error, thrownError, run), token, sandbox().clientSecret);
	});

	it('should redact tokens the credential never stored: those of sessions 2..N', async () => {
		const credentials = erpNetCredentials(sandbox(), { sessionsPerProcess: '2', scope: 'read' });
		const store = new CredentialStore();
		// The first read holds session 1 for a second; a second execution meanwhile gets session 2 and its own token,
		// which the first read's 500 then echoes (the body is read when the delayed answer is sent).
		const echo = { error: { message: '', code: 0 } };
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 500,
			delayMs: 1500,
			body: echo,
		});
		const tokens = new Set<string>();
		const stop = sandbox().control.onRequest((entry) => {
			const token = entry.headers.authorization?.replace(/^Bearer /, '');
			if (!token || !entry.path.includes('Crm_Sales_Customers')) return;
			tokens.add(token);
			echo.error.message = `Session tokens seen: ${[...tokens].join(', ')}`;
		});
		try {
			const first = runErpNet(sandbox(), getCustomer(customerId()), { credentials, credentialStore: store });
			await new Promise((resolve) => setTimeout(resolve, 500));
			const second = await runErpNet(sandbox(), getCustomer(customerId()), { credentials, credentialStore: store });
			expect(second.error).toBeUndefined();
			const { error, thrownError, run } = await first;
			expect(error).toBeDefined();
			expect(tokens.size).toBe(2);
			const stored = String(store.data('erpNetApi').accessToken);
			const unstored = [...tokens].filter((token) => token !== stored);
			expect(unstored).toHaveLength(1);
			expectNoSecret(serializeForLeakCheck(error, thrownError, run), unstored[0], sandbox().clientSecret);
		} finally {
			stop();
		}
	});

	it('should keep the secret and the token out of everything a failing run produces', async () => {
		const readAll = (options: IDataObject = {}) => ({
			operation: 'getAll',
			entitySet: locator('Crm_Sales_Customers'),
			returnAll: true,
			options: { select: ['Number'], ...options },
		});
		const store = new CredentialStore();
		const good = await runErpNet(sandbox(), { ...readAll(), returnAll: false, limit: 1 }, { credentialStore: store });
		expect(good.error).toBeUndefined();
		const token = String(store.data('erpNetApi')?.accessToken);
		expect(token.length).toBeGreaterThan(20);

		const failures = [
			await runErpNet(sandbox(), { ...readAll(), entitySet: locator('Crm_Customers') }, { credentialStore: store }),
			await runErpNet(
				sandbox(),
				{ ...readAll({ filter: 'Active eq true or Active eq false' }) },
				{ credentialStore: store },
			),
			await runErpNet(
				sandbox(),
				{
					operation: 'get',
					entitySet: locator('Crm_Sales_Customers'),
					recordId: locator('00000000-0000-4000-8000-000000000000', 'id'),
				},
				{ credentialStore: store },
			),
			await runErpNet(sandbox(), readAll(), {
				credentials: {
					erpNetApi: {
						instanceUrl: sandbox().url,
						clientId: sandbox().clientId,
						clientSecret: 'wrong-secret-value',
						scope: 'read update',
					},
				},
			}),
		];
		for (const failure of failures) expect(failure.error).toBeDefined();
		const produced = serializeForLeakCheck(
			...failures.flatMap((failure) => [failure.error, failure.thrownError, failure.run, failure.items]),
		);
		expect(produced).not.toContain(sandbox().clientSecret);
		expect(produced).not.toContain('wrong-secret-value');
		expect(produced).not.toContain(token);
	});
});

describe("a short secret (ERP.net's demo secret DEMO)", () => {
	const DEMO = 'DEMO';
	let originalHash: unknown;
	const application = () =>
		sandbox()
			.store.list('Systems_Security_TrustedApplications')
			.find((record) => record.ApplicationUri === sandbox().clientId)!;

	beforeAll(() => {
		originalHash = application().ApplicationSecretHash;
		sandbox().store.patch('Systems_Security_TrustedApplications', String(application().Id), {
			ApplicationSecretHash: hashClientSecret(DEMO),
		});
	});
	afterAll(() => {
		sandbox().store.patch('Systems_Security_TrustedApplications', String(application().Id), {
			ApplicationSecretHash: originalHash,
		});
	});

	it('should be redacted where an error echoes the form body or a header, and leave data named DEMO unchanged', async () => {
		const credentials = erpNetCredentials(sandbox(), { clientSecret: DEMO });
		sandbox().control.injectFault({
			kind: 'status',
			method: 'GET',
			pathIncludes: 'Crm_Sales_Customers',
			status: 500,
			headers: { 'Content-Type': 'text/plain', 'X-Echo-Secret': DEMO },
			body: `Upstream failed for grant_type=client_credentials&client_id=x&client_secret=${DEMO}&scope=read\nX-Client-Secret: ${DEMO}\n{"client_secret":"${DEMO}"}\nproduct DEMO stand`,
		});
		const failed = await runErpNet(sandbox(), getCustomer(customerId()), { credentials });
		const leaked = serializeForLeakCheck(failed.error, failed.thrownError, failed.run);
		expect(leaked).toContain('product DEMO stand');
		expect(leaked).toContain('client_secret=***');
		for (const echo of [
			`client_secret=${DEMO}`,
			`X-Client-Secret: ${DEMO}`,
			`"client_secret":"${DEMO}"`,
			`\\"client_secret\\":\\"${DEMO}\\"`,
		]) {
			expect(leaked).not.toContain(echo);
		}

		const id = customerId();
		const updated = await runErpNet(
			sandbox(),
			{
				operation: 'update',
				entitySet: locator('Crm_Sales_Customers'),
				recordId: locator(id, 'id'),
				fieldsInput: 'json',
				jsonBody: '{"Number":"DEMO stand"}',
				options: { batching: 'independent' },
			},
			{ credentials },
		);
		expect(updated.error).toBeUndefined();
		expect(updated.items[0].json.Number).toBe('DEMO stand');
		expect(sandbox().store.get('Crm_Sales_Customers', id)?.Number).toBe('DEMO stand');
	});
});
