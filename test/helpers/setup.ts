import nock from 'nock';

import { rateBudgets } from '../../nodes/Fansly/transport/budget';
import { forgetSharedSecrets } from '../../nodes/Fansly/transport/secrets';

// Every provider host is mocked; a request nobody mocked must never reach the network.
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});

afterEach(() => {
	nock.abortPendingRequests();
	nock.cleanAll();
	// The rate budget is per API key and per process: one test's window, pause or "0 left"
	// must not hold the next test's requests.
	rateBudgets.reset();
	// The key scrub's pattern is shared by the executions of a key while one holds it: each test
	// builds its own, so that it reaches (and a mutation run counts it for) the code building it.
	forgetSharedSecrets();
});

// nock is restored when the test file ends, also when jest runs none of its tests (then no
// hook above runs): the test environment (test/helpers/environment.js) calls this. (The rule
// guards the node's own code, which n8n Cloud runs; this is the test process's global, the
// environment's only handle.)
// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
(globalThis as { __restoreHttpMocks?: () => void }).__restoreHttpMocks = () => {
	if (nock.isActive()) nock.restore();
};
