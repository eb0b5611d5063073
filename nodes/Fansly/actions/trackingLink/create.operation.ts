import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { FanslyError, mayHaveBeenCarriedOut, operationError } from '../../helpers/errors';
import { checkText, readId } from '../../helpers/input';
import type { CreateFields } from '../../providers/types';
import { accountLocator } from '../common.descriptions';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'API Fansly cannot create tracking links (it documents no endpoint for it): choose a Fans API credential for this operation',
		name: 'createNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, authentication: ['apiFanslyApi'] } },
	},
	accountLocator(show),
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Twitter bio',
		displayOptions: { show },
		description: 'The name of the new tracking link',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		description: 'Optional fields of the new tracking link',
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				typeOptions: { rows: 2 },
				placeholder: 'e.g. Link in the Twitter profile',
				description: 'A description of the new tracking link',
			},
		],
	},
];

/**
 * A Create that failed after it may have reached the provider (a 5xx, a time-out, a reset
 * connection, a 2xx in an unexpected shape) is never sent again, and its error says why the row
 * should not simply be run again: the link may exist.
 */
function mayExist(failure: unknown, providerName: string): unknown {
	if (!mayHaveBeenCarriedOut(failure)) return failure;
	const { details } = failure;
	const warning = `${providerName} may have created the link although the request failed. Check the account's links (Get Many) before running this item again, or the link may be created twice.`;
	// A network error's own advice ("Not retried: … could create a duplicate") says it already.
	if (details.kind === 'network' && details.description) return failure;
	const description = details.kind === 'shape' && details.description ? `${details.description} ${warning}` : warning;
	return new FanslyError(failure.message, { ...details, description });
}

interface Params {
	accountId: string;
	fields: CreateFields;
}

export const create: Operation<Params> = {
	capability: 'createTrackingLink',
	description,

	read(ctx: IExecuteFunctions, itemIndex: number): Params {
		const accountId = readId(ctx, 'account', 'Account', itemIndex);
		const label = checkText(ctx, ctx.getNodeParameter('label', itemIndex, ''), 'Label', itemIndex);
		if (label === undefined || label.trim() === '') {
			throw operationError(ctx.getNode(), `Label is empty (item ${itemIndex})`, {
				itemIndex,
				description: 'A new tracking link needs a label.',
			});
		}
		const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const fields: CreateFields = { label };
		const text = checkText(ctx, extra.description, 'Description', itemIndex);
		if (text !== undefined) fields.description = text;
		return { accountId, fields };
	},

	subject: (p) => ({ accountId: p.accountId }),

	async execute({ accountId, fields }, { provider, client, links }) {
		let link;
		try {
			link = await provider.createTrackingLink(client, accountId, fields);
		} catch (error) {
			throw mayExist(error, provider.displayName);
		}
		links.remember(accountId, link);
		return [link];
	},
};
