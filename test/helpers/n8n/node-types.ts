import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

/** npm package name; n8n registers community node types as `<package>.<description.name>`. */
export const PACKAGE_NAME = 'n8n-nodes-erpnet';

export type AnyNodeType = INodeType | IVersionedNodeType;

export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	register(name: string, type: AnyNodeType): this {
		this.types.set(name, type);
		return this;
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function isVersioned(type: AnyNodeType): type is IVersionedNodeType {
	return 'nodeVersions' in type;
}

/** The description shared by every version (`baseDescription`) or the node's own description. */
export function nodeDescriptionOf(type: AnyNodeType): { name: string; displayName: string; defaultName?: string } {
	if (isVersioned(type)) {
		return {
			name: type.description.name,
			displayName: type.description.displayName,
			defaultName: type.nodeVersions[type.currentVersion]?.description.defaults?.name,
		};
	}
	return {
		name: type.description.name,
		displayName: type.description.displayName,
		defaultName: type.description.defaults?.name,
	};
}

/** The version a new node gets: the current one of a versioned type, else the highest listed. */
export function defaultVersionOf(type: AnyNodeType): number {
	if (isVersioned(type)) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? version[version.length - 1] : version;
}

/** Lazily loads the ERP.net node class from nodes/ErpNet/ErpNet.node.ts. */
export async function loadErpNetNode(): Promise<AnyNodeType> {
	const modulePath = '../../../nodes/ErpNet/ErpNet.node';
	const mod = (await import(modulePath)) as Record<string, unknown>;
	const NodeClass = (mod.ErpNet ?? Object.values(mod).find((value) => typeof value === 'function')) as
		| (new () => AnyNodeType)
		| undefined;
	if (!NodeClass) throw new Error('nodes/ErpNet/ErpNet.node.ts exports no node class');
	return new NodeClass();
}
