import nock from 'nock';

// Every provider host is mocked; a request nobody mocked must never reach the network.
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});

afterEach(() => {
	nock.abortPendingRequests();
	nock.cleanAll();
});

afterAll(() => {
	nock.restore();
});
