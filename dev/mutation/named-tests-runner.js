// jest's own test runner, for StrykerJS runs (stryker.config.mjs): a mutant's run loads only the
// test files that hold one of the tests it names.
//
// Stryker runs each mutant's covering tests by name (`testNamePattern`), but jest still loads
// every test file that imports the mutated file, nearly all of them, to find those names: each
// file builds n8n's engine, so most of a mutant's time went to loading files whose tests were
// all skipped. The first (coverage) run has no name filter and runs every test; this runner then
// writes down which file holds which test, and every later run leaves out the files holding none
// of the names asked for. A file it has no record of is kept.
const fs = require('node:fs');
const TestRunner = require('jest-runner').default;

/** Where the coverage run writes the test names of each file (set by stryker.config.mjs). */
const RECORD = process.env.FANSLY_MUTATION_TEST_NAMES;

/** @type {Map<string, string[]> | undefined} test file path → full names of its tests */
let testsByFile;

function readRecord() {
	if (testsByFile === undefined && RECORD && fs.existsSync(RECORD)) {
		testsByFile = new Map(Object.entries(JSON.parse(fs.readFileSync(RECORD, 'utf8'))));
	}
	return testsByFile;
}

class NamedTestsRunner extends TestRunner {
	async runTests(tests, watcher, options) {
		const pattern = this._globalConfig.testNamePattern;
		if (!RECORD) return super.runTests(tests, watcher, options);
		if (!pattern) return this.#runAndRecord(tests, watcher, options);

		const record = readRecord();
		if (record === undefined) return super.runTests(tests, watcher, options);
		// The same test as jest's own filter: the full name, case-insensitive.
		const wanted = new RegExp(pattern, 'i');
		const holding = tests.filter((test) => {
			const names = record.get(test.path);
			return names === undefined || names.some((name) => wanted.test(name));
		});
		return super.runTests(holding.length > 0 ? holding : tests, watcher, options);
	}

	async #runAndRecord(tests, watcher, options) {
		const names = {};
		const stopListening = this.on('test-file-success', ([test, result]) => {
			names[test.path] = result.testResults.map((assertion) => assertion.fullName);
		});
		try {
			return await super.runTests(tests, watcher, options);
		} finally {
			stopListening();
			// Written only when every file reported: a partial record would leave files out.
			if (Object.keys(names).length === tests.length) fs.writeFileSync(RECORD, JSON.stringify(names));
		}
	}
}

module.exports = NamedTestsRunner;
