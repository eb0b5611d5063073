import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readId } from '../../helpers/input';
import { accountLocator, trackingLinkLocator } from '../common.descriptions';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['delete'] };

export const description: INodeProperties[] = [accountLocator(show), trackingLinkLocator(show)];

interface Params {
	accountId: string;
	trackingLinkId: string;
}

export const deleteLink: Operation<Params> = {
	capability: 'deleteTrackingLink',
	description,

	read(ctx: IExecuteFunctions, itemIndex: number): Params {
		return {
			accountId: readId(ctx, 'account', 'Account', itemIndex),
			trackingLinkId: readId(ctx, 'trackingLink', 'Tracking Link', itemIndex),
		};
	},

	key: (p) => `${p.accountId}\u0000${p.trackingLinkId}`,

	subject: (p) => ({ accountId: p.accountId, trackingLinkId: p.trackingLinkId }),

	async execute({ accountId, trackingLinkId }, { provider, client, links }) {
		await provider.deleteTrackingLink(client, accountId, trackingLinkId);
		links.forget(accountId, trackingLinkId);
		return [{ deleted: true, id: trackingLinkId, provider: provider.id }];
	},
};
