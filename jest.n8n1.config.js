// The whole unit suite on the n8n 1.x engine (n8n-core 1.122.x, n8n-workflow 1.120.x):
// `npm run test:n8n1` (dev/n8n1/run.mjs installs the engine into .cache/n8n1-engine from
// dev/n8n1/package-lock.json, then runs jest with this config). Same tests and setup as
// jest.config.js; only module resolution differs (see dev/n8n1/jest-resolver.js).
const path = require('node:path');

const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
	...base,
	resolver: path.join(__dirname, 'dev', 'n8n1', 'jest-resolver.js'),
	// Fails every test file unless the 1.x engine is the one loaded, and records what was.
	setupFiles: [path.join(__dirname, 'dev', 'n8n1', 'check-engine.js')],
	// A separate cache: resolutions must not be shared with the 2.x runs.
	cacheDirectory: path.join(__dirname, '.cache', 'jest-n8n1'),
};
