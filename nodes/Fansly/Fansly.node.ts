import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsDescription } from './actions/options';
import { router } from './actions/router';
import { description as trackingLinkDescription } from './actions/trackingLink';
import { searchAccounts, searchTrackingLinks } from './methods/listSearch';

export class Fansly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fansly',
		name: 'fansly',
		icon: { light: 'file:../../icons/fansly.svg', dark: 'file:../../icons/fansly.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Manage Fansly tracking links through API Fansly or Fans API (OnlyFansAPI): update, create, list, read, delete and get statistics',
		defaults: { name: 'Fansly' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'apiFanslyApi',
				required: true,
				displayOptions: { show: { authentication: ['apiFanslyApi'] } },
			},
			{
				name: 'fansApiApi',
				required: true,
				displayOptions: { show: { authentication: ['fansApiApi'] } },
			},
		],
		properties: [
			{
				displayName: 'Provider',
				name: 'authentication',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'API Fansly',
						value: 'apiFanslyApi',
						description: 'Update and Delete, through v1.apifansly.com with an x-api-key',
					},
					{
						name: 'Fans API (OnlyFansAPI)',
						value: 'fansApiApi',
						description:
							'Every operation, through api.fansapi.com (formerly app.onlyfansapi.com) with a Bearer token',
					},
				],
				default: 'apiFanslyApi',
				description: 'The API provider that connects your Fansly account',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Tracking Link',
						value: 'trackingLink',
						description:
							'A per-source attribution link of a Fansly account (such as "Twitter bio"), with its clicks, claims, follows, subscriptions and revenue',
					},
				],
				default: 'trackingLink',
				description: 'The kind of Fansly object to work on',
			},
			...trackingLinkDescription,
			optionsDescription,
		],
	};

	methods = {
		listSearch: { searchAccounts, searchTrackingLinks },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
