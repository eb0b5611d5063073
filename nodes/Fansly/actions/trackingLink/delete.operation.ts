import type { INodeProperties } from 'n8n-workflow';

import { FanslyError } from '../../helpers/errors';
import { accountLocator, trackingLinkLocator } from '../common.descriptions';
import type { LinkParams } from '../linkParams';
import { linkKey, linkSubject, readLinkParams } from '../linkParams';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['delete'] };

export const description: INodeProperties[] = [accountLocator(show), ...trackingLinkLocator(show)];

/**
 * A 404 for the link after an attempt that may have been carried out (a time-out, a reset, a
 * 500, 502 or 504): that attempt deleted it, and the retry found it gone.
 */
function deletedByAnEarlierAttempt(error: unknown): boolean {
	return (
		error instanceof FanslyError &&
		error.details.httpCode === 404 &&
		error.details.missing === 'subject' &&
		error.details.earlierAttemptMayHaveBeenApplied === true
	);
}

export const deleteLink: Operation<LinkParams> = {
	capability: 'deleteTrackingLink',
	description,
	read: readLinkParams,
	key: linkKey,
	subject: linkSubject,

	async execute({ accountId, trackingLinkId }, { provider, client, links }) {
		const gone = [{ deleted: true, id: trackingLinkId, provider: provider.id }];
		// An earlier row of this run deleted the same link (rows of one link run in order).
		if (links.wasDeleted(accountId, trackingLinkId)) return gone;
		const failure: unknown = await provider.deleteTrackingLink(client, accountId, trackingLinkId).then(
			() => undefined,
			(error: unknown) => error,
		);
		if (failure !== undefined && !deletedByAnEarlierAttempt(failure)) throw failure;
		links.recordDeleted(accountId, trackingLinkId);
		return gone;
	},
};
