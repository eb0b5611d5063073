// jest's Node environment, plus one duty: whatever a test file patched into Node's http module
// (nock) is undone when the file ends, even when jest ran none of its tests. jest runs no hook
// of a file whose tests are all filtered out (`jest -t`, every mutant run of StrykerJS), but the
// file has still loaded nock, which patches http on load. Node's core modules are shared by
// every test file of a worker, so the next file's requests would reach that file's torn-down
// nock and fail ("interceptorsFor is not a function"): under Stryker, a mutant "killed" by a
// test that fails on any code.
const { TestEnvironment } = require('jest-environment-node');

class FanslyTestEnvironment extends TestEnvironment {
	async teardown() {
		const restore = this.global.__restoreHttpMocks;
		if (typeof restore === 'function') restore();
		await super.teardown();
	}
}

module.exports = FanslyTestEnvironment;
