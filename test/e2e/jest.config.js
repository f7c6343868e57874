/**
 * End-to-end suite: real workflows in a real n8n (installed into a cache outside the repository by
 * scripts/n8n-runtime.ts) with the packed package installed as a community package, against the sandbox.
 * $N8N_ERPNET_RUNTIME picks the n8n: 2.41.1 (latest, default) or 1.123.81 (oldest supported).
 * `npm run test:e2e` runs every suite on the latest, then the credential, node-operation and example suites on
 * the oldest (runInBand: the suites share the machine's CPU with n8n processes).
 */
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

/** @type {import('jest').Config} */
module.exports = {
	rootDir: root,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	testPathIgnorePatterns: ['/node_modules/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json', diagnostics: { warnOnly: false } }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	// first-run runtime install happens in globalSetup; each test runs n8n CLI commands (~5-10 s each alone, far
	// longer on a loaded machine); a beforeAll runs two of them, each limited to 4 minutes (helpers/n8n.ts)
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
