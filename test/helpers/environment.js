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
// 3. Each mocked request's socket is let go once it is done. nock 15.0.0 answers through
//    @mswjs/interceptors 0.39, whose mock socket makes two HTTP parsers of Node's own and only
//    `free()`s them: a parser is held by Node until `close()`d, and its callbacks are bound to
//    the socket, so every mocked request (socket, request, response, about 50 kB) stayed in
//    memory until the process ended. A file of 10 000 executions kept 500 MB, and the suite,
//    in one process on two cores, could run out of heap (mswjs/interceptors#757 and #779 fix
//    it upstream, in versions nock 15.0.0 cannot use on Node 20). The interceptor builds its
//    parsers from `require('_http_common').HTTPParser`, read at each socket; Node's own client
//    takes its parsers from a pool made from its own binding, so only the mocks get the parser
//    below, which drops its callbacks when freed, as the upstream fix does, and is closed when
//    the test file ends (each also holds an object of the file's context, and so the context).
//
// And one tool: `hostTimeZone(zone)` sets the time zone of the process the tests run in (the
// n8n host's zone, which `Date` reads), and gives back the one it replaced. A test's
// `process.env` is jest's copy, so setting TZ there changes nothing.
const { TestEnvironment } = require('jest-environment-node');
const httpCommon = require('node:_http_common');

/** Set by StrykerJS for each mutant's run (@stryker-mutator/api INSTRUMENTER_CONSTANTS). */
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

/** The mutant whose run already has a failed test; shared by the test files of this process. */
let killedMutant;

/**
 * Node's parser, whose callbacks the mock socket binds to itself, forgetting them once freed;
 * `closeAll` closes every parser made since it last ran (at the end of each test file), since
 * each holds the object its maker gave as its resource, and with it the test file's context.
 */
function releasingParser(Parser) {
	const callbacks = ['kOnHeaders', 'kOnHeadersComplete', 'kOnBody', 'kOnMessageComplete', 'kOnExecute', 'kOnTimeout']
		.map((name) => Parser[name])
		.filter((slot) => slot !== undefined);
	const made = new Set();
	const release = (parser) => {
		for (const slot of callbacks) parser[slot] = null;
	};
	class ReleasingParser extends Parser {
		constructor(...args) {
			super(...args);
			made.add(this);
		}

		free() {
			release(this);
			return super.free();
		}
	}
	ReleasingParser.closeAll = () => {
		for (const parser of made) {
			release(parser);
			parser.close();
		}
		made.clear();
	};
	return ReleasingParser;
}

if (httpCommon.HTTPParser.closeAll === undefined) httpCommon.HTTPParser = releasingParser(httpCommon.HTTPParser);

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
		httpCommon.HTTPParser.closeAll();
		await super.teardown();
	}
}

module.exports = FanslyTestEnvironment;
