import type { IDataObject, IExecuteFunctions, INodeProperties, NodeOperationError } from 'n8n-workflow';

import { operationError } from '../helpers/errors';
import { asFlag, decimalNumber } from '../helpers/input';
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

/** The Options, by their names in the node's parameters. */
type OptionName = keyof typeof DEFAULTS | 'onlyUpdateWhenDifferent';

/** Each option's name in the editor, for messages. */
const LABELS: Record<OptionName, string> = {
	requestsPerMinute: 'Requests Per Minute',
	retry: 'Retry',
	maxRetries: 'Max Retries',
	retryDelay: 'Retry Base Delay (Ms)',
	maxRetryWait: 'Max Retry Wait (Ms)',
	timeout: 'Timeout (Ms)',
	maxConcurrency: 'Max Concurrency',
	onlyUpdateWhenDifferent: 'Only Update When Different',
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

/**
 * An option refused because of one item (`itemIndex`, which n8n gets too). The message names
 * every item it is about once: `(item N)` at its end, item 0 included, as every other refusal of
 * the node (and n8n's own, "[item 0]") does, unless it names them itself (`named`). A failure of
 * the whole run becomes every input item's error item, so "this item" would be each of them.
 */
function optionError(ctx: IExecuteFunctions, message: string, itemIndex: number, named = false): NodeOperationError {
	return operationError(ctx.getNode(), named ? message : `${message} (item ${itemIndex})`, {
		description: 'Options apply to the whole run: mapped from the input, they must be the same for every item. Nothing was sent.',
		itemIndex,
	});
}

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
	// Decimal only: "0x10" is no number of milliseconds.
	const n = decimalNumber(value);
	if (!Number.isFinite(n) || n < min || n > max) {
		const range = stateMax || n > max ? `from ${min} to ${max}` : `of at least ${min}`;
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
	const label = LABELS.requestsPerMinute;
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

interface ItemSettings {
	requestsPerMinute: number;
	retry: boolean;
	maxRetries: number;
	retryDelay: number;
	maxRetryWait: number;
	timeout: number;
	maxConcurrency: number;
	onlyUpdateWhenDifferent: boolean;
}

/** Each option's value for one item. */
function settingsOf(ctx: IExecuteFunctions, itemIndex: number): ItemSettings {
	const item = { options: ctx.getNodeParameter('options', itemIndex, {}) as IDataObject, itemIndex };
	const retry = flagOption(ctx, item, 'retry', LABELS.retry, DEFAULTS.retry);
	// The editor hides the retry options while Retry is off: they are not used, nor read.
	const retryOption = (name: 'maxRetries' | 'retryDelay' | 'maxRetryWait', ...rest: [number, number, boolean?]) =>
		retry ? wholeNumber(ctx, item, name, LABELS[name], ...rest) : DEFAULTS[name];
	return {
		requestsPerMinute: requestsPerMinuteOption(ctx, item),
		retry,
		maxRetries: retryOption('maxRetries', 0, 10, false),
		retryDelay: retryOption('retryDelay', 0, MAX_MS),
		maxRetryWait: retryOption('maxRetryWait', 0, MAX_MS),
		timeout: wholeNumber(ctx, item, 'timeout', LABELS.timeout, 1, MAX_MS),
		maxConcurrency: wholeNumber(ctx, item, 'maxConcurrency', LABELS.maxConcurrency, 1, 256, false),
		onlyUpdateWhenDifferent: flagOption(ctx, item, 'onlyUpdateWhenDifferent', LABELS.onlyUpdateWhenDifferent, false),
	};
}

/** What one item gives for an option, in words: its value, or nothing (and so the default). */
function given(ctx: IExecuteFunctions, itemIndex: number, name: OptionName, value: number | boolean): string {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return options[name] === undefined ? `nothing (so the default, ${String(value)})` : String(value);
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
			const differing = (Object.keys(LABELS) as OptionName[]).find((name) => other[name] !== settings[name]);
			if (differing !== undefined) {
				throw optionError(
					ctx,
					`Option "${LABELS[differing]}" must be the same for every item, since it applies to the whole run: item 0 gives ${given(ctx, 0, differing, settings[differing])}, but item ${itemIndex} gives ${given(ctx, itemIndex, differing, other[differing])}`,
					itemIndex,
					true,
				);
			}
		}
	}
	return {
		transport: {
			retry: {
				enabled: settings.retry,
				maxRetries: settings.maxRetries,
				baseDelay: settings.retryDelay,
				maxWait: settings.maxRetryWait,
			},
			timeout: settings.timeout,
			requestsPerMinute: settings.requestsPerMinute,
		},
		maxConcurrency: settings.maxConcurrency,
		run: { onlyUpdateWhenDifferent: settings.onlyUpdateWhenDifferent },
	};
}
