import type { ICredentialType } from 'n8n-workflow';

import { ErpNetApi } from '../../../credentials/ErpNetApi.credentials';

/** The credential types the helper knows (the CLI's `CredentialTypes`); default: the ERP.net credential. */
export class CredentialTypeRegistry {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[] = [new ErpNetApi()]) {
		for (const type of types) this.types.set(type.name, type);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type "${name}" (register it with credentialTypes)`);
		return type;
	}

	has(name: string): boolean {
		return this.types.has(name);
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}
}
