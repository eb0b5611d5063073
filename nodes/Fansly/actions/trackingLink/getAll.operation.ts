import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkChoice, checkFlag, checkText, checkWholeNumber, foldCase, readId } from '../../helpers/input';
import { accountLocator } from '../common.descriptions';
import type { Operation } from '../types';

const show = { resource: ['trackingLink'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	{
		displayName:
			'API Fansly cannot list tracking links (it documents no endpoint for it): choose a Fans API credential for this operation',
		name: 'getAllNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, authentication: ['apiFanslyApi'] } },
	},
	accountLocator(show),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { ...show, returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		description: 'Only return the links that match every filter added here',
		options: [
			{
				displayName: 'Label Contains',
				name: 'labelContains',
				type: 'string',
				default: '',
				description: 'Only links whose label contains this text (case-insensitive)',
			},
			{
				displayName: 'Kind',
				name: 'kind',
				type: 'options',
				default: 'all',
				options: [
					{ name: 'All', value: 'all', description: 'Built-in and user-created links' },
					{
						name: 'Built-In',
						value: 'builtIn',
						description: 'Links Fansly creates itself, such as "Fansly FYP" (type 1)',
					},
					{
						name: 'User-Created',
						value: 'userCreated',
						description: 'Links created by the creator or the agency (type 1000)',
					},
				],
				description: 'Which kind of links to return',
			},
		],
	},
];

const KINDS = ['all', 'builtIn', 'userCreated'] as const;

interface Params {
	accountId: string;
	limit: number | undefined;
	labelContains: string;
	kind: (typeof KINDS)[number];
}

const BUILT_IN = 1;
const USER_CREATED = 1000;

export const getAll: Operation<Params> = {
	capability: 'listTrackingLinks',
	description,

	read(ctx: IExecuteFunctions, itemIndex: number): Params {
		const accountId = readId(ctx, 'account', 'Account', itemIndex);
		const returnAll = checkFlag(ctx, ctx.getNodeParameter('returnAll', itemIndex, false), 'Return All', itemIndex);
		const limit = returnAll ? undefined : checkWholeNumber(ctx, ctx.getNodeParameter('limit', itemIndex, 50), 'Limit', itemIndex, 1);
		const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const labelContains = checkText(ctx, filters.labelContains, 'Label Contains', itemIndex) ?? '';
		const kind = filters.kind === undefined ? 'all' : checkChoice(ctx, filters.kind, KINDS, 'Kind', itemIndex);
		return { accountId, limit, labelContains, kind };
	},

	subject: (p) => ({ accountId: p.accountId }),

	async execute({ accountId, limit, labelContains, kind }, { links }) {
		const needle = foldCase(labelContains);
		const matching = (await links.all(accountId)).filter(
			(link) =>
				(needle === '' || foldCase(link.label ?? '').includes(needle)) &&
				(kind === 'all' ||
					(kind === 'builtIn' && link.type === BUILT_IN) ||
					(kind === 'userCreated' && link.type === USER_CREATED)),
		);
		return limit === undefined ? matching : matching.slice(0, limit);
	},
};
