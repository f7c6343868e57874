import js from '@eslint/js';
import { config as n8nCommunityNodeConfig } from '@n8n/node-cli/eslint';
import tseslint from 'typescript-eslint';

/** Code that never ships in the package: the sandbox, tests, scripts and benchmarks. */
const TOOLING = ['sandbox/**', 'scripts/**', 'test/**', 'bench/**', 'examples/**'];

/** n8n's official community-node rules (incl. the n8n Cloud rules) on what ships: nodes, credentials, package.json. */
const packageRules = n8nCommunityNodeConfig.map((entry) =>
	entry.files?.includes('**/*.ts') ? { ...entry, ignores: [...(entry.ignores ?? []), ...TOOLING] } : entry,
);

/** Plain TypeScript rules for the tooling, where Node APIs (process, timers, fs) are fine. */
const toolingRules = tseslint.config({
	files: TOOLING.map((pattern) => `${pattern}/*.ts`),
	extends: [js.configs.recommended, ...tseslint.configs.recommended],
	rules: {
		'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
	},
});

export default [{ ignores: ['dist/**', 'docs/**', 'node_modules/**'] }, ...packageRules, ...toolingRules];
