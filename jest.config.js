/** Unit and integration suites (npm run test:unit); test/slow/ and test/e2e/ have their own configs. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/slow/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json', diagnostics: { warnOnly: false } }],
	},
	testTimeout: 60000,
	setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
	setupFilesAfterEnv: ['<rootDir>/test/helpers/session-reset.ts'],
};
