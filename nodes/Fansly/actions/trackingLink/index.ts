import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { create } from './create.operation';
import { deleteLink } from './delete.operation';
import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { getStats } from './getStats.operation';
import { update } from './update.operation';
import { providers } from '../../providers';
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

/** Every operation as the editor lists it (alphabetical, as n8n lists operations). */
const operationOptions: INodePropertyOptions[] = [
	{
		name: 'Create',
		value: 'create',
		action: 'Create tracking link',
		description: 'Create a new tracking link with a label and an optional description (Fans API only)',
	},
	{
		name: 'Delete',
		value: 'delete',
		action: 'Delete tracking link',
		description: 'Delete a tracking link by its ID',
	},
	{
		name: 'Get',
		value: 'get',
		action: 'Get tracking link',
		description: 'Retrieve one tracking link with its counters (Fans API only)',
	},
	{
		name: 'Get Many',
		value: 'getAll',
		action: 'Get many tracking links',
		description: 'Retrieve a list of the tracking links of an account, with optional filters (Fans API only)',
	},
	{
		name: 'Get Stats',
		value: 'getStats',
		action: 'Get tracking link statistics',
		description:
			'Retrieve daily clicks, claims, follows, subscriptions and revenue of a tracking link over a date range (Fans API only)',
	},
	{
		name: 'Update',
		value: 'update',
		action: 'Update tracking link',
		description: 'Change the label and/or description of a tracking link',
	},
];

const DEFAULT_OPERATION = 'update';

/**
 * The operations with the providers that can run each: an action only some providers offer is
 * named after them ("Create tracking link (Fans API)"). n8n's node creator lists every action
 * before a credential is picked, and a node it adds starts on the credential n8n picks, or on the
 * default provider when there is none: the name says which provider the action needs.
 */
function namedForTheirProviders(options: INodePropertyOptions[]): INodePropertyOptions[] {
	const all = Object.values(providers);
	return options.map((o) => {
		const able = all.filter((p) => p.capabilities.has(operations[String(o.value)].capability));
		return able.length === all.length ? o : { ...o, action: `${o.action} (${able.map((p) => p.displayName).join(', ')})` };
	});
}

/**
 * The Operation parameter, once per provider: each lists only the operations whose capability
 * that provider has (the check the router makes before running). The name and the values are
 * the same for every provider, so a saved workflow keeps its operation; one that its provider
 * lacks (saved before this list existed, or written by hand) still reaches the router, which
 * refuses it with the reason.
 *
 * The longest list comes first: n8n's node creator offers the actions of the first Operation
 * parameter of a resource, and n8n names new nodes and AI tools after that parameter's actions.
 */
function operationParameters(): INodeProperties[] {
	const perProvider = Object.entries(providers).map(([authentication, provider]) => ({
		authentication,
		options: namedForTheirProviders(operationOptions).filter((o) => provider.capabilities.has(operations[String(o.value)].capability)),
	}));
	perProvider.sort((a, b) => b.options.length - a.options.length);
	return perProvider.map(({ authentication, options }) => ({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		description: 'What to do with the tracking link',
		displayOptions: { show: { resource: ['trackingLink'], authentication: [authentication] } },
		options,
		default: DEFAULT_OPERATION,
	}));
}

export const description: INodeProperties[] = [
	...operationParameters(),
	...create.description,
	...deleteLink.description,
	...get.description,
	...getAll.description,
	...getStats.description,
	...update.description,
];
