/**
 * What transport/failures.ts reads from the values n8n's HTTP helper gives, shape by shape.
 *
 * `networkCode`: which network failure an error of the helper stands for, read from each shape
 * the helper throws. The suite's requests go through the
 * n8n 2.x engine, whose errors keep the axios error as `cause`; n8n 1.x's lose it and keep only
 * `httpCode` and `messages`. Those shapes are exercised end to end by `npm run test:n8n1` only,
 * so they are checked here directly, as n8n-workflow 1.120.31's NodeApiError builds them from an
 * AxiosError (recorded 2026-12-06).
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { lowerCaseHeaders, networkCode } from '../nodes/Fansly/transport/failures';
import { Secrets } from '../nodes/Fansly/transport/secrets';

const node: INode = {
	id: 'n1',
	name: 'Fansly',
	type: 'n8n-nodes-fansly.fansly',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** An error as axios throws it: the code, when there is one, on the error itself. */
function axiosError(message: string, code?: string): Error {
	return Object.assign(new Error(message), { name: 'AxiosError', isAxiosError: true, ...(code ? { code } : {}) });
}

/** A chain of `depth` wrappers, each with only a `cause`, around `inner`. */
function wrapped(inner: object, depth: number): object {
	let error: object = inner;
	for (let i = 0; i < depth; i++) error = { message: `wrapper ${i}`, cause: error };
	return error;
}

describe('networkCode: the network failure in an error of n8n’s HTTP helper', () => {
	it.each<[string, unknown, string | undefined]>([
		['an axios error with a known code', axiosError('socket hang up', 'ECONNRESET'), 'ECONNRESET'],
		['n8n 2.x: a NodeApiError around an axios error (the code in its cause)', new NodeApiError(node, axiosError('connect ECONNREFUSED', 'ECONNREFUSED') as unknown as JsonObject), 'ECONNREFUSED'],
		// n8n-workflow 1.x, from AxiosError('socket hang up', 'ECONNRESET'): no cause, no code.
		[
			'n8n 1.x: the code only in httpCode',
			{
				httpCode: 'ECONNRESET',
				message: 'The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.',
				messages: ['socket hang up', 'socket hang up'],
			},
			'ECONNRESET',
		],
		// n8n-workflow 1.x, from AxiosError('timeout of 5000ms exceeded') (axios' own time-out, no code).
		['n8n 1.x: axios’ time-out, in the message', { httpCode: null, message: 'timeout of 5000ms exceeded', messages: ['timeout of 5000ms exceeded'] }, 'ETIMEDOUT'],
		['n8n 1.x: axios’ time-out, only in messages', { httpCode: null, message: 'The service was not able to process your request', messages: ['timeout of 30000ms exceeded'] }, 'ETIMEDOUT'],
		['a time-out in the message of a cause', wrapped({ message: 'timeout of 1ms exceeded' }, 2), 'ETIMEDOUT'],
		['the body stream cut while it was read (axios’ words, no code)', { httpCode: null, message: 'stream has been aborted' }, 'ERR_BAD_RESPONSE'],
		['the body stream cut, only in messages', { httpCode: null, message: 'Something went wrong', messages: ['stream has been aborted'] }, 'ERR_BAD_RESPONSE'],
		['messages that are not text are passed over', { message: 42, messages: [null, { text: 'x' }, 'timeout of 10ms exceeded'] }, 'ETIMEDOUT'],
		['the code four causes deep (the deepest looked at)', wrapped(axiosError('read ECONNRESET', 'ECONNRESET'), 4), 'ECONNRESET'],
	])('%s', (_, error, expected) => {
		expect(networkCode(error)).toBe(expected);
	});

	it.each<[string, unknown]>([
		['an HTTP status failure (n8n 1.x: the status in httpCode)', { httpCode: '500', message: 'Request failed with status code 500', messages: ['Request failed with status code 500'] }],
		['an error code that is not a network failure', axiosError('Invalid URL', 'ERR_INVALID_URL')],
		['a code that is not a network failure in httpCode, and other words', { httpCode: 'EWHATEVER', messages: ['something else'] }],
		['a time-out without a figure is not axios’ wording', { message: 'timeout of ms exceeded' }],
		['a message that only mentions the stream', { message: 'the stream has been aborted by the user' }],
		['a message that is not text, though it reads like a time-out as text', { messages: [['timeout of 1ms exceeded']] }],
		['the code five causes deep: the walk stops before it', wrapped(axiosError('read ECONNRESET', 'ECONNRESET'), 5)],
		['an error that is its own cause, with no code (the walk ends)', (() => {
			const error: { message: string; cause?: unknown } = { message: 'loop' };
			error.cause = error;
			return error;
		})()],
		['a cause that is null', { message: 'outer', cause: null }],
		['a cause that is text', { message: 'outer', cause: 'ECONNRESET' }],
		['no error at all', undefined],
		['null', null],
		['text that names a code', 'ECONNRESET'],
	])('not a network failure: %s', (_, error) => {
		expect(networkCode(error)).toBeUndefined();
	});
});

describe('lowerCaseHeaders: an answer’s headers by lower-case name, scrubbed', () => {
	const secrets = new Secrets(['sk-header-key']);

	it('names lower-cased, lists joined, values as text, missing values kept as missing, the key scrubbed', () => {
		expect(
			lowerCaseHeaders(
				{ 'Retry-After': 5, 'X-List': ['a', 'b'], Location: 'https://x.test/?k=sk-header-key', 'X-Empty': null },
				secrets,
			),
		).toEqual({ 'retry-after': '5', 'x-list': 'a, b', location: 'https://x.test/?k=[redacted]', 'x-empty': undefined });
	});

	// n8n's helper always gives an object; an answer read some other way may not.
	it.each([undefined, null, 'Location: x', 42])('headers that are not an object (%p) read as none', (headers) => {
		expect(lowerCaseHeaders(headers, secrets)).toEqual({});
	});
});
