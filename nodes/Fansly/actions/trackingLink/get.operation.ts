import type { INodeProperties } from 'n8n-workflow';

import { FanslyError } from '../../helpers/errors';
import { accountLocator, trackingLinkLocator } from '../common.descriptions';
import type { LinkParams } from '../linkParams';
import { linkKey, linkSubject, readLinkParams } from '../linkParams';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['get'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'API Fansly cannot read a tracking link (it documents no endpoint for it): choose a Fans API credential for this operation',
		name: 'getNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, authentication: ['apiFanslyApi'] } },
	},
	accountLocator(show),
	...trackingLinkLocator(show),
];

export const get: Operation<LinkParams> = {
	capability: 'getTrackingLink',
	description,
	read: readLinkParams,
	key: linkKey,
	subject: linkSubject,

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
