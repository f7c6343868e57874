import { bindRequest, tokenForBoundRequest } from '../../../core/session/binding';
import { DEFAULT_SESSION_LIMITS, ErpNetSession } from '../../../core/session/session';
import { tokenSource } from './fixtures';

async function boundSession() {
	const tokens = tokenSource(3600);
	const session = new ErpNetSession(0, () => DEFAULT_SESSION_LIMITS);
	const token = await session.accessToken(tokens.fetch);
	return { tokens, session, token };
}

describe('tokenForBoundRequest', () => {
	it('should know nothing of a request that did not come through the gate', async () => {
		expect(await tokenForBoundRequest({})).toBeUndefined();
	});

	it("should give the session's token the first time n8n authenticates the bound request", async () => {
		const { tokens, session, token } = await boundSession();
		const options = {};
		bindRequest(options, session, token, tokens.fetch);

		expect(await tokenForBoundRequest(options)).toBe('token-1');
		expect(tokens.issued).toBe(1);
	});

	it('should bind the options object itself, not an equal copy of it', async () => {
		const { tokens, session, token } = await boundSession();
		const options = { url: '/odata/General_Contacts_Persons' };
		bindRequest(options, session, token, tokens.fetch);

		expect(await tokenForBoundRequest({ ...options })).toBeUndefined();
	});

	it('should replace the token it sent each time n8n authenticates the same request again after a 401', async () => {
		const { tokens, session, token } = await boundSession();
		const options = {};
		bindRequest(options, session, token, tokens.fetch);

		const sent = [];
		for (let attempt = 0; attempt < 3; attempt++) sent.push(await tokenForBoundRequest(options));

		expect(sent).toEqual(['token-1', 'token-2', 'token-3']);
		expect(session.token?.value).toBe('token-3');
		expect(session.retiredTokens).toEqual(['token-2', 'token-1']);
	});

	it('should take the token another request already got in place of the rejected one, without a new request', async () => {
		const { tokens, session, token } = await boundSession();
		const first = {};
		const second = {};
		bindRequest(first, session, token, tokens.fetch);
		bindRequest(second, session, token, tokens.fetch);
		await tokenForBoundRequest(first);
		await tokenForBoundRequest(second);

		expect(await tokenForBoundRequest(first)).toBe('token-2');
		expect(await tokenForBoundRequest(second)).toBe('token-2');
		expect(tokens.issued).toBe(2);
	});
});
