import nock from 'nock';

import { rateBudgets } from '../../nodes/Fansly/transport/budget';

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
});

afterAll(() => {
	nock.restore();
});
