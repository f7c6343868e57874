import express from 'express';
import {
	createRemoteJWKSet,
	decodeJwt,
	decodeProtectedHeader,
	exportJWK,
	generateKeyPair,
	jwtVerify,
	SignJWT,
} from 'jose';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startSandbox, type Sandbox } from '../../../sandbox/src';
import { bearerAuthentication, hashClientSecret } from '../../../sandbox/src/identity';
import { SERVICE_LOGIN } from '../../../sandbox/src/seed';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SPECIAL_CLIENT_ID = 'n8n.sandbox/special';
const SPECIAL_SECRET = 'p&ss=w+rd% ü/€';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});

afterAll(async () => {
	await sandbox.close();
});

afterEach(() => {
	sandbox.control.setTokenLifetime(3600);
});

async function postToken(fields: Record<string, string>, headers: Record<string, string> = FORM) {
	const response = await fetch(`${sandbox.url}/id/connect/token`, {
		method: 'POST',
		headers,
		body: new URLSearchParams(fields).toString(),
	});
	return {
		status: response.status,
		headers: response.headers,
		body: (await response.json()) as Record<string, unknown>,
	};
}

async function accessToken(clientId = sandbox.clientId, clientSecret = sandbox.clientSecret, scope?: string) {
	const fields: Record<string, string> = {
		grant_type: 'client_credentials',
		client_id: clientId,
		client_secret: clientSecret,
	};
	if (scope !== undefined) fields.scope = scope;
	const { status, body } = await postToken(fields);
	expect(status).toBe(200);
	return body.access_token as string;
}

function domainApi(path: string, token: string | undefined, init: RequestInit = {}) {
	const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
	if (token) headers.authorization = `Bearer ${token}`;
	return fetch(`${sandbox.url}/api/domain/odata/${path}`, { ...init, headers });
}

describe('discovery', () => {
	it('should publish the OpenID configuration with issuer {instance}/id and the documented endpoints', async () => {
		const response = await fetch(`${sandbox.url}/id/.well-known/openid-configuration`);
		const configuration = (await response.json()) as Record<string, unknown>;

		expect(response.status).toBe(200);
		expect(configuration).toMatchObject({
			issuer: `${sandbox.url}/id`,
			token_endpoint: `${sandbox.url}/id/connect/token`,
			authorization_endpoint: `${sandbox.url}/id/connect/authorize`,
			end_session_endpoint: `${sandbox.url}/id/connect/endsession`,
			jwks_uri: `${sandbox.url}/id/.well-known/openid-configuration/jwks`,
		});
		expect(configuration.grant_types_supported).toEqual(['authorization_code', 'client_credentials', 'refresh_token']);
		expect(configuration.scopes_supported).toEqual(expect.arrayContaining(['openid', 'read', 'update']));
	});

	it('should describe the instance sites at /sys/auto-discovery without a token', async () => {
		const response = await fetch(`${sandbox.url}/sys/auto-discovery`);

		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			WebSites: [
				{ Type: 'ID', Status: 'Working', Url: `${sandbox.url}/id` },
				{
					Type: 'DomainAPI',
					Status: 'Working',
					Url: `${sandbox.url}/api`,
					AdditionalProperties: { ODataServiceRoot: `${sandbox.url}/api/domain/odata/` },
				},
			],
		});
	});

	it('should hash secrets as base64(sha256(utf8)) matching the documented DEMO vector', async () => {
		const response = await fetch(`${sandbox.url}/sys/tools/sha256?secret=DEMO`);

		expect(hashClientSecret('DEMO')).toBe('T/AGymuI51LwjLeIFxRQXOs9IHnupDKs/ajhWODR2C4=');
		expect(await response.json()).toEqual({ sha256: 'T/AGymuI51LwjLeIFxRQXOs9IHnupDKs/ajhWODR2C4=' });
	});
});

describe('token endpoint: success', () => {
	it('should issue a bearer token with all of the app scopes when scope is omitted', async () => {
		const { status, headers, body } = await postToken({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
		});

		expect(status).toBe(200);
		expect(headers.get('cache-control')).toBe('no-store');
		expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
		expect(body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', scope: 'read update' });
	});

	it('should sign an RS256 at+jwt that verifies against the published JWKS with the documented claims', async () => {
		const token = await accessToken();
		const issuer = `${sandbox.url}/id`;
		const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/openid-configuration/jwks`));

		const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, audience: 'DomainAPI', typ: 'at+jwt' });

		expect(protectedHeader).toEqual({ alg: 'RS256', kid: expect.stringMatching(/^[0-9A-F]{32}$/), typ: 'at+jwt' });
		expect(payload.aud).toEqual(expect.arrayContaining(['DomainAPI', `${issuer}/resources`]));
		expect(payload.exp).toBe((payload.iat as number) + 3600);
		expect(payload.nbf).toBe(payload.iat);
		expect(payload).toMatchObject({
			client_id: sandbox.clientId,
			scope: ['read', 'update'],
			client_db: expect.any(String),
			client_system_user: SERVICE_LOGIN,
			client_system_user_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			client_system_user_type: 'InternalUser',
			jti: expect.stringMatching(/^[0-9A-F]{32}$/),
		});
		expect(payload.sub).toBeUndefined();
	});

	it('should grant exactly the requested subset of scopes', async () => {
		const { body } = await postToken({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
			scope: 'read',
		});

		expect(body.scope).toBe('read');
		expect(decodeJwt(body.access_token as string).scope).toEqual(['read']);
	});

	it('should accept the legacy DomainApi scope and then grant the app scopes as well', async () => {
		const { status, body } = await postToken({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
			scope: 'DomainApi',
		});

		expect(status).toBe(200);
		expect(body.scope).toBe('DomainApi read update');
	});

	it('should accept a secret with & = + % space ü € when it is form-encoded', async () => {
		const { status, body } = await postToken({
			grant_type: 'client_credentials',
			client_id: SPECIAL_CLIENT_ID,
			client_secret: SPECIAL_SECRET,
		});

		expect(status).toBe(200);
		expect(decodeJwt(body.access_token as string).client_id).toBe(SPECIAL_CLIENT_ID);
	});

	it('should refuse that secret when it is sent without form-encoding', async () => {
		const response = await fetch(`${sandbox.url}/id/connect/token`, {
			method: 'POST',
			headers: FORM,
			body: `grant_type=client_credentials&client_id=${encodeURIComponent(SPECIAL_CLIENT_ID)}&client_secret=${SPECIAL_SECRET}`,
		});

		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({ error: 'invalid_client' });
	});

	it('should accept HTTP Basic client authentication with form-url-encoded credentials', async () => {
		const basic = Buffer.from(
			`${encodeURIComponent(SPECIAL_CLIENT_ID)}:${encodeURIComponent(SPECIAL_SECRET)}`,
			'utf8',
		).toString('base64');

		const { status, body } = await postToken(
			{ grant_type: 'client_credentials', scope: 'read' },
			{ ...FORM, authorization: `Basic ${basic}` },
		);

		expect(status).toBe(200);
		expect(body.scope).toBe('read');
	});

	it('should honour the configured token lifetime in expires_in and exp', async () => {
		sandbox.control.setTokenLifetime(120);

		const { body } = await postToken({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
		});
		const claims = decodeJwt(body.access_token as string);

		expect(body.expires_in).toBe(120);
		expect(claims.exp).toBe((claims.iat as number) + 120);
	});
});

describe('trusted applications registered at run time', () => {
	const register = (uri: string, fields: Record<string, unknown>) =>
		sandbox.store.insert('Systems_Security_TrustedApplications', {
			ApplicationUri: uri,
			Name: uri,
			ClientType: 'Confidential',
			ApplicationSecretHash: hashClientSecret('fresh-secret'),
			Scope: 'read',
			IsEnabled: true,
			SystemUserAllowed: true,
			SystemUser: sandbox.store.get('Systems_Security_TrustedApplications', defaultAppId())?.SystemUser,
			...fields,
		});
	const defaultAppId = () =>
		String(
			sandbox.store.list('Systems_Security_TrustedApplications').find((app) => app.ApplicationUri === sandbox.clientId)
				?.Id,
		);

	afterAll(() => sandbox.control.reset());

	it('should issue tokens to an app inserted into the store, as a POST to the entity set would', async () => {
		register('test.runtime/service', {});

		const { status, body } = await postToken({
			grant_type: 'client_credentials',
			client_id: 'test.runtime/service',
			client_secret: 'fresh-secret',
		});

		expect(status).toBe(200);
		expect(body.scope).toBe('read');
	});

	it.each([
		['a Public client', 'test.runtime/public', { ClientType: 'Public' }, 'invalid_client'],
		['an app without a secret hash', 'test.runtime/nohash', { ApplicationSecretHash: null }, 'invalid_client'],
		[
			'an app allowed a system user but with none set',
			'test.runtime/nobody',
			{ SystemUser: null },
			'unauthorized_client',
		],
		['an app with an empty Scope', 'test.runtime/noscope', { Scope: null }, 'invalid_scope'],
	])('should refuse %s', async (_case, uri, fields, error) => {
		register(uri, fields);

		const { status, body } = await postToken({
			grant_type: 'client_credentials',
			client_id: uri,
			client_secret: 'fresh-secret',
		});

		expect(status).toBe(400);
		expect(body.error).toBe(error);
	});
});

describe('token endpoint: errors', () => {
	const valid = { grant_type: 'client_credentials', client_id: 'n8n.sandbox/service', client_secret: 'sandbox-secret' };

	it.each([
		['an unknown client', 'invalid_client', { ...valid, client_id: 'nobody/app' }],
		['a wrong secret', 'invalid_client', { ...valid, client_secret: 'wrong' }],
		[
			'a disabled app',
			'invalid_client',
			{ ...valid, client_id: 'n8n.sandbox/disabled', client_secret: 'disabled-secret' },
		],
		[
			'an app without system user',
			'unauthorized_client',
			{ ...valid, client_id: 'n8n.sandbox/nouser', client_secret: 'nouser-secret' },
		],
		[
			'a scope the app lacks',
			'invalid_scope',
			{ ...valid, client_id: 'n8n.sandbox/readonly', client_secret: 'readonly-secret', scope: 'read update' },
		],
		['an unknown scope', 'invalid_scope', { ...valid, scope: 'read admin' }],
		['a scope in the wrong case', 'invalid_scope', { ...valid, scope: 'Read' }],
		['an OpenID scope', 'invalid_scope', { ...valid, scope: 'openid read' }],
		['the password grant', 'unsupported_grant_type', { ...valid, grant_type: 'password' }],
		['no grant_type', 'invalid_grant', { client_id: valid.client_id, client_secret: valid.client_secret }],
		['no client_id', 'invalid_request', { grant_type: 'client_credentials', client_secret: valid.client_secret }],
		['no client_secret', 'invalid_request', { grant_type: 'client_credentials', client_id: valid.client_id }],
	])('should answer %s with HTTP 400 %s', async (_case, error, fields) => {
		const { status, body } = await postToken(fields as Record<string, string>);

		expect(status).toBe(400);
		expect(body.error).toBe(error);
		expect(body.access_token).toBeUndefined();
	});

	it('should answer a JSON body with invalid_request', async () => {
		const response = await fetch(`${sandbox.url}/id/connect/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(valid),
		});

		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({ error: 'invalid_request' });
	});

	it('should answer a repeated parameter with invalid_request', async () => {
		const response = await fetch(`${sandbox.url}/id/connect/token`, {
			method: 'POST',
			headers: FORM,
			body: `${new URLSearchParams(valid).toString()}&scope=read&scope=update`,
		});

		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({ error: 'invalid_request' });
	});

	it('should answer GET with 405', async () => {
		const response = await fetch(`${sandbox.url}/id/connect/token`);

		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('POST');
	});
});

describe('bearer authentication of the Domain API', () => {
	it('should let a valid token through', async () => {
		const response = await domainApi('Crm_Sales_Customers?$top=1', await accessToken());

		expect(response.status).toBe(200);
	});

	it('should answer a missing token with 401 and a bare Bearer challenge', async () => {
		const response = await domainApi('Crm_Sales_Customers?$top=1', undefined);

		expect(response.status).toBe(401);
		expect(response.headers.get('www-authenticate')).toBe('Bearer');
	});

	it('should answer a tampered token with 401 invalid_token', async () => {
		const token = await accessToken();
		const [header, payload, signature] = token.split('.');
		const forgedPayload = Buffer.from(
			JSON.stringify({ ...decodeJwt(token), scope: ['read', 'update', 'sec'] }),
		).toString('base64url');

		const response = await domainApi('Crm_Sales_Customers?$top=1', [header, forgedPayload, signature].join('.'));

		expect(payload).not.toBe(forgedPayload);
		expect(response.status).toBe(401);
		expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
	});

	it('should answer a token signed by another key with 401', async () => {
		const genuine = decodeJwt(await accessToken());
		const { privateKey } = await generateKeyPair('RS256');
		const kid = decodeProtectedHeader(await accessToken()).kid as string;
		const forged = await new SignJWT(genuine).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' }).sign(privateKey);

		const response = await domainApi('Crm_Sales_Customers?$top=1', forged);

		expect(response.status).toBe(401);
	});

	it('should answer a token from another issuer (host) with 401', async () => {
		const token = await accessToken();
		const port = new URL(sandbox.url).port;

		const response = await fetch(`http://localhost:${port}/api/domain/odata/Crm_Sales_Customers?$top=1`, {
			headers: { authorization: `Bearer ${token}` },
		});

		expect(response.status).toBe(401);
	});

	it('should answer an expired token with 401 invalid_token', async () => {
		// 3 s: the request before expiry must still arrive in time on a loaded machine
		sandbox.control.setTokenLifetime(3);
		const token = await accessToken();
		const expiresAt = (decodeJwt(token).exp as number) * 1000;

		const beforeExpiry = await domainApi('Crm_Sales_Customers?$top=1', token);
		await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 50));
		const afterExpiry = await domainApi('Crm_Sales_Customers?$top=1', token);

		expect(beforeExpiry.status).toBe(200);
		expect(afterExpiry.status).toBe(401);
		expect(afterExpiry.headers.get('www-authenticate')).toMatch(
			/error="invalid_token", error_description="The token expired at/,
		);
	});

	it('should answer revoked tokens with 401 and accept tokens issued afterwards', async () => {
		const revoked = await accessToken();
		expect((await domainApi('Crm_Sales_Customers?$top=1', revoked)).status).toBe(200);

		sandbox.control.revokeAllTokens();
		const fresh = await accessToken();

		expect((await domainApi('Crm_Sales_Customers?$top=1', revoked)).status).toBe(401);
		expect((await domainApi('Crm_Sales_Customers?$top=1', fresh)).status).toBe(200);
	});

	it('should refuse writes with a token lacking update (403, ERP.net error body) but allow reads', async () => {
		const readOnly = await accessToken('n8n.sandbox/readonly', 'readonly-secret');
		const write = { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } };

		const read = await domainApi('Crm_Sales_Customers?$top=1', readOnly);
		const refused = await domainApi('Crm_Sales_Customers', readOnly, write);
		const allowed = await domainApi('Crm_Sales_Customers', await accessToken(), write);

		expect(read.status).toBe(200);
		expect(refused.status).toBe(403);
		expect(await refused.json()).toEqual({
			error: expect.objectContaining({
				message: expect.stringContaining("'update'"),
				code: expect.any(Number),
				type: expect.any(String),
			}),
		});
		expect([401, 403]).not.toContain(allowed.status);
	});

	it('should let a read-only token POST a $batch of reads, whose operations the Domain API checks', async () => {
		const token = await accessToken('n8n.sandbox/readonly', 'readonly-secret');
		const body = [
			'--batch_1',
			'Content-Type: application/http',
			'Content-Transfer-Encoding: binary',
			'',
			`GET ${sandbox.url}/api/domain/odata/Crm_Sales_Customers?$top=1 HTTP/1.1`,
			'Accept: application/json',
			'',
			'',
			'--batch_1--',
			'',
		].join('\r\n');

		const response = await domainApi('$batch', token, {
			method: 'POST',
			headers: { 'content-type': 'multipart/mixed; boundary=batch_1' },
			body,
		});

		expect(response.status).toBe(200);
		expect(await response.text()).toContain('HTTP/1.1 200 OK');
	});

	it.each(['PATCH', 'PUT', 'DELETE'])('should refuse %s with a read-scoped token', async (method) => {
		const token = await accessToken(sandbox.clientId, sandbox.clientSecret, 'read');

		const response = await domainApi('Crm_Sales_Customers(00000000-0000-0000-0000-000000000001)', token, { method });

		expect(response.status).toBe(403);
	});

	it('should set req.auth with client id, scopes, jti and a session kept across requests', async () => {
		const app = express();
		app.use(bearerAuthentication(sandbox.context), (req, res) => {
			res.json(req.auth);
		});
		const server = app.listen(0, '127.0.0.1');
		await new Promise((resolve) => server.once('listening', resolve));
		const { port } = server.address() as AddressInfo;
		const token = await accessToken(sandbox.clientId, sandbox.clientSecret, 'read');
		// The bearer check compares iss with the host it is reached on, so reach this app as the sandbox's host.
		const call = () =>
			new Promise<Record<string, unknown>>((resolve, reject) => {
				const request = httpGet(
					{ port, host: '127.0.0.1', headers: { authorization: `Bearer ${token}`, host: new URL(sandbox.url).host } },
					(response) => {
						let text = '';
						response.on('data', (chunk) => (text += chunk));
						response.on('end', () => resolve(JSON.parse(text)));
					},
				);
				request.on('error', reject);
			});

		try {
			const [first, second] = [await call(), await call()];

			expect(first).toEqual({
				clientId: sandbox.clientId,
				scopes: ['read'],
				jti: decodeJwt(token).jti,
				sessionId: expect.stringMatching(/^[0-9A-F]{32}$/),
			});
			expect(second.sessionId).toBe(first.sessionId);
		} finally {
			server.close();
		}
	});

	it('should publish a JWKS whose key matches the token kid', async () => {
		const token = await accessToken();
		const response = await fetch(`${sandbox.url}/id/.well-known/openid-configuration/jwks`);
		const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };
		const { publicKey } = await generateKeyPair('RS256');

		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256', kid: decodeProtectedHeader(token).kid });
		expect(keys[0].d).toBeUndefined();
		expect(keys[0].n).not.toBe((await exportJWK(publicKey)).n);
	});
});
