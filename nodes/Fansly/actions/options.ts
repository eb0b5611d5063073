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
	description: 'Settings for the whole run: mapped from the input, they must be the same for every item',
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

/** The Options of one item, as n8n resolved them, and which item that is. */
interface ItemOptions {
	options: IDataObject;
	itemIndex: number;
}

function optionError(ctx: IExecuteFunctions, message: string, itemIndex: number): NodeOperationError {
	return operationError(ctx.getNode(), itemIndex === 0 ? message : `${message} (item ${itemIndex})`, {
		description: 'Options apply to the whole run: mapped from the input, they must be the same for every item. Nothing was sent.',
		itemIndex,
	});
}

/** A number written as text: decimal only ("0x10" is no number of milliseconds). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number option as given (a fraction kept), within its range. `max`: the editor's limit, or
 * none (2^53); the message states it when the value is above it, or always with `stateMax`.
 */
function numberOption(
	ctx: IExecuteFunctions,
	{ options, itemIndex }: ItemOptions,
	name: keyof typeof DEFAULTS,
	label: string,
	min: number,
	max = Number.MAX_SAFE_INTEGER,
	stateMax = max !== Number.MAX_SAFE_INTEGER,
): number {
	// Only an option not added takes its default: null is a mapping that went wrong.
	const value = options[name] === undefined ? DEFAULTS[name] : options[name];
	const n = typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
		const range = stateMax || (typeof n === 'number' && n > max) ? `from ${min} to ${max}` : `of at least ${min}`;
		throw optionError(ctx, `Option "${label}" must be a number ${range}`, itemIndex);
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
function requestsPerMinuteOption(ctx: IExecuteFunctions, item: ItemOptions): number {
	const label = 'Requests Per Minute';
	const n = numberOption(ctx, item, 'requestsPerMinute', label, 0);
	if (n > 0 && n < 1) {
		throw optionError(ctx, `Option "${label}" must be 0 (the provider's default) or a number of at least 1`, item.itemIndex);
	}
	return Math.floor(n);
}

/** A yes/no option, also as the text "true" or "false" (asFlag). */
function flagOption(ctx: IExecuteFunctions, { options, itemIndex }: ItemOptions, name: 'retry' | 'onlyUpdateWhenDifferent', label: string, fallback: boolean): boolean {
	if (options[name] === undefined) return fallback;
	const flag = asFlag(options[name]);
	if (flag === undefined) throw optionError(ctx, `Option "${label}" must be true or false`, itemIndex);
	return flag;
}

/** Each option's value for one item, by its name in the editor. */
function settingsOf(ctx: IExecuteFunctions, itemIndex: number): Record<string, number | boolean> {
	const item = { options: ctx.getNodeParameter('options', itemIndex, {}) as IDataObject, itemIndex };
	const retry = flagOption(ctx, item, 'retry', 'Retry', DEFAULTS.retry);
	// The editor hides the retry options while Retry is off: they are not used, nor read.
	const retryOption = (name: 'maxRetries' | 'retryDelay' | 'maxRetryWait', ...rest: [string, number, number, boolean?]) =>
		retry ? wholeNumber(ctx, item, name, ...rest) : DEFAULTS[name];
	return {
		'Requests Per Minute': requestsPerMinuteOption(ctx, item),
		Retry: retry,
		'Max Retries': retryOption('maxRetries', 'Max Retries', 0, 10, false),
		'Retry Base Delay (Ms)': retryOption('retryDelay', 'Retry Base Delay (Ms)', 0, MAX_MS),
		'Max Retry Wait (Ms)': retryOption('maxRetryWait', 'Max Retry Wait (Ms)', 0, MAX_MS),
		'Timeout (Ms)': wholeNumber(ctx, item, 'timeout', 'Timeout (Ms)', 1, MAX_MS),
		'Max Concurrency': wholeNumber(ctx, item, 'maxConcurrency', 'Max Concurrency', 1, 256, false),
		'Only Update When Different': flagOption(ctx, item, 'onlyUpdateWhenDifferent', 'Only Update When Different', false),
	};
}

const hasExpression = (value: unknown): boolean =>
	typeof value === 'string'
		? value.startsWith('=')
		: value !== null && typeof value === 'object' && Object.values(value).some(hasExpression);

/**
 * Reads the Options once per execution: from the first item, and when an option is an
 * expression, from every item too, since one run cannot follow two values (a bad value on any
 * item, or one that differs from the first item's, fails the run before any request).
 */
export function readRunSettings(ctx: IExecuteFunctions, itemCount = 1): RunSettings {
	const settings = settingsOf(ctx, 0);
	if (hasExpression(ctx.getNode().parameters.options)) {
		for (let itemIndex = 1; itemIndex < itemCount; itemIndex++) {
			const other = settingsOf(ctx, itemIndex);
			const differing = Object.keys(settings).find((label) => other[label] !== settings[label]);
			if (differing !== undefined) {
				throw optionError(
					ctx,
					`Option "${differing}" must be the same for every item, since it applies to the whole run: item ${itemIndex} gives ${String(other[differing])}, item 0 ${String(settings[differing])}`,
					itemIndex,
				);
			}
		}
	}
	const number = (label: string) => settings[label] as number;
	const flag = (label: string) => settings[label] as boolean;
	return {
		transport: {
			retry: {
				enabled: flag('Retry'),
				maxRetries: number('Max Retries'),
				baseDelay: number('Retry Base Delay (Ms)'),
				maxWait: number('Max Retry Wait (Ms)'),
			},
			timeout: number('Timeout (Ms)'),
			requestsPerMinute: number('Requests Per Minute'),
		},
		maxConcurrency: number('Max Concurrency'),
		run: { onlyUpdateWhenDifferent: flag('Only Update When Different') },
	};
}
