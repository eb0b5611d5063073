import type { INodeProperties } from 'n8n-workflow';

import { providers } from '../providers';

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

/**
 * The Tracking Link field, once per provider, each starting in the mode that works there: From
 * List where the provider can list an account's links, By ID where it cannot (API Fansly). The
 * name, the modes and the value format are the same for every provider, so a saved value (in
 * either mode) is kept.
 *
 * It appears once an account is chosen (the links belong to the account, and the list needs
 * it). That is also what makes the starting mode follow the provider in the editor: n8n fills a
 * new node's defaults with the default provider before a credential is picked, and a credential
 * changes the provider without filling them in again; a field that is not shown yet gets its
 * default when it appears, from the provider chosen by then.
 */
export function trackingLinkLocator(show: Show): INodeProperties[] {
	return Object.entries(providers).map(([authentication, provider]) => {
		const canList = provider.capabilities.has('listTrackingLinks');
		return {
			displayName: 'Tracking Link',
			name: 'trackingLink',
			type: 'resourceLocator',
			default: { mode: canList ? 'list' : 'id', value: '' },
			required: true,
			description: canList
				? 'The tracking link to act on'
				: `The tracking link to act on, by its ID: ${provider.displayName} cannot list tracking links`,
			displayOptions: { show: { ...show, authentication: [authentication] }, hide: { account: [''] } },
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
	});
}
