// The order of the test files in a StrykerJS run (stryker.config.mjs): the quickest first.
// A mutant's run stops at its first failing test (test/helpers/environment.js), and most
// mutants are killed by the quick tests of operations, bad input and updates; jest's own order
// (the slowest first) would make every mutant of the transport wait for the budget's real-time
// tests before reaching them.
const Sequencer = require('@jest/test-sequencer').default;

class FastFirstSequencer extends Sequencer {
	sort(tests) {
		return [...super.sort(tests)].reverse();
	}
}

module.exports = FastFirstSequencer;
