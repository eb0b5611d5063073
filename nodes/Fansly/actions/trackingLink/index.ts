import type { INodeProperties } from 'n8n-workflow';

import { create } from './create.operation';
import { deleteLink } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { getStats } from './getStats.operation';
import { update } from './update.operation';
import type { Operation } from '../types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const operations: Record<string, Operation<any>> = {
	create,
	delete: deleteLink,
	get,
	getAll,
	getStats,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		description: 'What to do with the tracking link',
		displayOptions: { show: { resource: ['trackingLink'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a tracking link',
				description: 'Create a tracking link with a label and an optional description (Fans API only)',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a tracking link',
				description: 'Delete a tracking link by ID',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a tracking link',
				description: 'Get one tracking link with its counters by ID (Fans API only)',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many tracking links',
				description: 'List the tracking links of an account, with optional filters (Fans API only)',
			},
			{
				name: 'Get Stats',
				value: 'getStats',
				action: 'Get daily statistics of a tracking link',
				description:
					'Get daily clicks, claims, follows, subscriptions and revenue of a tracking link over a date range (Fans API only)',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a tracking link',
				description: 'Change the label and/or description of a tracking link',
			},
		],
		default: 'update',
	},
	...create.description,
	...deleteLink.description,
	...get.description,
	...getAll.description,
	...getStats.description,
	...update.description,
];
