const path = require('node:path');

// n8n-core writes its settings under N8N_USER_FOLDER: keep them inside the project.
process.env.N8N_USER_FOLDER = path.join(__dirname, '.n8n-test');
process.env.N8N_LOG_LEVEL = 'silent';

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFilesAfterEnv: ['<rootDir>/test/helpers/setup.ts'],
	testTimeout: 20000,
};
