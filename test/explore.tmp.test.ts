import nock from 'nock';
import { runFansly } from './helpers/engine';

const creds = { fansApiApi: { apiKey: 'fake-key-fansapi-456' } };
it('explore', async () => {
	const seen: string[] = [];
	nock.emitter.on('no match', (req: Request) => seen.push('NOMATCH ' + req.method + ' ' + req.url));
	nock('https://api.fansapi.com')
		.get(/.*/)
		.times(10)
		.reply((req) => {
			seen.push(req.method + ' ' + req.url + ' ' + JSON.stringify(Object.fromEntries(req.headers)));
			return [200, { data: [] }];
		});
	const r = await runFansly({
		parameters: {
			authentication: 'fansApiApi',
			resource: 'trackingLink',
			operation: 'getStats',
			account: { __rl: true, mode: 'id', value: 'acc a/b?c#d' },
			trackingLink: { __rl: true, mode: 'id', value: '1 2' },
			range: { after: '2026-01-01', before: '2026-01-31T10:00:00+02:00' },
		},
		credentials: creds,
	});
	seen.push(JSON.stringify(r.items), String(r.error?.message));
	const r2 = await runFansly({
		parameters: {
			authentication: 'fansApiApi',
			resource: 'trackingLink',
			operation: 'getAll',
			account: { __rl: true, mode: 'id', value: 'acc' },
			options: { retryDelay: 1 },
		},
		credentials: creds,
	});
	seen.push(JSON.stringify(r2.items), String(r2.error?.message));
	expect(seen).toEqual([]);
});
