import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkText, readId } from '../../helpers/input';
import type { CreateFields } from '../../providers/types';
import { accountLocator } from '../common.descriptions';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Only Fans API can create tracking links: API Fansly documents no endpoint for it',
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
		displayOptions: { show },
		description: 'The name of the new tracking link, for example "Twitter bio"',
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
				description: 'A description of the new tracking link',
			},
		],
	},
];

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
			throw new NodeOperationError(ctx.getNode(), `Label is empty (item ${itemIndex})`, {
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
		const link = await provider.createTrackingLink(client, accountId, fields);
		links.remember(accountId, link);
		return [link];
	},
};
