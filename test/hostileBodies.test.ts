/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
 * Test code, never published: local servers stand in for a provider whose answer never ends,
 * and process.cpuUsage() measures the CPU each step takes. */
/**
 * A hostile or broken answer cannot stall n8n. Bodies of up to 1 MB built to be slow to read
 * (nested and unclosed tags, comment openers, long runs of `<`, `&`, spaces, backslashes):
 *  - each step that reads an answer (reading the body, parsing it, the snippet, the key scrub)
 *    handles each of them in well under 100 ms of CPU, and linearly: 1 MB costs at most about
 *    ten times 100 kB (the old markup stripping took 11 s for 160 kB), and at most a few times
 *    what 1 MB of ordinary text costs (the key scrub once took 50 ms for 1 MB of backslashes,
 *    trying every escape form of the key at each of them, 25 times ordinary text: too close to
 *    the ceiling on a busy machine);
 *  - through n8n's real engine, as error and as 2xx answers, a whole run stays far from a
 *    stall (under a second of CPU, where the old code took seconds for 100 kB), and 1 MB costs
 *    about what 100 kB costs;
 *  - a body that never ends is read only as far as needed, and the connection is closed.
 *
 * CPU is measured with process.cpuUsage() (this process's CPU time, not wall time, so a busy
 * machine does not inflate it much), as the least of three runs. The ceilings are far above
 * what is measured here (steps: 1-15 ms; a whole engine run, with nock and n8n's HTTP stack:
 * 5-40 ms alone, a few hundred in a busy jest worker): they catch a quadratic step (seconds),
 * not a slow or busy machine. Under a mutation run (npm run mutate: instrumented code, every
 * test file in one process) they are ten times higher, still far below a quadratic step.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeParameters } from 'n8n-workflow';

import { runFansly } from './helpers/engine';
import { checkId, checkWholeNumber } from '../nodes/Fansly/helpers/input';
import { ERROR_BODY_LIMIT, parseAnswer, parseBody, readBody, snippet, SUCCESS_BODY_LIMIT } from '../nodes/Fansly/transport/body';
import { Secrets } from '../nodes/Fansly/transport/secrets';

const HOST = 'https://api.fansapi.com';
const ACCOUNT = 'acct_1';
const LINK = '845759434926862336';
const KEY = 'hostile-bodies-key/+=&';

const KB = 1024;

/**
 * A whole engine run (n8n-core, nock, the HTTP stack, the node): 5-40 ms alone, but up to a few
 * hundred in a jest worker that earlier test files left with a large heap to collect. The old
 * markup stripping took 5 s for 100 kB.
 */
const ENGINE_RUN_CEILING_MS = 1000;

const UNDER_STRYKER = process.env.STRYKER_MUTATOR_WORKER !== undefined;

/** How much more CPU a step may take under Stryker, which runs instrumented code. */
const SLACK = UNDER_STRYKER ? 10 : 1;

/**
 * How far above ordinary text of the same size a hostile body may go. Instrumented code counts
 * every statement it runs, so under Stryker a body read character by character (`<<<<…`) is far
 * slower than ordinary text, which goes through native regular expressions: 205 ms against 3 ms
 * for 1 MB in a Stryker run's first (coverage) run. The ceiling of 100 ms × SLACK still catches a
 * quadratic step there (seconds for 100 kB).
 */
const OVER_ORDINARY_MS = UNDER_STRYKER ? 500 : 10;

/** Bodies that made the old markup stripping quadratic, and others of the same kind. */
const HOSTILE: Record<string, (size: number) => string> = {
	'unclosed tags (<a<a<a…)': (size) => '<a'.repeat(size / 2),
	'nested tags': (size) => '<div><span>'.repeat(size / 22) + 'x' + '</span></div>'.repeat(size / 22),
	'comment openers (<!--<!--…)': (size) => '<!--'.repeat(size / 4),
	'a run of <': (size) => '<'.repeat(size),
	'a run of &': (size) => '&'.repeat(size),
	'character references never closed (&#0000…)': (size) => '&#0000'.repeat(size / 6),
	'whitespace': (size) => `<p>${' \t\n'.repeat(size / 3)}</p>`,
	'unclosed scripts': (size) => '<script>'.repeat(size / 8),
	'a run of backslashes': (size) => '\\'.repeat(size),
	'a run of %25': (size) => '%25'.repeat(size / 3),
	// Percent-encoded backslashes start a percent-encoded escape of a key's character.
	'a run of %5C': (size) => '%5C'.repeat(size / 3),
	'a run of %26amp%3B': (size) => '%26amp%3B'.repeat(size / 9),
};

function cpuMs(fn: () => void): number {
	const start = process.cpuUsage();
	fn();
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

async function cpuMsAsync(fn: () => Promise<void>): Promise<number> {
	const start = process.cpuUsage();
	await fn();
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

function parameters(operation: 'update' | 'getAll'): INodeParameters {
	const common = { authentication: 'fansApiApi', resource: 'trackingLink', operation, account: { __rl: true, mode: 'id', value: ACCOUNT } };
	return (
		operation === 'update'
			? { ...common, trackingLink: { __rl: true, mode: 'id', value: LINK }, updateFields: { label: 'L' }, options: { retry: false } }
			: { ...common, returnAll: true, options: { retry: false } }
	) as INodeParameters;
}

const credentials = (extra: IDataObject = {}) => ({ fansApiApi: { apiKey: KEY, ...extra } });

/** One update answered with `status` and `body`; the least CPU of three runs. */
async function leastCpuOfUpdate(status: number, body: string): Promise<{ ms: number; error: string }> {
	let least = Infinity;
	let error = '';
	for (let run = 0; run < 3; run++) {
		nock(HOST).put(`/api/fansly/${ACCOUNT}/tracking-links/${LINK}`).reply(status, body, { 'content-type': 'text/html' });
		const ms = await cpuMsAsync(async () => {
			const result = await runFansly({ parameters: parameters('update'), credentials: credentials(), continueOnFail: true });
			error = String(result.items[0]?.json.error);
		});
		least = Math.min(least, ms);
	}
	return { ms: least, error };
}

describe('hostile bodies through the engine: a run costs far from a stall, 1 MB about as much as 100 kB', () => {
	beforeAll(async () => {
		// The first run of a test file pays for loading and compiling the engine's code.
		await leastCpuOfUpdate(500, 'warm-up');
	});

	describe.each([
		['an error body (HTTP 500)', 500, /^Fans API returned HTTP 500 for tracking link/],
		['a 2xx body that is not JSON', 200, /^Unexpected response from Fans API .*: the body is not JSON/],
	] as const)('%s', (_title, status, says) => {
		test.each(Object.keys(HOSTILE))('%s', async (name) => {
			const small = await leastCpuOfUpdate(status, HOSTILE[name](100 * KB));
			expect(small.error).toMatch(says);
			expect(small.ms).toBeLessThan(ENGINE_RUN_CEILING_MS * SLACK);
			const large = await leastCpuOfUpdate(status, HOSTILE[name](1024 * KB));
			expect(large.error).toMatch(says);
			expect(large.ms).toBeLessThan(ENGINE_RUN_CEILING_MS * SLACK);
			// Ten times the body is not ten times the CPU.
			expect(large.ms).toBeLessThan(3 * small.ms + 300 * SLACK);
		});
	});
});

describe('the steps that read an answer, each well under 100 ms of CPU and linear', () => {
	const secrets = new Secrets([KEY]);
	/** What the transport does with an error answer's body. */
	const readErrorAnswer = async (text: string) => {
		const parsed = parseAnswer(await readBody(text, ERROR_BODY_LIMIT + secrets.longestForm), secrets);
		return parsed.ok ? parsed.value : snippet(parsed.text, secrets);
	};
	const STEPS: Record<string, (text: string) => unknown> = {
		'the key scrub': (text) => secrets.text(text),
		'parsing (a 2xx body is parsed whole)': (text) => parseBody(text, secrets),
		'the snippet': (text) => snippet(text, secrets),
	};

	/** 1 MB of text as an error page holds it: words and spaces. */
	const ORDINARY = 'Service unavailable, please retry later. '.repeat((1024 * KB) / 41);

	test.each(Object.keys(HOSTILE))('%s', async (name) => {
		const small = HOSTILE[name](100 * KB);
		const large = HOSTILE[name](1024 * KB);
		const least = (text: string, step: (t: string) => unknown) => Math.min(...[0, 1, 2].map(() => cpuMs(() => step(text))));
		for (const step of Object.values(STEPS)) {
			const smallMs = least(small, step);
			const largeMs = least(large, step);
			const ordinaryMs = least(ORDINARY, step);
			expect(largeMs).toBeLessThan(100 * SLACK);
			expect(largeMs).toBeLessThan(15 * smallMs + 20 * SLACK);
			expect(largeMs).toBeLessThan(8 * ordinaryMs + OVER_ORDINARY_MS);
		}
		let readMs = Infinity;
		for (let run = 0; run < 3; run++) readMs = Math.min(readMs, await cpuMsAsync(async () => void (await readErrorAnswer(large))));
		expect(readMs).toBeLessThan(100 * SLACK);
	});
});

/**
 * Values from the input that are almost what a check looks for: long IDs that are almost a number
 * as a spreadsheet writes it, a run of spaces before an invisible character, digits before a
 * letter in a number option or the Limit. A rule that tries every split of them took seconds
 * to minutes; jest's time-out cannot stop such a synchronous step. Read by the checks
 * themselves: a request path of 100 000 characters never reaches the mocked host (nock stops
 * reading a request line past about 16 kB).
 */
describe('hostile input: each check of a value from the input well under 100 ms of CPU', () => {
	const node = { id: 'fansly', name: 'Fansly', type: 'n8n-nodes-fansly.fansly', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const ctx = { getNode: () => node } as unknown as IExecuteFunctions;
	const least = (step: () => unknown) => Math.min(...[0, 1, 2].map(() => cpuMs(() => void step())));

	test.each<[string, string]>([
		['digits, then a letter', `${'8'.repeat(99_999)}x`],
		['digit groups, then a letter', `1${',000'.repeat(24_999)}00x`],
		['digit groups and decimals, then a letter', `1${',000'.repeat(24_997)}.000000x`],
		['Indian digit groups, then a letter', `1${',23'.repeat(33_332)}x`],
		['numbers in the scientific form, one after the other', '1e1'.repeat(33_333)],
		['dots between single digits', `${'1.'.repeat(49_999)}1x`],
		['a run of spaces inside', `x${' '.repeat(99_998)}y`],
	])('an ID of %s, copied with a direction mark (U+200E) after it: read as the ID it is, without the mark', (_title, id) => {
		expect(checkId(ctx, `${id}\u200e`, 'Tracking Link', 0)).toBe(id);
		expect(least(() => checkId(ctx, `${id}\u200e`, 'Tracking Link', 0))).toBeLessThan(100 * SLACK);
	});

	test('a Limit of 100 000 digits and a letter: refused', () => {
		const limit = `${'1'.repeat(100_000)}x`;
		expect(() => checkWholeNumber(ctx, limit, 'Limit', 0, 1)).toThrow(/^Limit must be a whole number of at least 1/);
		expect(least(() => expect(() => checkWholeNumber(ctx, limit, 'Limit', 0, 1)).toThrow())).toBeLessThan(100 * SLACK);
	});

	test('a Timeout (Ms) of 100 000 digits and a letter, through the engine: refused, far from a stall', async () => {
		const timeout = `${'1'.repeat(100_000)}x`;
		let error = '';
		const ms = await cpuMsAsync(async () => {
			const result = await runFansly({ parameters: { ...parameters('update'), options: { timeout } } as INodeParameters, credentials: credentials() });
			error = String(result.error?.message);
		});
		expect(error).toBe('Option "Timeout (Ms)" must be a number from 1 to 2147483647 (item 0)');
		expect(ms).toBeLessThan(ENGINE_RUN_CEILING_MS * SLACK);
	});
});

describe('bounded reads', () => {
	let server: http.Server;
	let base: string;
	/** Bytes written to the connection before the node closed it. */
	let written = 0;
	let closed: Promise<void>;

	beforeAll(() => nock.enableNetConnect('127.0.0.1'));
	afterAll(() => nock.disableNetConnect());

	/** A provider whose answer never ends: 64 kB chunks until the node hangs up. */
	async function endless(status: number, chunk: string): Promise<void> {
		written = 0;
		let hungUp: () => void = () => {};
		closed = new Promise((resolve) => (hungUp = resolve));
		server = http.createServer((req, res) => {
			res.writeHead(status, { 'content-type': 'text/html' });
			const pump = () => {
				while (!res.destroyed && written < 512 * 1024 * 1024) {
					written += chunk.length;
					if (!res.write(chunk)) return void res.once('drain', pump);
				}
			};
			res.on('close', hungUp);
			pump();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	}

	afterEach(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	test('an error body that never ends: its start is read and shown, then the connection is closed', async () => {
		await endless(500, `<p>${'x'.repeat(64 * KB - 7)}</p>`);
		const result = await runFansly({
			parameters: parameters('update'),
			credentials: credentials({ baseUrl: 'custom', customBaseUrl: base }),
			continueOnFail: true,
		});
		await closed;
		expect(result.items[0].json).toMatchObject({ httpCode: 500, providerMessage: `${'x'.repeat(300)}…` });
		// What was read is the limit and a little more; what was written before the close is
		// what the sockets buffer on the way, far from the 512 MB the provider would send.
		expect(written).toBeLessThan(ERROR_BODY_LIMIT + 16 * 1024 * KB);
	});

	// 300, the first status past the successful ones, is read as little as any error.
	test('a redirect body that never ends (300): only its start is read, then the connection is closed', async () => {
		await endless(300, ' '.repeat(64 * KB));
		const result = await runFansly({
			parameters: parameters('update'),
			credentials: credentials({ baseUrl: 'custom', customBaseUrl: base }),
			continueOnFail: true,
		});
		await closed;
		expect(result.items[0].json).toMatchObject({ httpCode: 300 });
		expect(written).toBeLessThan(ERROR_BODY_LIMIT + 16 * 1024 * KB);
	});

	test(`a successful answer larger than ${SUCCESS_BODY_LIMIT / 1024 / KB} MiB fails clearly, and is not read further`, async () => {
		await endless(200, ' '.repeat(1024 * KB));
		const result = await runFansly({
			parameters: parameters('getAll'),
			credentials: credentials({ baseUrl: 'custom', customBaseUrl: base }),
			continueOnFail: true,
		});
		await closed;
		expect(result.items[0].json.error).toBe(
			`Unexpected response from Fans API for account "${ACCOUNT}": the answer is larger than ${SUCCESS_BODY_LIMIT / 1024 / KB} MiB`,
		);
		expect(result.items[0].json.description).toBe(
			"The node reads at most 64 MiB of an answer, far more than any list of tracking links holds: the rest was not read, and nothing in it was used. Check the credential's Base URL.",
		);
		expect(written).toBeLessThan(SUCCESS_BODY_LIMIT + 32 * 1024 * KB);
	}, 30_000);

	test('a large list (20 000 links, about 10 MB) is read whole', async () => {
		const links = Array.from({ length: 20_000 }, (_, i) => ({
			id: `8457594349268${String(i).padStart(5, '0')}`,
			accountId: '111',
			internalId: String(i),
			type: 1000,
			status: 1,
			label: `Link ${i} ${'-'.repeat(300)}`,
			description: null,
			metadata: null,
			createdAt: '2026-02-08T09:54:44.000Z',
			clicks: i,
			claims: 0,
			follows: 0,
			subscriptions: 0,
			totalNet: 0,
			totalGross: 0,
		}));
		const body = JSON.stringify({ data: links, _meta: {} });
		expect(body.length).toBeGreaterThan(8 * 1024 * KB);
		server = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const result = await runFansly({
			parameters: parameters('getAll'),
			credentials: credentials({ baseUrl: 'custom', customBaseUrl: base }),
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(20_000);
		expect(result.items[19_999].json).toMatchObject({ id: links[19_999].id, clicks: 19_999 });
	}, 30_000);
});
