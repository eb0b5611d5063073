const path = require('node:path');

// n8n-core writes its settings under N8N_USER_FOLDER: keep them inside the project.
process.env.N8N_USER_FOLDER = path.join(__dirname, '.n8n-test');
process.env.N8N_LOG_LEVEL = 'silent';

/** @type {import('jest').Config} */
module.exports = {
	// Node's, undoing each file's http mocks at its end (see the file).
	testEnvironment: path.join(__dirname, 'test', 'helpers', 'environment.js'),
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
	testTimeout: 20000,
	// Each test file loads n8n-core anew, so a worker's heap passes 1 GB after a few files, and
	// collecting it costs CPU inside the measurements of hostileBodies.test.ts (a step of 20 ms
	// measured at 100-150 ms). A worker left above this after a file is replaced by a fresh one.
	// Not under Stryker (stryker.config.mjs sets FANSLY_MUTATION_TEST_NAMES), which reads coverage
	// in its own process: with this, jest would run the tests in workers.
	...(process.env.FANSLY_MUTATION_TEST_NAMES === undefined ? { workerIdleMemoryLimit: '512MB' } : {}),
};
