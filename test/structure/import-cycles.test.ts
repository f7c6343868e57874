/**
 * No import circles in the shipped code or the sandbox: a file's imports (type-only ones included, since they tie the
 * files together for a reader just as much) never lead back to it. The graph is built with the TypeScript compiler API
 * from the same module resolution `tsc` uses.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['sandbox/src', 'core', 'nodes', 'credentials'];

const compilerOptions: ts.CompilerOptions = {
	module: ts.ModuleKind.CommonJS,
	moduleResolution: ts.ModuleResolutionKind.Node10,
	resolveJsonModule: true,
	esModuleInterop: true,
};

function sourceFiles(folder: string): string[] {
	const files: string[] = [];
	for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) files.push(...sourceFiles(full));
		else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
	}
	return files;
}

/** Every module a file imports or re-exports (static `import`/`export ... from`, `import()`, `require()`). */
function importedFiles(file: string, known: Set<string>): string[] {
	const { importedFiles: imports } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
	const targets = new Set<string>();
	for (const imported of imports) {
		const resolved = ts.resolveModuleName(imported.fileName, file, compilerOptions, ts.sys).resolvedModule;
		const target = resolved && path.resolve(resolved.resolvedFileName);
		if (target && known.has(target)) targets.add(target);
	}
	return [...targets];
}

export function importGraph(folders: string[]): Map<string, string[]> {
	const files = folders.flatMap((folder) => sourceFiles(path.join(ROOT, folder))).map((file) => path.resolve(file));
	const known = new Set(files);
	return new Map(files.map((file) => [file, importedFiles(file, known)]));
}

/** Tarjan's strongly connected components with more than one file, or one file importing itself. */
export function importCycles(graph: Map<string, string[]>): string[][] {
	const index = new Map<string, number>();
	const lowLink = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const cycles: string[][] = [];
	let counter = 0;
	const visit = (file: string): void => {
		index.set(file, counter);
		lowLink.set(file, counter++);
		stack.push(file);
		onStack.add(file);
		for (const next of graph.get(file) ?? []) {
			if (!index.has(next)) {
				visit(next);
				lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(next)!));
			} else if (onStack.has(next)) lowLink.set(file, Math.min(lowLink.get(file)!, index.get(next)!));
		}
		if (lowLink.get(file) !== index.get(file)) return;
		const component: string[] = [];
		let member: string;
		do {
			member = stack.pop()!;
			onStack.delete(member);
			component.push(member);
		} while (member !== file);
		if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component.sort());
	};
	for (const file of graph.keys()) if (!index.has(file)) visit(file);
	return cycles;
}

/** One circle through the first file of a component, shortest first: `a -> b -> a`. */
export function circleThrough(graph: Map<string, string[]>, component: string[]): string[] {
	const members = new Set(component);
	const start = component[0];
	const previous = new Map<string, string>();
	const queue = [start];
	while (queue.length > 0) {
		const file = queue.shift()!;
		for (const next of graph.get(file) ?? []) {
			if (next === start) {
				const circle = [start];
				for (let step: string | undefined = file; step !== undefined && step !== start; step = previous.get(step))
					circle.splice(1, 0, step);
				return [...circle, start];
			}
			if (members.has(next) && !previous.has(next)) {
				previous.set(next, file);
				queue.push(next);
			}
		}
	}
	return [start, start];
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

describe('import graph', () => {
	const graph = importGraph(FOLDERS);

	it('reads the files of every folder and the imports between them', () => {
		for (const folder of FOLDERS)
			expect([...graph.keys()].some((file) => relative(file).startsWith(folder))).toBe(true);
		const edges = [...graph.values()].reduce((sum, targets) => sum + targets.length, 0);
		expect(edges).toBeGreaterThan(graph.size);
	});

	it('finds a circle when there is one', () => {
		const circle = new Map([
			['a', ['b']],
			['b', ['c']],
			['c', ['a']],
			['d', ['a']],
			['e', ['e']],
		]);
		expect(importCycles(circle)).toEqual([['a', 'b', 'c'], ['e']]);
		expect(circleThrough(circle, ['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'a']);
		expect(circleThrough(circle, ['e'])).toEqual(['e', 'e']);
	});

	it.each(FOLDERS)('has no import circle in %s', (folder) => {
		const circles = importCycles(graph)
			.filter((component) => component.some((file) => relative(file).startsWith(`${folder}/`)))
			.map((component) => {
				const circle = circleThrough(graph, component).map(relative).join(' -> ');
				return `${circle} (${component.length} files import each other: ${component.map(relative).join(', ')})`;
			});
		expect(circles).toEqual([]);
	});
});
