import type { INodeProperties } from 'n8n-workflow';

import { accountLocator } from '../actions/common.descriptions';

/**
 * The trigger's parameters. Names and values are a contract (saved workflows and acceptance
 * tests use them). n8n adds Poll Times (`pollTimes`) itself to every node with `polling: true`.
 */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'This trigger needs a Fans API credential: API Fansly documents no way to list tracking links, so it cannot watch them',
		name: 'fansApiOnlyNotice',
		type: 'notice',
		default: '',
	},
	{
		// The account picker (methods/listSearch.ts) chooses its provider from this parameter,
		// as in the Fansly node; the trigger has one provider, so it is fixed and hidden.
		displayName: 'Provider',
		name: 'authentication',
		type: 'hidden',
		default: 'fansApiApi',
	},
	{
		displayName: 'Accounts to Watch',
		name: 'accountScope',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Account',
				value: 'one',
				description: 'Watch the tracking links of the account chosen below',
			},
			{
				name: 'All Accounts',
				value: 'all',
				description:
					'Watch every account of the credential (one more request per poll, for the list of accounts)',
			},
		],
		default: 'one',
		description: 'Which connected Fansly accounts to watch',
	},
	{
		...accountLocator({ accountScope: ['one'] }),
		description: 'The connected Fansly account whose tracking links to watch',
	},
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		noDataExpression: true,
		required: true,
		options: [
			{
				name: 'Counters Increased',
				value: 'increased',
				description: 'A watched counter of a link grew by at least the minimum increase',
			},
			{
				name: 'Link Created',
				value: 'created',
				description: 'A tracking link appeared on the account',
			},
			{
				name: 'Link Deleted',
				value: 'deleted',
				description: 'A tracking link disappeared from the account',
			},
		],
		default: ['created', 'deleted', 'increased'],
		description: 'The changes that start the workflow, one item per change',
	},
	{
		displayName: 'Counters',
		name: 'counters',
		type: 'multiOptions',
		noDataExpression: true,
		displayOptions: { show: { events: ['increased'] } },
		options: [
			{ name: 'Claims', value: 'claims' },
			{ name: 'Clicks', value: 'clicks' },
			{ name: 'Follows', value: 'follows' },
			{
				name: 'Revenue',
				value: 'revenue',
				description: 'Net and gross revenue (totalNet, totalGross), in the provider’s units',
			},
			{ name: 'Subscriptions', value: 'subscriptions' },
		],
		default: ['clicks', 'claims', 'follows', 'subscriptions', 'revenue'],
		description: 'The counters watched for Counters Increased',
	},
	{
		displayName: 'Minimum Increase',
		name: 'minimumIncrease',
		type: 'number',
		displayOptions: { show: { events: ['increased'] } },
		default: 1,
		typeOptions: { minValue: 1 },
		description:
			'How much a counter must have grown since the last event for that link and counter. Smaller changes add up over polls until they reach it (for example 100: one event per 100 clicks).',
	},
];
