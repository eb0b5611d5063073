import type { INodeProperties } from 'n8n-workflow';

import { accountLocator, trackingLinkLocator } from '../common.descriptions';
import type { LinkParams } from '../linkParams';
import { linkKey, linkSubject, readLinkParams } from '../linkParams';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['delete'] };

export const description: INodeProperties[] = [accountLocator(show), ...trackingLinkLocator(show)];

export const deleteLink: Operation<LinkParams> = {
	capability: 'deleteTrackingLink',
	description,
	read: readLinkParams,
	key: linkKey,
	subject: linkSubject,

	async execute({ accountId, trackingLinkId }, { provider, client }) {
		await provider.deleteTrackingLink(client, accountId, trackingLinkId);
		return [{ deleted: true, id: trackingLinkId, provider: provider.id }];
	},
};
