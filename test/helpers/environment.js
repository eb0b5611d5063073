// jest's Node environment, plus two duties.
//
// 1. Whatever a test file patched into Node's http module (nock) is undone when the file ends,
//    even when jest ran none of its tests. jest runs no hook of a file whose tests are all
//    filtered out (`jest -t`, every mutant run of StrykerJS), but the file has still loaded
//    nock, which patches http on load. Node's core modules are shared by every test file of a
//    worker, so the next file's requests would reach that file's torn-down nock and fail
//    ("interceptorsFor is not a function"): under Stryker, a mutant "killed" by a test that
//    fails on any code.
// 2. Under StrykerJS only: once a test fails in a mutant's run, the mutant is killed, so the rest
//    of that run's tests are skipped (jest has no bail for one in-process run, and each mutant of
//    the transport is reached by nearly the whole suite: minutes per mutant without it).
//
// And one tool: `hostTimeZone(zone)` sets the time zone of the process the tests run in (the
// n8n host's zone, which `Date` reads), and gives back the one it replaced. A test's
// `process.env` is jest's copy, so setting TZ there changes nothing.
const { TestEnvironment } = require('jest-environment-node');

/** Set by StrykerJS for each mutant's run (@stryker-mutator/api INSTRUMENTER_CONSTANTS). */
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

/** The mutant whose run already has a failed test; shared by the test files of this process. */
let killedMutant;

class FanslyTestEnvironment extends TestEnvironment {
	constructor(config, context) {
		super(config, context);
		this.global.hostTimeZone = (zone) => {
			const replaced = process.env.TZ;
			if (zone === undefined) delete process.env.TZ;
			else process.env.TZ = zone;
			return replaced;
		};
	}

	async handleTestEvent(event) {
		const mutant = process.env[ACTIVE_MUTANT];
		if (mutant === undefined) return;
		if (event.name === 'test_start' && killedMutant === mutant) event.test.mode = 'skip';
		if (event.name === 'test_done' && event.test.errors.length > 0) killedMutant = mutant;
	}

	async teardown() {
		const restore = this.global.__restoreHttpMocks;
		if (typeof restore === 'function') restore();
		await super.teardown();
	}
}

module.exports = FanslyTestEnvironment;
