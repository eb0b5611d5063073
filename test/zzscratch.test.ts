import nock from 'nock';
import { runFansly } from './helpers/engine';
import { Traffic, apiFanslyCase as p, rawLink, scriptPut, updateParameters, fastRetry } from './fixtures/faults';

test('fake timers', async () => {
	const traffic = new Traffic();
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
	try {
		scriptPut(traffic, p, 'acc', 'L1', [
			{ status: 429, body: p.errorBody(429, 'x'), headers: { 'X-RateLimit-Retry-After': '0.5', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Limit': '600' } },
			{ status: 200, body: p.ok(rawLink(p, 'L1', 'acc', { label: 'R' })) },
		]);
		const t0 = Date.now();
		const real0 = performance.now();
		let done = false;
		const run = runFansly({ parameters: updateParameters(p, { account: 'acc', trackingLink: 'L1', updateFields: { label: 'R' }, options: fastRetry({ maxRetryWait: 2000 }) }), credentials: p.credentials }).finally(() => { done = true; });
		let loops = 0;
		while (!done && Date.now() - t0 < 120_000) { await jest.advanceTimersByTimeAsync(50); loops++; }
		const r = await run;
		process.stdout.write(`virtual ${Date.now() - t0} real ${performance.now() - real0} loops ${loops} err ${r.error?.message} n=${traffic.seen.length}\n`);
	} finally { jest.useRealTimers(); traffic.stop(); nock.cleanAll(); }
});
