import type { IExecuteFunctions } from 'n8n-workflow';

import { readId } from '../helpers/input';

/** The tracking link an item is about. */
export interface LinkParams {
	accountId: string;
	trackingLinkId: string;
}

/** Reads and checks the Account and Tracking Link of one item. */
export function readLinkParams(ctx: IExecuteFunctions, itemIndex: number): LinkParams {
	return {
		accountId: readId(ctx, 'account', 'Account', itemIndex),
		trackingLinkId: readId(ctx, 'trackingLink', 'Tracking Link', itemIndex),
	};
}

/** Items about the same link never run at the same time (see runner.ts). */
export const linkKey = (p: LinkParams): string => `${p.accountId}\u0000${p.trackingLinkId}`;

/** What an error item says the failed item was about. */
export const linkSubject = (p: LinkParams) => ({
	accountId: p.accountId,
	trackingLinkId: p.trackingLinkId,
});
