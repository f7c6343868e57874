/**
 * Slow suite (npm run test:slow, part of npm test): the 200,000-record read and the rate-limit run. Same setup as
 * the unit suites, with room for a large sandbox to start and for waiting out rate limits on a loaded machine.
 */
const path = require('node:path');

const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	rootDir: path.resolve(__dirname, '..', '..'),
	roots: ['<rootDir>/test/slow'],
	testPathIgnorePatterns: ['/node_modules/'],
	testTimeout: 10 * 60 * 1000,
	// One at a time: the rate-limit run must out-pace the limit, which a parallel 200,000-record read prevents.
	maxWorkers: 1,
};
