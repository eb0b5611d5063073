import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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

/**
 * What an item refused for bad input was about, as far as its IDs can be read (the bad field
 * itself left out), so its error item still names the account and the link for the next node.
 */
export function readableSubject(ctx: IExecuteFunctions, itemIndex: number, fields: INodeProperties[]): IDataObject {
	const subject: IDataObject = {};
	const names = new Set(fields.map((field) => field.name));
	const ids: Array<[string, string, string]> = [
		['account', 'Account', 'accountId'],
		['trackingLink', 'Tracking Link', 'trackingLinkId'],
	];
	for (const [parameter, displayName, key] of ids) {
		if (!names.has(parameter)) continue;
		try {
			subject[key] = readId(ctx, parameter, displayName, itemIndex);
		} catch {
			// This field is what is wrong, or one of what is: the error says so.
		}
	}
	return subject;
}
