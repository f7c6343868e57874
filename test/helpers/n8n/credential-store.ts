import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	INodeCredentials,
	INodeCredentialsDetails,
} from 'n8n-workflow';
import { ICredentials } from 'n8n-workflow';

import { clone } from './clone';

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	/** Raw stored data, as n8n keeps it in the database (decrypted here). */
	data: ICredentialDataDecryptedObject;
}

export interface CredentialWrite {
	id: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** In-memory stand-in for the credentials table. Share one instance between runs to keep the stored token. */
export class CredentialStore {
	private readonly entries = new Map<string, StoredCredential>();

	/** Every write made by `updateCredentials` (i.e. every persisted token), in order. */
	readonly writes: CredentialWrite[] = [];

	/** How often the credential's `preAuthentication` hook actually ran (calls that were skipped not counted). */
	preAuthenticationRuns = 0;

	/**
	 * Creates the credential of this type, or merges `data` into the existing one: like a user editing the
	 * credential in the UI, hidden fields (the stored token) are kept unless `data` names them.
	 */
	upsert(type: string, data: ICredentialDataDecryptedObject, name = `${type} test credential`): StoredCredential {
		const existing = this.find(type);
		if (existing) {
			existing.data = { ...existing.data, ...clone(data) };
			return existing;
		}
		const entry: StoredCredential = { id: `${type}-1`, name, type, data: clone(data) };
		this.entries.set(entry.id, entry);
		return entry;
	}

	/** Alias of `upsert` for readability in tests: `store.edit('erpNetApi', { clientSecret: 'new' })`. */
	edit(type: string, patch: ICredentialDataDecryptedObject): StoredCredential {
		if (!this.find(type)) throw new Error(`No stored credential of type "${type}" to edit`);
		return this.upsert(type, patch);
	}

	find(type: string): StoredCredential | undefined {
		return [...this.entries.values()].find((entry) => entry.type === type);
	}

	get(id: string): StoredCredential | undefined {
		return this.entries.get(id);
	}

	/** A copy of the stored data of the credential of this type (what the database holds). */
	data(type: string): ICredentialDataDecryptedObject {
		const entry = this.find(type);
		if (!entry) throw new Error(`No stored credential of type "${type}"`);
		return clone(entry.data);
	}

	replace(id: string, data: ICredentialDataDecryptedObject): void {
		const entry = this.entries.get(id);
		if (!entry) throw new Error(`Credential "${id}" not found`);
		entry.data = clone(data);
		this.writes.push({ id, type: entry.type, data: clone(data) });
	}

	/** `node.credentials` referencing every stored credential. */
	nodeCredentials(): INodeCredentials {
		const result: INodeCredentials = {};
		for (const entry of this.entries.values()) result[entry.type] = { id: entry.id, name: entry.name };
		return result;
	}
}

/** One stored credential as n8n-core reads and writes it (`ICredentials`), backed by the store. */
export class StoredCredentials extends ICredentials {
	constructor(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		private readonly store: CredentialStore,
	) {
		super(nodeCredentials, type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		const entry = this.store.get(this.id ?? '');
		if (!entry) throw new Error(`Credential "${this.id}" not found`);
		return clone(entry.data);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.store.get(this.id ?? '')?.data) };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.replace(this.id ?? '', data);
	}

	async updateData(toUpdate: Partial<ICredentialDataDecryptedObject>, toDelete: string[] = []): Promise<void> {
		const data = { ...(await this.getData()), ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete data[key];
		await this.setData(data);
	}
}
