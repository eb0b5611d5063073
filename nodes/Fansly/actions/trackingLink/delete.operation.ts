import type { INodeProperties } from 'n8n-workflow';

import { FanslyError, mayHaveBeenCarriedOut } from '../../helpers/errors';
import { accountLocator, trackingLinkLocator } from '../common.descriptions';
import type { Deletion } from '../deletions';
import type { LinkParams } from '../linkParams';
import { linkKey, linkSubject, readLinkParams } from '../linkParams';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['delete'] };

export const description: INodeProperties[] = [accountLocator(show), ...trackingLinkLocator(show)];

/**
 * A 404 that says the link is missing, after an attempt of this Delete, or an earlier row's (or
 * try's) Delete of the same link, that may have deleted it: the link is gone, as asked.
 */
function goneAfter(failure: unknown, earlier: Deletion | undefined): boolean {
	return (
		failure instanceof FanslyError &&
		failure.details.httpCode === 404 &&
		failure.details.missing === 'link' &&
		(mayHaveBeenCarriedOut(failure) || earlier === 'maybe')
	);
}

export const deleteLink: Operation<LinkParams> = {
	capability: 'deleteTrackingLink',
	description,
	read: readLinkParams,
	key: linkKey,
	subject: linkSubject,

	async execute({ accountId, trackingLinkId }, { provider, client, deletions }) {
		const gone = [{ deleted: true, id: trackingLinkId, provider: provider.id }];
		// An earlier row of this run, or n8n's earlier try of it, deleted the same link.
		const earlier = deletions.of(accountId, trackingLinkId);
		if (earlier === 'done') return gone;
		const failure: unknown = await provider.deleteTrackingLink(client, accountId, trackingLinkId).then(
			() => undefined,
			(error: unknown) => error,
		);
		if (failure !== undefined && !goneAfter(failure, earlier)) {
			if (mayHaveBeenCarriedOut(failure)) deletions.record(accountId, trackingLinkId, 'maybe');
			throw failure;
		}
		deletions.record(accountId, trackingLinkId, 'done');
		return gone;
	},
};
