export type ReferenceTokenKind = 'PAT' | 'SAT';

/** A reference access token as the sandbox context holds it (`context.referenceTokens`, by sha256 of the token). */
export interface ReferenceTokenRecord {
	/** Internal id (32 hex); sessions and the request log use `ref:<id>`, never the token. */
	id: string;
	kind: ReferenceTokenKind;
	clientId: string;
	scopes: string[];
	/** Unix seconds. */
	createdAt: number;
	expiresAt: number;
	revoked: boolean;
	/** Unix milliseconds of the last accepted request ("Can log last used timestamp"). */
	lastUsedAt?: number;
}
