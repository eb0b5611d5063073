import type { IDataObject, IExecuteFunctions, INodeProperties, NodeOperationError } from 'n8n-workflow';

import { operationError } from '../helpers/errors';
import { asFlag } from '../helpers/input';
import type { TransportSettings } from '../transport';
import type { RunOptions } from './types';

/** The longest wait a timer can hold: above it Node.js fires after 1 ms instead. */
export const MAX_MS = 2_147_483_647;

export const DEFAULTS = {
	retry: true,
	maxRetries: 3,
	retryDelay: 1000,
	maxRetryWait: 60_000,
	timeout: 30_000,
	maxConcurrency: 256,
	requestsPerMinute: 0,
};

export const optionsDescription: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description: 'Settings for the whole run; they are read once, from the first item',
	options: [
		{
			displayName: 'Max Concurrency',
			name: 'maxConcurrency',
			type: 'number',
			default: 256,
			typeOptions: { minValue: 1, maxValue: 256 },
			description:
				'The most requests in flight at once. The node starts at 64 (or here, when lower), doubles each round trip while the provider answers well and halves on 429s, 5xx and time-outs; updates to the same tracking link always run one after another, in input order.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			default: 3,
			typeOptions: { minValue: 0, maxValue: 10 },
			displayOptions: { hide: { retry: [false] } },
			description: 'How many times a request is sent again after a transient failure',
		},
		{
			displayName: 'Max Retry Wait (Ms)',
			name: 'maxRetryWait',
			type: 'number',
			default: 60000,
			typeOptions: { minValue: 0, maxValue: MAX_MS },
			displayOptions: { hide: { retry: [false] } },
			description:
				'The longest single wait before a retry. When the provider asks for a longer wait (of this request, or of another with the same API key), the item fails instead of hanging the workflow.',
		},
		{
			displayName: 'Only Update When Different',
			name: 'onlyUpdateWhenDifferent',
			type: 'boolean',
			default: false,
			displayOptions: { show: { '/operation': ['update'] } },
			description:
				'Whether to skip the update when the link already has these values (Fans API: read from the account’s list, fetched once per run). Skipped items are output unchanged with "skipped": true.',
		},
		{
			displayName: 'Requests Per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description:
				'The API key’s budget: the most requests in any 60-second window for all executions in this n8n process that use the same key (the lowest value set by any of them holds while it runs). 0 uses the provider’s plan default: 600 for API Fansly (Starter plan), 5,000 for Fans API; a value between 0 and 1 is refused. In queue mode each worker has its own budget: set plan ÷ workers. The node also waits when the provider reports no requests left or asks it to.',
		},
		{
			displayName: 'Retry',
			name: 'retry',
			type: 'boolean',
			default: true,
			description:
				'Whether to retry transient failures (HTTP 429, 500, 502, 503, 504, connection errors and time-outs). Other errors are never retried; a create is never resent when it may have reached the provider.',
		},
		{
			displayName: 'Retry Base Delay (Ms)',
			name: 'retryDelay',
			type: 'number',
			default: 1000,
			typeOptions: { minValue: 0, maxValue: MAX_MS },
			displayOptions: { hide: { retry: [false] } },
			description:
				'The base of the exponential backoff with jitter, used when the provider gives no wait hint',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			default: 30000,
			typeOptions: { minValue: 1, maxValue: MAX_MS },
			description:
				'The longest one request may take, from sending it to the last byte of the answer, before it counts as failed',
		},
	],
};

export interface RunSettings {
	transport: TransportSettings;
	maxConcurrency: number;
	run: RunOptions;
}

function optionError(ctx: IExecuteFunctions, message: string): NodeOperationError {
	return operationError(ctx.getNode(), message, {
		description: 'Options apply to the whole run and are read from the first item. Nothing was sent.',
		itemIndex: 0,
	});
}

/** A number option as given (a fraction kept), within its range. */
function numberOption(
	ctx: IExecuteFunctions,
	options: IDataObject,
	name: keyof typeof DEFAULTS,
	label: string,
	min: number,
	max = Number.MAX_SAFE_INTEGER,
): number {
	const value = options[name] ?? DEFAULTS[name];
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
		const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
		throw optionError(ctx, `Option "${label}" must be a number ${range}`);
	}
	return n;
}

/** A count or a time in whole units: a fraction is cut to the whole number below it. */
function wholeNumber(...args: Parameters<typeof numberOption>): number {
	return Math.floor(numberOption(...args));
}

/**
 * Requests Per Minute, whole like the other options, except that 0 means the provider's
 * default: a value between 0 and 1 would become it once cut, and run at 600 or 5,000 a minute
 * instead of the fraction of one asked for.
 */
function requestsPerMinuteOption(ctx: IExecuteFunctions, options: IDataObject): number {
	const label = 'Requests Per Minute';
	const n = numberOption(ctx, options, 'requestsPerMinute', label, 0);
	if (n > 0 && n < 1) {
		throw optionError(ctx, `Option "${label}" must be 0 (the provider's default) or a number of at least 1`);
	}
	return Math.floor(n);
}

/** A yes/no option, also as the text "true" or "false" (asFlag). */
function flagOption(ctx: IExecuteFunctions, options: IDataObject, name: 'retry' | 'onlyUpdateWhenDifferent', label: string, fallback: boolean): boolean {
	if (options[name] === undefined) return fallback;
	const flag = asFlag(options[name]);
	if (flag === undefined) throw optionError(ctx, `Option "${label}" must be true or false`);
	return flag;
}

/** Reads the Options once per execution. */
export function readRunSettings(ctx: IExecuteFunctions): RunSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const requestsPerMinute = requestsPerMinuteOption(ctx, options);
	return {
		transport: {
			retry: {
				enabled: flagOption(ctx, options, 'retry', 'Retry', DEFAULTS.retry),
				maxRetries: wholeNumber(ctx, options, 'maxRetries', 'Max Retries', 0),
				baseDelay: wholeNumber(ctx, options, 'retryDelay', 'Retry Base Delay (Ms)', 0, MAX_MS),
				maxWait: wholeNumber(ctx, options, 'maxRetryWait', 'Max Retry Wait (Ms)', 0, MAX_MS),
			},
			timeout: wholeNumber(ctx, options, 'timeout', 'Timeout (Ms)', 1, MAX_MS),
			requestsPerMinute,
		},
		maxConcurrency: wholeNumber(ctx, options, 'maxConcurrency', 'Max Concurrency', 1),
		run: { onlyUpdateWhenDifferent: flagOption(ctx, options, 'onlyUpdateWhenDifferent', 'Only Update When Different', false) },
	};
}
