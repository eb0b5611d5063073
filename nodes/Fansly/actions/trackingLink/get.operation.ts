import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { FanslyError } from '../../helpers/errors';
import { readId } from '../../helpers/input';
import { accountLocator, trackingLinkLocator } from '../common.descriptions';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['get'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'Only Fans API can read tracking links: API Fansly documents no endpoint for it',
		name: 'getNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, authentication: ['apiFanslyApi'] } },
	},
	accountLocator(show),
	trackingLinkLocator(show),
];

interface Params {
	accountId: string;
	trackingLinkId: string;
}

export const get: Operation<Params> = {
	capability: 'getTrackingLink',
	description,

	read(ctx: IExecuteFunctions, itemIndex: number): Params {
		return {
			accountId: readId(ctx, 'account', 'Account', itemIndex),
			trackingLinkId: readId(ctx, 'trackingLink', 'Tracking Link', itemIndex),
		};
	},

	key: (p) => `${p.accountId}\u0000${p.trackingLinkId}`,

	subject: (p) => ({ accountId: p.accountId, trackingLinkId: p.trackingLinkId }),

	async execute({ accountId, trackingLinkId }, { links }) {
		// There is no get-one endpoint: the link is read from the account's list.
		const link = await links.find(accountId, trackingLinkId);
		if (!link) {
			throw new FanslyError(
				`Tracking link "${trackingLinkId}" not found on account "${accountId}"`,
				{ kind: 'notFound', httpCode: 404 },
			);
		}
		return [link];
	},
};
