import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository root: shipped code sits in core/, nodes/ and credentials/ below it. */
const ROOT = resolve(__dirname, '../..');

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g;

export interface SourceImport {
	/** The importing file, relative to the repository root. */
	file: string;
	/** The imported module, relative to the repository root (e.g. `core/transport`). */
	module: string;
	/** Names as exported (an `x as y` import counts as `x`). */
	values: string[];
	types: string[];
}

function sourceFiles(folder: string): string[] {
	return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** The named imports of the TypeScript files below the given folders that import another file of the tree. */
export function sourceImports(...folders: string[]): SourceImport[] {
	return folders.flatMap(sourceFiles).flatMap((file) =>
		[...readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)]
			.filter(([, , , specifier]) => specifier.startsWith('.'))
			.map(([, typeOnly, list, specifier]) => {
				const names = list
					.split(',')
					.map((name) => name.trim())
					.filter((name) => name !== '');
				const exported = (name: string) => name.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
				const isType = (name: string) => typeOnly !== undefined || name.startsWith('type ');
				return {
					file,
					module: relative(ROOT, resolve(ROOT, dirname(file), specifier)),
					values: names.filter((name) => !isType(name)).map(exported),
					types: names.filter(isType).map(exported),
				};
			}),
	);
}

/** How nodes, credentials and core use the front door `<folder>/index.ts` (e.g. `core/transport`). */
export interface FrontDoorUse {
	/** Values nodes/ and credentials/ import from the front door. */
	wanted: string[];
	/** Of those, the ones the front door does not export. */
	missing: string[];
	/** Imports of nodes/ and credentials/ that pass it by (`core/transport/request`). */
	deepImports: string[];
	/** Files inside core/ that import it (they must import the module they need directly). */
	coreImports: string[];
}

export function frontDoorUse(folder: string, frontDoor: object): FrontDoorUse {
	const shipped = sourceImports('core', 'nodes', 'credentials');
	const ofNodes = shipped.filter(({ file }) => !file.startsWith('core/'));
	const wanted = [...new Set(ofNodes.filter(({ module }) => module === folder).flatMap(({ values }) => values))];
	return {
		wanted,
		missing: wanted.filter((name) => !(name in frontDoor)),
		deepImports: ofNodes
			.filter(({ module }) => module.startsWith(`${folder}/`))
			.map(({ file, module }) => `${file} -> ${module}`),
		coreImports: shipped
			.filter(({ file, module }) => file.startsWith('core/') && module === folder)
			.map(({ file }) => file),
	};
}
