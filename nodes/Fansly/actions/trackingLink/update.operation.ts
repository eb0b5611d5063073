import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import { mayHaveBeenCarriedOut, operationError } from '../../helpers/errors';
import { checkText } from '../../helpers/input';
import { shapeError } from '../../helpers/normalise';
import type { LinkLookup, TrackingLinkProvider, UpdateFields } from '../../providers/types';
import { accountLocator, trackingLinkLocator } from '../common.descriptions';
import type { LinkParams } from '../linkParams';
import { linkKey, linkSubject, readLinkParams } from '../linkParams';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['update'] };

export const description: INodeProperties[] = [
	accountLocator(show),
	...trackingLinkLocator(show),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		description:
			'The values to change. A field you add is sent, even when empty (an empty description clears it); a field you do not add is left as it is.',
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				typeOptions: { rows: 2 },
				placeholder: 'e.g. Link in the Twitter profile',
				description: 'The new description of the tracking link. Leave empty to clear it.',
			},
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				placeholder: 'e.g. Twitter bio',
				description: 'The new name of the tracking link',
			},
		],
	},
];

/** The same text to a reader: "é" typed composed or as "e" and an accent (a Mac may send either). */
const sameText = (a: string, b: string) => a.normalize('NFC') === b.normalize('NFC');

interface Params extends LinkParams {
	fields: UpdateFields;
}

export const update: Operation<Params> = {
	capability: 'updateTrackingLink',
	description,

	read(ctx: IExecuteFunctions, itemIndex: number, provider: TrackingLinkProvider): Params {
		const link = readLinkParams(ctx, itemIndex);
		const raw = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const fields: UpdateFields = {};
		const label = checkText(ctx, raw.label, 'Label', itemIndex);
		if (label !== undefined && label.trim() === '' && provider.updateNeedsLabel) {
			// A blank spreadsheet cell, which the provider would refuse after the rows before it
			// were sent; leaving the label unchanged is what leaving it out says.
			throw operationError(ctx.getNode(), `Label is empty (item ${itemIndex})`, {
				itemIndex,
				description: `${provider.displayName} needs a label with every update. To keep the current label, leave Label out of Update Fields, or map an expression that gives nothing for such rows, for example {{ $json.label || undefined }}.`,
			});
		}
		const descriptionText = checkText(ctx, raw.description, 'Description', itemIndex);
		if (label !== undefined) fields.label = label;
		if (descriptionText !== undefined) fields.description = descriptionText;
		if (label === undefined && descriptionText === undefined) {
			throw operationError(
				ctx.getNode(),
				`Update Fields: add Label or Description, there is nothing to update (item ${itemIndex})`,
				{ itemIndex },
			);
		}
		return { ...link, fields };
	},

	key: linkKey,
	subject: linkSubject,

	async execute({ accountId, trackingLinkId, fields }, { provider, client, links, options }) {
		if (options.onlyUpdateWhenDifferent && provider.capabilities.has('listTrackingLinks')) {
			const current = await links.find(accountId, trackingLinkId);
			if (
				current &&
				(fields.label === undefined || sameText(fields.label, current.label ?? '')) &&
				(fields.description === undefined || sameText(fields.description, current.description ?? ''))
			) {
				// A copy: the directory keeps the link, and a later row may output it too.
				return [{ ...deepCopy(current), skipped: true }];
			}
		}
		// The label look-up (Fans API, description only) fails before the update is sent: only a
		// failure after it is sent leaves the link unsure. (Reactions run in the order they were
		// added, so each mark is set before the failure reaches the `await` below.)
		let lookedUp = true;
		const lookup: LinkLookup = {
			find: (account, id) => {
				const found = links.find(account, id);
				found.catch(() => (lookedUp = false));
				return found;
			},
		};
		const updating = provider.updateTrackingLink(client, accountId, trackingLinkId, fields, lookup);
		updating.catch((error: unknown) => {
			if (lookedUp && mayHaveBeenCarriedOut(error)) links.unsure(accountId, trackingLinkId);
		});
		const link = await updating;
		if (link.id !== trackingLinkId) {
			// Output as this link's update, another link's answer would mislead the nodes after
			// this one, and a later row's label look-up would take it for this link. The update
			// was answered, so it may have been made.
			links.unsure(accountId, trackingLinkId);
			throw shapeError(provider.displayName, `tracking link "${trackingLinkId}" on account "${accountId}"`, `the answer is about tracking link "${link.id}", not "${trackingLinkId}"`);
		}
		links.remember(accountId, link);
		return [options.onlyUpdateWhenDifferent ? { ...deepCopy(link), skipped: false } : link];
	},
};
