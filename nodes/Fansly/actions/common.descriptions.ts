import type { INodeProperties } from 'n8n-workflow';

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

export function accountLocator(show: Show): INodeProperties {
	return {
		displayName: 'Account',
		name: 'account',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The connected Fansly account that owns the tracking link',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an account...',
				typeOptions: { searchListMethod: 'searchAccounts', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. fansly_acct_XXXXXXXXXXXXXXX',
				hint: 'The provider’s account ID, as shown in its dashboard',
			},
		],
	};
}

export function trackingLinkLocator(show: Show): INodeProperties {
	return {
		displayName: 'Tracking Link',
		name: 'trackingLink',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The tracking link to act on',
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a tracking link...',
				typeOptions: { searchListMethod: 'searchTrackingLinks', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 845759434926862336',
				hint: 'The tracking link ID (a long number, kept as text)',
			},
		],
	};
}
