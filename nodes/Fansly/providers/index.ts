import { ownEntry } from '../helpers/input';
import { apiFansly } from './apiFansly';
import { fansApi } from './fansApi';
import type { TrackingLinkProvider } from './types';

/** The provider for each value of the node's "Provider" (authentication) parameter. */
export const providers: Record<string, TrackingLinkProvider> = {
	apiFanslyApi: apiFansly,
	fansApiApi: fansApi,
};

export function providerFor(authentication: unknown): TrackingLinkProvider | undefined {
	return typeof authentication === 'string' ? ownEntry(providers, authentication) : undefined;
}
