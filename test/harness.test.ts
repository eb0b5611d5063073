/* eslint-disable @n8n/community-nodes/no-restricted-imports --
 * Test code, never published: Node's own view of the requests n8n's client sends, and its collector. */
/**
 * The test harness itself (test/helpers/environment.js): what the suite relies on to run in one
 * process, file after file, on a machine of two cores.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { setImmediate as jobEnded } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import nock from 'nock';

import { runFansly } from './helpers/engine';
import { updateParameters } from './fixtures/parameters';
import { APIFANSLY_HOST, apiFanslyUpdated, credentials } from './fixtures/responses';

describe('mocked requests', () => {
	it('once answered, a request, its socket and its answer are let go (20 updates through the engine)', async () => {
		// Jest runs without --expose-gc: the flag can be set at run time, and the collector is
		// then reached through a fresh context.
		setFlagsFromString('--expose-gc');
		const collect = runInNewContext('gc') as () => void;
		const RUNS = 20;
		const kept: Array<WeakRef<object>> = [];
		// Node announces each request its http client starts, with the request.
		const started = ({ request }: { request: ClientRequest }) => {
			kept.push(new WeakRef(request));
			request.once('response', (answer: IncomingMessage) => kept.push(new WeakRef(answer), new WeakRef(answer.socket)));
		};
		subscribe('http.client.request.start', started as (message: unknown) => void);
		nock(APIFANSLY_HOST)
			.put('/api/fansly/acc/tracking-links')
			.times(RUNS)
			.reply(200, apiFanslyUpdated({ id: 'l', label: 'x' }));
		for (let run = 0; run < RUNS; run++) {
			const result = await runFansly({
				parameters: updateParameters('apiFanslyApi', { account: 'acc' }),
				items: [{ link: 'l', label: 'x' }],
				credentials: credentials.apiFanslyApi,
			});
			expect(result.items).toHaveLength(1);
		}
		unsubscribe('http.client.request.start', started as (message: unknown) => void);
		expect(kept).toHaveLength(3 * RUNS);
		nock.cleanAll();
		// A weakly held object lives at least until the current job ends, and the Fetch API
		// `Request` the interceptor makes of each holds it until a finalizer has run: collect,
		// let the finalizers run, collect again.
		for (let round = 0; round < 3; round++) {
			await jobEnded();
			collect();
		}
		expect(kept.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
	});
});
