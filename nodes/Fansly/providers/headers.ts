import type { ProviderResponse } from './types';

/** Digits, perhaps with decimals: how a rate-limit header writes its number. */
const HEADER_NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * A rate-limit header's number, when it holds one written as such. `Number()` would read
 * "0x2" as 2 and "2e2" as 200: a proxy's or a hiccup's odd value would then set the key's
 * limit, so it counts as no report.
 */
export function headerNumber(response: ProviderResponse, name: string): number | undefined {
	const value = response.headers[name]?.trim();
	return value !== undefined && HEADER_NUMBER.test(value) ? Number(value) : undefined;
}
