import type { ProviderResponse } from './types';

/**
 * Small readings of what an answer says, shared by the providers: a rate-limit header's number,
 * a `success` that says failure, an error field that holds words.
 */

/** Digits, perhaps with decimals: how a rate-limit header writes its number. */
const HEADER_NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * A rate-limit header's number, when it holds one written as such. `Number()` would read
 * "0x2" as 2 and "2e2" as 200: a proxy's or a hiccup's odd value would then set the key's
 * limit, so it counts as no report (as do 400 digits, which no number holds).
 */
export function headerNumber(response: ProviderResponse, name: string): number | undefined {
	const value = response.headers[name]?.trim();
	if (value === undefined || !HEADER_NUMBER.test(value)) return undefined;
	const n = Number(value);
	return Number.isFinite(n) ? n : undefined;
}

/** A `success` field that says failure: `false`, or the text "false" (a server that writes its JSON by hand). */
export function saysFalse(value: unknown): boolean {
	return value === false || (typeof value === 'string' && value.trim().toLowerCase() === 'false');
}

/**
 * Whether an error field holds something: words, a list or a record that is not empty, or
 * `true`. `""`, `[]`, `{}`, `false` and `null` say no error.
 */
export function saysSomething(value: unknown): boolean {
	if (typeof value === 'string') return value.trim() !== '';
	if (Array.isArray(value)) return value.length > 0;
	if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
	return value === true;
}
