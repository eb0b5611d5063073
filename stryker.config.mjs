// Mutation testing of the high-stakes files: `npm run mutate` (MUTATION.md records each score
// with its date and commit). Slow on two cores: narrow a run with `npm run mutate -- --mutate
// <file>`, and lower `--concurrency` on a shared machine. Not part of .ci/run.

import os from 'node:os';
import path from 'node:path';

// Where the first (coverage) run writes which test file holds which test, for
// dev/mutation/named-tests-runner.js; one per Stryker run (its test runners inherit it).
process.env.FANSLY_MUTATION_TEST_NAMES ??= path.join(os.tmpdir(), `n8n-nodes-fansly-stryker-tests-${process.pid}.json`);

// A quicker run, a lower bound: `FANSLY_MUTATION_TEST_FILES=budget,concurrency npm run mutate -- ...`
// runs only those test files (test/<name>.test.ts). A mutant they miss counts as survived though
// another file may catch it, so the score can only be higher with every file; check each
// survivor against the whole suite. For files that every test reaches (the transport), where a
// survivor would run the whole suite and a time-out costs minutes. Its own incremental file.
const onlyTestFiles = process.env.FANSLY_MUTATION_TEST_FILES?.split(',')
	.map((name) => name.trim())
	.filter((name) => name !== '');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	packageManager: 'npm',
	testRunner: 'jest',
	jest: {
		projectType: 'custom',
		configFile: 'jest.config.js',
		config: {
			// The source too, so that jest finds the tests related to a mutated file.
			roots: ['<rootDir>/test', '<rootDir>/nodes', '<rootDir>/credentials'],
			// The package tests read dist/, which the sandbox does not build; they cover no source.
			testPathIgnorePatterns: ['/node_modules/', '/test/package\\.test\\.ts$', '/test/publish\\.test\\.ts$'],
			// The quickest test files first: a mutant's run ends at its first failing test.
			testSequencer: path.resolve('dev/mutation/fast-first-sequencer.js'),
			// Only the test files that hold a test the mutant's run names are loaded.
			runner: path.resolve('dev/mutation/named-tests-runner.js'),
			...(onlyTestFiles?.length ? { testMatch: onlyTestFiles.map((name) => `<rootDir>/test/${name}.test.ts`) } : {}),
		},
		enableFindRelatedTests: true,
	},
	// Mutants that do not compile count as compile errors, not as killed.
	checkers: ['typescript'],
	tsconfigFile: 'tsconfig.json',
	// Not copied into the sandbox: installed n8n runtimes (gigabytes), builds, tool installs.
	ignorePatterns: ['/.cache', '/.tools', '/dist', '/.n8n-test', '/coverage', '*.tgz'],
	mutate: [
		'nodes/Fansly/transport/**/*.ts',
		'nodes/Fansly/actions/linkDirectory.ts',
		'nodes/Fansly/actions/deletions.ts',
		'nodes/Fansly/actions/router.ts',
		'nodes/Fansly/trigger/**/*.ts',
	],
	// Each mutant runs only the tests that reach it.
	coverageAnalysis: 'perTest',
	// Module-level constants (tables, patterns) would need the whole suite per mutant: they are
	// reported as ignored, and MUTATION.md counts them.
	ignoreStatic: true,
	concurrency: 2,
	timeoutMS: 10_000,
	// The first run is the whole suite in one process, instrumented: minutes on two cores.
	dryRunTimeoutMinutes: 40,
	// Reruns test only what changed since the last run on this machine (the file is git-ignored:
	// see MUTATION.md).
	incremental: true,
	incrementalFile: onlyTestFiles?.length ? 'reports/stryker-incremental-subset.json' : 'reports/stryker-incremental.json',
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: 'reports/mutation/mutation.html' },
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	thresholds: { high: 90, low: 80, break: null },
	// Outside the project, so that eslint and jest never read the sandboxes of a run under way.
	tempDirName: path.join(os.tmpdir(), 'n8n-nodes-fansly-stryker'),
	cleanTempDir: 'always',
};
